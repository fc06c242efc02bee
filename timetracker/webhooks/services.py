"""Webhooks: managing them, emitting events, and delivering them. The API, the admin and the worker call these.

``emit`` is called by the domain services inside the transaction of the change: it writes one delivery per
subscribed webhook and enqueues their tasks when (and only if) the transaction commits. ``delivery_attempt``
is one attempt of one delivery, made by the ``deliver_webhook`` task: it claims the delivery with a lease,
so no two workers send the same attempt, and a worker that dies mid-attempt leaves a lease that expires and
a delivery that ``deliveries_requeue_due`` (``manage.py deliver_due_webhooks``) enqueues again.
"""

import datetime
import logging
import secrets
import string
import time
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from timetracker.dates import utc_text
from timetracker.errors import Conflict, DomainError
from timetracker.services import apply_changes, save_changes

from . import events, renderers, selectors, sending, targets
from .models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status

SECRET_PREFIX = "whsec_"
SECRET_RANDOM_LENGTH = 32
_ALPHABET = string.ascii_letters + string.digits
WEBHOOK_FIELDS = {"name", "url", "events", "active"}

MAX_ATTEMPTS = 8
DEACTIVATE_AFTER_FAILED_DELIVERIES = 20
# Longer than an attempt can take (a 10 s timeout per connection step): a live worker never loses its lease.
LEASE = datetime.timedelta(seconds=60)
# A pending delivery still unclaimed this long after its task was due is taken for lost and enqueued again.
REQUEUE_AFTER = datetime.timedelta(minutes=5)


