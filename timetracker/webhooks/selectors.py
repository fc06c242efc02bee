"""Reads of webhooks and their deliveries."""

from timetracker.access import is_admin

from . import events
from .models import Webhook, WebhookDelivery


def webhooks_visible_to(user):
    """A user's own webhooks; an admin's view is everyone's (docs/access.md)."""
    webhooks = Webhook.objects.order_by("id")
    return webhooks if is_admin(user) else webhooks.filter(owner=user)


def deliveries_of(webhook):
    """The delivery log of a webhook, newest first."""
    return WebhookDelivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")


def webhooks_subscribed(event: str, *, user_id=None) -> list[Webhook]:
    """The active webhooks of active owners that receive ``event``.

    For an event about one user's data (``user_id`` given) only that user's and admins' webhooks: nobody
    learns through a webhook what the API would not show them.
    """
    candidates = (
        Webhook.objects.filter(active=True, owner__is_active=True)
        .only("id", "events", "owner_id", "owner__is_staff")
        .select_related("owner")
    )
    return [
        webhook
        for webhook in candidates
        if events.subscribes(webhook.events, event)
        and (user_id is None or webhook.owner_id == user_id or webhook.owner.is_staff)
    ]
