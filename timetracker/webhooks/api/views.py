"""``/api/v1/webhooks``: a user's webhooks (an admin's view: everyone's), their delivery logs and the events."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.decorators import action
from rest_framework.response import Response

from timetracker.api.base import APIView, APIViewMixin
from timetracker.api.viewsets import ResourceViewSet

from .. import events, selectors, services
from ..models import Webhook, WebhookDelivery
from .serializers import (
    DeliverySerializer, EventListSerializer, RedeliverResponseSerializer, WebhookSecretResponseSerializer,
    WebhookSerializer, WebhookWithSecretSerializer,
)

WEBHOOK_ID = OpenApiParameter("webhook_id", OpenApiTypes.INT, OpenApiParameter.PATH)


class WebhookViewSet(ResourceViewSet):
    """Webhooks: a non-admin sees and changes only their own. The secret is answered once, on creation and
    on rotation."""

    queryset = Webhook.objects.none()  # the real one depends on the user (get_queryset); this names the model
    serializer_class = WebhookSerializer
    scope_resource = "webhooks"
    item_key, list_key = "webhook", "webhooks"

    def get_queryset(self):
        return selectors.webhooks_visible_to(self.request.user)

    def get_serializer_class(self):
        return WebhookWithSecretSerializer if self.action == "create" else WebhookSerializer

    def create_instance(self, data):
        webhook, secret = services.webhook_create(owner=self.request.user, **data)
        webhook.new_secret = secret  # lives only in this response
        return webhook

    def update_instance(self, instance, data):
        return services.webhook_update(webhook=instance, **data)

    def destroy_instance(self, instance):
        services.webhook_delete(webhook=instance)
        return "Webhook deleted successfully"

    @extend_schema(request=None, responses=WebhookSecretResponseSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """Replace the secret; the new one is answered once and signs every attempt from now on."""
        webhook = self.get_object()
        webhook.new_secret = services.webhook_rotate_secret(webhook=webhook)
        return Response({"message": "Secret rotated", "webhook": WebhookWithSecretSerializer(webhook).data})


class WebhookScoped:
    scope_resource = "webhooks"

    def get_webhook(self) -> Webhook:
        return get_object_or_404(selectors.webhooks_visible_to(self.request.user), pk=self.kwargs["webhook_id"])


@extend_schema(parameters=[WEBHOOK_ID])
class DeliveryListView(WebhookScoped, APIViewMixin, generics.ListAPIView):
    """A webhook's delivery log, newest first."""

    queryset = WebhookDelivery.objects.none()  # the real one depends on the webhook (get_queryset)
    serializer_class = DeliverySerializer
    list_key = "deliveries"

    def get_queryset(self):
        return selectors.deliveries_of(self.get_webhook())


class RedeliverView(WebhookScoped, APIView):
    """Send a delivery again: the same id and body, status back to pending."""

    @extend_schema(
        parameters=[WEBHOOK_ID, OpenApiParameter("delivery_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        request=None, responses={202: RedeliverResponseSerializer},
    )
    def post(self, request, webhook_id, delivery_id):
        delivery = get_object_or_404(selectors.deliveries_of(self.get_webhook()), pk=delivery_id)
        delivery = services.delivery_redeliver(delivery=delivery)
        return Response(
            {"message": "Redelivery queued", "delivery": DeliverySerializer(delivery).data},
            status=status.HTTP_202_ACCEPTED,
        )


class EventListView(APIView):
    """The events a webhook can subscribe to."""

    scope_resource = "webhooks"

    @extend_schema(responses=EventListSerializer)
    def get(self, request):
        return Response(
            {"events": [{"name": event.name, "description": event.description} for event in events.EVENTS.values()]}
        )