def now() -> datetime.datetime:
    """The clock of deliveries (tests move it forward to make retries due)."""
    return timezone.now()


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes."""
    return datetime.timedelta(minutes=2 ** (attempts - 1))


class WebhookInactive(DomainError):
    error_code = "webhook_inactive"
    error = "Webhook inactive"


# Webhooks


def generate_secret() -> str:
    return SECRET_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_RANDOM_LENGTH))


def _clean_events(names) -> list[str]:
    names = list(dict.fromkeys(names or []))
    if not names:
        raise ValidationError({"events": ["Choose at least one event (or * for all)."]})
    unknown = [name for name in names if name != events.ALL and name not in events.EVENTS]
    if unknown:
        raise ValidationError({"events": [f"Unknown event(s): {', '.join(map(str, unknown))}."]})
    return [events.ALL] if events.ALL in names else [name for name in events.NAMES if name in names]


@transaction.atomic
def webhook_create(*, owner, name, url, events, active=True) -> tuple[Webhook, str]:
    """Create a webhook; returns it with its secret, which the caller shows once."""
    targets.check_url(url)
    webhook = Webhook(owner=owner, name=name, url=url, events=_clean_events(events), active=active)
    webhook.secret = generate_secret()
    webhook.save()
    return webhook, webhook.secret


@transaction.atomic
def webhook_update(*, webhook: Webhook, **changes) -> Webhook:
    """Change a webhook. Switching it on again forgets the failures that switched it off."""
    if "url" in changes and changes["url"] != webhook.url:
        targets.check_url(changes["url"])
    if "events" in changes:
        changes["events"] = _clean_events(changes["events"])
    changed = apply_changes(webhook, changes, WEBHOOK_FIELDS)
    if "active" in changed and webhook.active:
        webhook.consecutive_failures, webhook.deactivated_at, webhook.deactivated_reason = 0, None, ""
        changed += ["consecutive_failures", "deactivated_at", "deactivated_reason"]
    save_changes(webhook, changed)
    return webhook


@transaction.atomic
def webhook_rotate_secret(*, webhook: Webhook) -> str:
    """A new secret, effective for every attempt from now on (also retries of older deliveries)."""
    webhook.secret = generate_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    return webhook.secret


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()  # and its delivery log


# Emitting


def emit(event: str, instance_or_payload) -> list[WebhookDelivery]:
    """Record ``event`` for every webhook subscribed to it, and enqueue the deliveries once the change commits.

    Call it from a service, inside the change's transaction, after the change. ``instance_or_payload`` is a
    model instance (rendered as v1 renders it, see ``renderers``) or the ``data`` dict itself.
    """
    spec = events.get(event)
    user_id = getattr(instance_or_payload, "user_id", None) if spec.per_user else None
    webhooks = selectors.webhooks_subscribed(event, user_id=user_id)
    if not webhooks:
        return []
    data = instance_or_payload if isinstance(instance_or_payload, dict) else renderers.render(instance_or_payload)
    created_at = now()
    deliveries = []
    for webhook in webhooks:
        delivery_id = uuid.uuid4()
        body = {"id": str(delivery_id), "event": event, "created_at": utc_text(created_at), "data": data}
        deliveries.append(
            WebhookDelivery(
                id=delivery_id, webhook=webhook, event=event, payload=JSONRenderer().render(body).decode(),
                next_attempt_at=created_at, requeue_at=created_at + REQUEUE_AFTER, created_at=created_at,
            )
        )
    WebhookDelivery.objects.bulk_create(deliveries)
    _enqueue_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


def _enqueue_on_commit(delivery_ids, *, run_after=None):
    from .tasks import enqueue_deliveries

    # robust: the change has committed; a queue that is down must not turn it into an error. The sweep
    # enqueues whatever was not.
    transaction.on_commit(lambda: enqueue_deliveries(delivery_ids, run_after=run_after), robust=True)


# Delivering


def _claim(delivery_id, moment) -> datetime.datetime | None:
    """Take the attempt that is due, atomically; the lease (our token) if we got it, None if not.

    One UPDATE with the whole condition: of two workers racing, the database lets one match the row.
    """
    lease = moment + LEASE
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=moment)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=moment))
        .update(locked_until=lease, attempts=F("attempts") + 1, last_attempt_at=moment)
    )
    return lease if claimed else None


def _request(delivery: WebhookDelivery) -> sending.Outcome:
    body = delivery.payload.encode()
    timestamp = int(time.time())
    headers = {
        "X-Webhook-Event": delivery.event,
        "X-Webhook-ID": str(delivery.pk),
        "X-Webhook-Timestamp": str(timestamp),
        "X-Webhook-Signature": sending.signature(delivery.webhook.secret, timestamp, body),
    }
    return sending.post(url=delivery.webhook.url, body=body, headers=headers)


def delivery_attempt(*, delivery_id) -> str:
    """Make the attempt of a delivery that is due, unless another worker has it; returns what happened.

    Runs outside any transaction: the claim commits before the request, the result after it.
    """
    lease = _claim(delivery_id, now())
    if lease is None:
        return "skipped"  # not due, finished, or another worker holds it
    try:
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    except WebhookDelivery.DoesNotExist:
        return "skipped"  # its webhook was deleted a moment ago
    webhook = delivery.webhook
    if not webhook.active:
        outcome = sending.Outcome(error="Not sent: the webhook is inactive.")
    else:
        outcome = _request(delivery)
    finished_at = now()
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, locked_until=lease)
    result = {"locked_until": None, "last_status_code": outcome.status_code, "last_error": outcome.error}

    if outcome.ok:
        updated = mine.update(
            status=Status.SUCCEEDED, delivered_at=finished_at, next_attempt_at=None, requeue_at=None, **result
        )
        if updated:
            Webhook.objects.filter(pk=webhook.pk, consecutive_failures__gt=0).update(consecutive_failures=0)
        outcome_name = "succeeded"
    elif delivery.attempts >= MAX_ATTEMPTS or not webhook.active:
        updated = mine.update(status=Status.FAILED, next_attempt_at=None, requeue_at=None, **result)
        if updated and webhook.active:
            _count_failed_delivery(webhook, outcome, finished_at)
        outcome_name = "failed"
    else:
        from .tasks import can_schedule

        retry_at = finished_at + backoff(delivery.attempts)
        # Without scheduled tasks the sweep is what sends the retry, as soon as it is due.
        requeue_at = retry_at + REQUEUE_AFTER if can_schedule() else retry_at
        updated = mine.update(next_attempt_at=retry_at, requeue_at=requeue_at, **result)
        if updated:
            _enqueue_on_commit([delivery.pk], run_after=retry_at)
        outcome_name = "retrying"

    if not updated:
        # Our lease ran out and another worker took the delivery over; its result counts, not ours.
        logger.warning("Webhook delivery %s: lease lost before the result was recorded", delivery.pk)
        return "lease_lost"
    logger.info(
        "Webhook delivery %s (%s, webhook %s) attempt %s: %s %s", delivery.pk, delivery.event, webhook.pk,
        delivery.attempts, outcome_name, outcome.status_code or outcome.error,
    )
    return outcome_name


def _count_failed_delivery(webhook, outcome, moment):
    """One more delivery failed for good; the 20th in a row switches the webhook off."""
    Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    last = f"HTTP {outcome.status_code}" if outcome.status_code else outcome.error
    switched_off = Webhook.objects.filter(
        pk=webhook.pk, active=True, consecutive_failures__gte=DEACTIVATE_AFTER_FAILED_DELIVERIES
    ).update(
        active=False, deactivated_at=moment,
        deactivated_reason=(
            f"Deactivated automatically on {utc_text(moment)} after {DEACTIVATE_AFTER_FAILED_DELIVERIES} "
            f"consecutive failed deliveries (each tried {MAX_ATTEMPTS} times). Last error: {last}"
        )[:500],
    )
    if switched_off:
        logger.warning("Webhook %s deactivated after %s consecutive failed deliveries", webhook.pk,
                       DEACTIVATE_AFTER_FAILED_DELIVERIES)


def deliveries_requeue_due(*, limit=1000) -> int:
    """Enqueue the pending deliveries whose task was lost (a worker died, the queue was down, or a backend
    without scheduled tasks); returns how many. Duplicates are harmless: an attempt is claimed once."""
    moment = now()
    due = list(
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=moment, requeue_at__lte=moment)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=moment))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if due:
        WebhookDelivery.objects.filter(pk__in=due).update(requeue_at=moment + REQUEUE_AFTER)
        _enqueue_on_commit(due)
    return len(due)


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same id and body: status back to pending, due now.

    It is one more attempt; if it fails, the backoff resumes while attempts remain (8 in all), else it fails.
    """
    if not delivery.webhook.active:
        raise WebhookInactive("The webhook is inactive; activate it before redelivering.")
    moment = now()
    updated = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=moment))
        .update(status=Status.PENDING, next_attempt_at=moment, requeue_at=moment + REQUEUE_AFTER, locked_until=None)
    )
    if not updated:
        raise Conflict("The delivery is being sent right now; try again in a minute.")
    _enqueue_on_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery
