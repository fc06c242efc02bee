import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a known IANA timezone name.")


def default_timezone():
    return settings.TIME_ZONE


class UserProfile(models.Model):
    """Per-user settings that Django's user model lacks; names and email stay on the user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(
        max_length=64,
        default=default_timezone,
        validators=[validate_timezone],
        help_text="IANA timezone name, e.g. Europe/Berlin. Dates the user sends are read in it.",
    )

    class Meta:
        verbose_name = "user profile"

    def __str__(self):
        return f"Profile of {self.user}"


def user_timezone(user) -> zoneinfo.ZoneInfo:
    """The user's timezone, falling back to the site's when the user has no profile."""
    try:
        name = user.profile.timezone
    except UserProfile.DoesNotExist:
        name = settings.TIME_ZONE
    return zoneinfo.ZoneInfo(name)


class IdempotencyKey(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, replayed when the same token repeats the key."""

    token = models.ForeignKey("apitokens.APIToken", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_unique_per_token")]

    def __str__(self):
        return f"{self.key} ({self.status_code})"
