import uuid

from django.conf import settings
from django.db import models


class Webhook(models.Model):
    """A URL that receives signed POSTs when the subscribed events happen. Written by ``services`` only.

    The secret signs every delivery, so it is stored as it is — unlike API tokens, which only need to be
    compared and are stored as digests. It is shown once, on creation or rotation, and never rendered again.
    """

    name = models.CharField(max_length=100)
    url = models.URLField("URL", max_length=2000, help_text="http(s) address that receives the POSTs.")
    events = models.JSONField(default=list, help_text="Event names from timetracker.webhooks.events, or ['*'].")
    secret = models.CharField(max_length=100, editable=False)
    active = models.BooleanField(default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    consecutive_failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Deliveries failed in a row (every attempt used); reset by a success."
    )
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    deactivated_reason = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<Webhook {self.pk}: {self.name}>"  # never the secret


class WebhookDelivery(models.Model):
    """One event for one webhook, and its attempts. Its id is the ``X-Webhook-ID`` of every attempt.

    Written in the same transaction as the change that caused it. ``locked_until`` is the lease of the worker
    sending the current attempt; ``requeue_at`` is when the sweep (``deliver_due_webhooks``) enqueues it again
    if it is still pending and unclaimed then, because the task that should have sent it was lost.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    payload = models.TextField(help_text="The JSON body, byte for byte the same on every attempt.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    requeue_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self):
        return f"{self.event} → {self.webhook_id} ({self.status})"
