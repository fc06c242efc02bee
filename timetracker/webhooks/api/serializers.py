import json

from rest_framework import serializers

from timetracker.api.permissions import request_grants
from timetracker.api.serializers import APIModelSerializer, required_name_kwargs
from apitokens import scopes

from .. import events
from ..models import Webhook, WebhookDelivery


class EventsField(serializers.ListField):
    """Event names from the registry, or ``["*"]`` for all of them."""

    child = serializers.CharField()

    def __init__(self, **kwargs):
        super().__init__(allow_empty=False, **kwargs)


class WebhookSerializer(APIModelSerializer):
    events = EventsField(help_text="Event names (GET /api/v1/webhooks/events), or [\"*\"] for every event.")
    owner_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Webhook
        fields = [
            "id", "name", "url", "events", "active", "owner_id", "consecutive_failures", "deactivated_at",
            "deactivated_reason", "created_at", "updated_at",
        ]
        read_only_fields = ["consecutive_failures", "deactivated_at", "deactivated_reason"]
        extra_kwargs = {"name": required_name_kwargs()}  # the service checks where the URL points

    def validate_events(self, names):
        """A token subscribes only to events it could read through the API."""
        request = self.context["request"]
        for name in names:
            for event in events.EVENTS.values() if name == events.ALL else filter(None, [events.EVENTS.get(name)]):
                options = [scopes.read_scope(resource) for resource in event.scope_resources]
                if not any(request_grants(request, scope) for scope in options):
                    alternatives = "".join(f" (or '{scope}')" for scope in options[1:])
                    raise serializers.ValidationError(
                        f"Subscribing to {name} needs the '{options[0]}' scope{alternatives}."
                    )
        return names  # unknown names are the service's to refuse


class WebhookWithSecretSerializer(WebhookSerializer):
    """The webhook as it is answered once, on creation or rotation: with its secret."""

    secret = serializers.CharField(source="new_secret", read_only=True,
                                   help_text="Shown only in this response; store it to verify signatures.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(APIModelSerializer):
    webhook_id = serializers.IntegerField(read_only=True)
    payload = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "webhook_id", "event", "status", "attempts", "next_attempt_at", "last_attempt_at",
            "last_status_code", "last_error", "delivered_at", "created_at", "payload",
        ]
        read_only_fields = fields

    def get_payload(self, delivery) -> dict:
        """The JSON body sent (the same on every attempt)."""
        return json.loads(delivery.payload)


class EventSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class EventListSerializer(serializers.Serializer):
    events = EventSerializer(many=True)


class WebhookSecretResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    webhook = WebhookWithSecretSerializer()


class RedeliverResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    delivery = DeliverySerializer()
