from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.core.exceptions import ValidationError

DEFAULT_TAG_COLOR = "#2f8de4"


def tag_key(name: str) -> str:
    """What makes two tag names the same: case and surrounding spaces don't count (``Ärger`` = `` ärger``)."""
    return name.strip().casefold()


class Tag(models.Model):
    """A label on time entries. Names are unique regardless of case (compared by ``key``, which both
    databases index alike, unlike LOWER(), which SQLite applies to ASCII letters only)."""

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True, editable=False)
    color = models.CharField(
        max_length=7,
        default=DEFAULT_TAG_COLOR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if Tag.objects.filter(key=tag_key(self.name)).exclude(pk=self.pk).exists():
            raise ValidationError({"name": "A tag with this name already exists (names ignore case)."})

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.key = tag_key(self.name)
        self.color = self.color.lower()
        super().save(*args, **kwargs)


class TimeEntryQuerySet(models.QuerySet):
    def finished(self):
        """Entries with an end: what totals and reports count (a running timer is not yet time)."""
        return self.filter(end_time__isnull=False)

    def running(self):
        return self.filter(end_time__isnull=True)


class AliveTimeEntryManager(models.Manager.from_queryset(TimeEntryQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


# Alive and finished: what lists, totals and reports read unless asked for running or deleted entries.
FINISHED = models.Q(deleted_at__isnull=True, end_time__isnull=False)


class TimeEntry(models.Model):
    """Time a user spent on a project (and optionally a task). One model behind all three APIs.

    A running timer has no end_time. Deleting is soft (deleted_at); ``objects`` hides deleted
    entries, ``all_objects`` includes them.
    """

    class Source(models.TextChoices):
        API = "api", "API"
        TIMER = "timer", "Timer"
        ADMIN = "admin", "Admin"
        TEAMWORK = "teamwork", "Teamwork API"
        CODEBASE = "codebase", "Codebase API"

    # No single-column indexes on the keys: the (key, start_time) indexes below serve every lookup by key.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries", db_index=False
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="time_entries", db_index=False
    )
    task = models.ForeignKey(
        "projects.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries",
        db_index=False,
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField(null=True, blank=True, help_text="Empty while the timer runs.")
    duration_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    has_start_time = models.BooleanField(
        default=True, help_text="False when the client gave only a date (the entry then starts at local midnight)."
    )
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="time_entries")
    billable = models.BooleanField(default=True)
    invoice_number = models.CharField(max_length=100, blank=True, help_text="Blank = not invoiced.")
    ticket_id = models.PositiveIntegerField(null=True, blank=True, help_text="External ticket number.")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AliveTimeEntryManager()
    all_objects = TimeEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "time entries"
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(end_time__isnull=True, deleted_at__isnull=True),
                name="one_running_timer_per_user",
                violation_error_message="This user already has a running timer.",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True) | models.Q(end_time__gt=models.F("start_time")),
                name="time_entry_ends_after_start",
            ),
        ]
        # Every filter and sort of the three APIs (see docs/performance.md). The partial "finished" indexes
        # hold what lists, totals and reports read by default (alive, not running), in the lists' order, so
        # a page, a deep OFFSET and a user's count are index-only scans; the full ones serve the rest
        # (include_active, showDeleted, the admin) and the foreign keys. A trigram index on the notes
        # (search) exists on PostgreSQL only: migration 0003.
        indexes = [
            models.Index(fields=["user", "start_time"], name="timeentry_user_start"),
            models.Index(fields=["project", "start_time"], name="timeentry_project_start"),
            models.Index(fields=["task", "start_time"], name="timeentry_task_start"),
            models.Index(fields=["start_time"], name="timeentry_start"),
            models.Index(fields=["start_time", "id"], condition=FINISHED, name="timeentry_finished_start"),
            models.Index(fields=["user", "start_time", "id"], condition=FINISHED, name="timeentry_finished_user_start"),
            models.Index(
                fields=["project", "start_time", "id"], condition=FINISHED, name="timeentry_finished_proj_start"
            ),
            models.Index(fields=["updated_at"], name="timeentry_updated"),  # Teamwork's updatedAfterDate, sortby
        ]

    def __str__(self):
        return f"{self.user} on {self.project_id} at {self.start_time:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.end_time is None and self.deleted_at is None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_invoiced(self) -> bool:
        return bool(self.invoice_number)
