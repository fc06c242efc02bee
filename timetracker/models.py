import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
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


# The ISO 4217 format (three capital letters); whether the code is on the ISO list is not checked.
validate_currency_code = RegexValidator(r"^[A-Z]{3}$", "Enter a currency code of three capital letters, e.g. EUR.")


def default_currency():
    return settings.DEFAULT_CURRENCY


class SiteSettings(models.Model):
    """Site-wide settings, one row (pk=1) edited on the admin's Settings page; read it with ``load()``."""

    SINGLETON_PK = 1

    inventory_enabled = models.BooleanField(
        "inventory module enabled", default=False,
        help_text="Switches on stock items, warehouses and movements: the /api/v1/inventory/ endpoints answer "
        "403 module_disabled while this is off.",
    )
    default_currency = models.CharField(
        max_length=3, default=default_currency, validators=[validate_currency_code],
        help_text="ISO 4217 code (e.g. EUR) given to new stock items and used by the valuation report by default.",
    )

    class Meta:
        verbose_name = "settings"
        verbose_name_plural = "settings"

    def __str__(self):
        return "Settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row, created with the defaults on first use."""
        return cls.objects.get_or_create(pk=cls.SINGLETON_PK)[0]
