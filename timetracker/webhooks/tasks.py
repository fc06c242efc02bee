"""The background task that sends webhook deliveries, run by the configured django-tasks backend's worker."""

import logging

from django_tasks import task

from .services import delivery_attempt

logger = logging.getLogger(__name__)


@task()
def deliver_webhook(delivery_id: str) -> str:
    """One attempt of one delivery (a no-op if it is not due or another worker has it)."""
    return delivery_attempt(delivery_id=delivery_id)


def can_schedule() -> bool:
    """Whether the backend runs a task at a given time; without it, the sweep enqueues retries when due."""
    return deliver_webhook.get_backend().supports_defer


def enqueue_deliveries(delivery_ids, *, run_after=None) -> None:
    if run_after is not None and not can_schedule():
        return  # deliveries_requeue_due enqueues it when due
    scheduled = deliver_webhook.using(run_after=run_after) if run_after is not None else deliver_webhook
    for delivery_id in delivery_ids:
        try:
            scheduled.enqueue(str(delivery_id))
        except Exception:
            # The delivery is safe in the database; the sweep will enqueue it again.
            logger.exception("Could not enqueue webhook delivery %s", delivery_id)
