from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from timetracker.models import TimeStampedModel

NON_NEGATIVE = [MinValueValidator(0)]


def money_field(**kwargs):
    return models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE, **kwargs)


class Client(TimeStampedModel):
    """A customer the agency works for; Teamwork calls it a company."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(blank=True)
    company = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    default_hourly_rate = money_field()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Project(TimeStampedModel):
    """Work for a client (or internal work); time is logged against a project."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="projects")
    permalink = models.SlugField(
        max_length=100, unique=True, help_text="URL name (the Codebase API uses it); derived from the name if empty."
    )
    hourly_rate = money_field()
    estimated_hours = money_field()
    billable = models.BooleanField(default=True, help_text="Whether new time on this project is billable by default.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="project_name_id")]  # the lists' order

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


class Tasklist(TimeStampedModel):
    """A named group of tasks within a project (Teamwork's task list)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasklists")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["project_id", "name", "id"]

    def __str__(self):
        return self.name


class Task(TimeStampedModel):
    """A piece of work in a project. Priority runs from 1 (highest) to 5 (lowest)."""

    class Status(models.TextChoices):
        TODO = "todo", "To Do"
        IN_PROGRESS = "in_progress", "In Progress"
        REVIEW = "review", "Review"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    MAX_ESTIMATED_MINUTES = 10_000_000  # about 19 years: anything more is a typo
    HIGHEST_PRIORITY = 1
    LOWEST_PRIORITY = 5
    DEFAULT_PRIORITY = 3

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    tasklist = models.ForeignKey(Tasklist, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TODO)
    priority = models.PositiveSmallIntegerField(
        default=DEFAULT_PRIORITY,
        validators=[MinValueValidator(HIGHEST_PRIORITY), MaxValueValidator(LOWEST_PRIORITY)],
        help_text="1 (highest) to 5 (lowest).",
    )
    estimated_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_ESTIMATED_MINUTES)]
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tasks"
    )
    completed_at = models.DateTimeField(null=True, blank=True, help_text="Set when the task reaches done.")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["tasklist", "status"])]

    def __str__(self):
        return self.name
