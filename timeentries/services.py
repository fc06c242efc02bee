"""The rules of time entries and timers. The admin and all three APIs call these functions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from timetracker.access import check_may_access_user
from timetracker.errors import Conflict, DomainError
from timetracker.services import apply_changes
from timetracker.webhooks.services import emit

from .models import Tag, TimeEntry, tag_key
from .signals import time_entries_changed

ENTRY_FIELDS = {
    "user", "project", "task", "start_time", "end_time", "has_start_time", "notes", "billable",
    "invoice_number", "ticket_id",
}


class TimerAlreadyRunning(Conflict):
    error_code = "timer_already_running"
    error = "Timer already running"

    def __init__(self, message="A timer is already running; stop it first."):
        super().__init__(message)


class NoActiveTimer(DomainError):
    error_code = "no_active_timer"
    error = "No active timer"

    def __init__(self, message="No timer is running."):
        super().__init__(message)


# Tags


def parse_tag_names(value) -> list[str]:
    """``"a, b,,A"`` or ``["a", "b"]`` → ``["a", "b"]``: trimmed, empties and case-insensitive duplicates dropped."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else value
    names, seen = [], set()
    for part in parts:
        name = str(part).strip()
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
            names.append(name)
    return names


def tags_from_names(names) -> list[Tag]:
    """The tags with these names (matched regardless of case), creating the missing ones."""
    names = parse_tag_names(names)
    if not names:
        return []
    wanted = {tag_key(name): name for name in names}
    existing = {tag.key: tag for tag in Tag.objects.filter(key__in=wanted)}
    for key, name in wanted.items():
        if key not in existing:
            try:
                with transaction.atomic():
                    existing[key] = Tag.objects.create(name=name)
            except IntegrityError:  # created by a concurrent request a moment ago
                existing[key] = Tag.objects.get(key=key)
    return [existing[key] for key in wanted]


# Checks


def _check_project_takes_time(project):
    if project.is_archived:
        raise ValidationError({"project_id": ["The project is archived; no time can be logged on it."]})


def _check_task_in_project(task, project):
    if task is not None and task.project_id != project.pk:
        raise ValidationError({"task_id": ["The task belongs to another project."]})


MAX_DURATION = datetime.timedelta(days=366)


def _check_times(start_time, end_time):
    if end_time is not None and end_time <= start_time:
        raise ValidationError({"end_time": ["end_time must be after start_time."]})
    if end_time is not None and end_time - start_time > MAX_DURATION:
        raise ValidationError({"end_time": ["An entry cannot be longer than 366 days."]})
    if end_time is None and start_time > timezone.now():
        raise ValidationError({"start_time": ["A running timer cannot start in the future."]})
    if end_time is None and timezone.now() - start_time > MAX_DURATION:
        raise ValidationError({"start_time": ["A running timer cannot have started more than 366 days ago."]})


def time_entry_check(*, user, project, task, start_time, end_time, entry=None) -> None:
    """The rules a new entry, or an entry with these values, must satisfy (the admin form runs them too)."""
    if entry is None or project.pk != entry.project_id:
        _check_project_takes_time(project)
    _check_task_in_project(task, project)
    if entry is None or (start_time, end_time) != (entry.start_time, entry.end_time):
        _check_times(start_time, end_time)
    if entry is not None and end_time is None and entry.end_time is not None:
        raise ValidationError({"end_time": ["A finished entry cannot be turned back into a running timer."]})
    if end_time is None and _has_other_timer_for(user, exclude=entry):
        raise TimerAlreadyRunning()


def duration_seconds(start_time, end_time) -> int | None:
    if end_time is None:
        return None
    return int((end_time - start_time).total_seconds())


def _save_guarding_timer(entry: TimeEntry, **save_kwargs):
    # The partial unique index is the real guard: of two concurrent starts, one insert fails here.
    try:
        with transaction.atomic():
            entry.save(**save_kwargs)
    except IntegrityError as exc:
        if entry.end_time is None and entry.deleted_at is None and _has_other_timer_for(entry.user, exclude=entry):
            raise TimerAlreadyRunning() from exc
        raise


def _has_other_timer_for(user, *, exclude=None) -> bool:
    running = TimeEntry.objects.running().filter(user=user)
    if exclude is not None and exclude.pk:
        running = running.exclude(pk=exclude.pk)
    return running.exists()


# Entries


@transaction.atomic
def time_entry_create(
    *, user, project, start_time, end_time=None, task=None, notes="", tags=None, billable=None,
    has_start_time=True, invoice_number="", ticket_id=None, source=TimeEntry.Source.API,
) -> TimeEntry:
    """Log time; without ``end_time`` this starts the user's running timer."""
    time_entry_check(user=user, project=project, task=task, start_time=start_time, end_time=end_time)
    entry = TimeEntry(
        user=user, project=project, task=task, start_time=start_time, end_time=end_time,
        duration_seconds=duration_seconds(start_time, end_time), has_start_time=has_start_time, notes=notes,
        billable=project.billable if billable is None else billable, invoice_number=invoice_number,
        ticket_id=ticket_id, source=source,
    )
    _save_guarding_timer(entry)
    entry.tags.set(tags_from_names(tags))
    emit("time_entry.created", entry)
    if entry.end_time is None:
        emit("timer.started", entry)
    return entry


@transaction.atomic
def time_entry_update(*, entry: TimeEntry, tags=None, **changes) -> TimeEntry:
    """Change an entry. Moving it to another project drops a task that does not belong there."""
    project = changes.get("project", entry.project)
    if project.pk != entry.project_id and "task" not in changes and entry.task_id:
        if entry.task.project_id != project.pk:
            changes["task"] = None
    time_entry_check(
        user=changes.get("user", entry.user), project=project, task=changes.get("task", entry.task),
        start_time=changes.get("start_time", entry.start_time), end_time=changes.get("end_time", entry.end_time),
        entry=entry,
    )

    was_running = entry.end_time is None
    changed = apply_changes(entry, changes, ENTRY_FIELDS)
    if {"start_time", "end_time"} & set(changed):
        entry.duration_seconds = duration_seconds(entry.start_time, entry.end_time)
        changed.append("duration_seconds")
    if tags is not None:
        entry.tags.set(tags_from_names(tags))
    if changed or tags is not None:
        _save_guarding_timer(entry, update_fields=[*changed, "updated_at"])
        emit("time_entry.updated", entry)
        if was_running and entry.end_time is not None:
            emit("timer.stopped", entry)
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry) -> None:
    """Soft delete: the entry leaves every list, total and report, and an admin can restore it."""
    if entry.deleted_at is None:
        entry.deleted_at = timezone.now()
        entry.save(update_fields=["deleted_at", "updated_at"])
        emit("time_entry.deleted", entry)


@transaction.atomic
def time_entry_restore(*, entry: TimeEntry) -> None:
    if entry.deleted_at is not None:
        entry.deleted_at = None
        if entry.end_time is None and _has_other_timer_for(entry.user, exclude=entry):
            raise TimerAlreadyRunning("The user has another running timer; stop it before restoring this one.")
        _save_guarding_timer(entry, update_fields=["deleted_at", "updated_at"])
        emit("time_entry.updated", entry)


@transaction.atomic
def time_entries_mark_invoiced(*, entries, invoice_number: str) -> int:
    invoice_number = (invoice_number or "").strip()
    if not invoice_number:
        raise ValidationError({"invoice_number": ["An invoice number is required."]})
    marked = TimeEntry.all_objects.filter(pk__in=[entry.pk for entry in entries])
    count = marked.update(invoice_number=invoice_number, updated_at=timezone.now())
    time_entries_changed()  # update() sends no post_save
    for entry in marked.prefetch_related("tags"):
        emit("time_entry.updated", entry)
    return count


# Timer


def timer_start(*, user, project, task=None, notes="", tags=None, billable=None) -> TimeEntry:
    return time_entry_create(
        user=user, project=project, task=task, start_time=timezone.now(), notes=notes, tags=tags,
        billable=billable, source=TimeEntry.Source.TIMER,
    )


@transaction.atomic
def timer_stop(*, user) -> TimeEntry:
    entry = TimeEntry.objects.select_for_update().running().filter(user=user).first()
    if entry is None:
        raise NoActiveTimer()
    # The end must come after the start even if the clock has not moved, and a timer forgotten for
    # longer than an entry may last stops at that length.
    entry.end_time = min(
        max(timezone.now(), entry.start_time + datetime.timedelta(microseconds=1)), entry.start_time + MAX_DURATION
    )
    entry.duration_seconds = duration_seconds(entry.start_time, entry.end_time)
    entry.save(update_fields=["end_time", "duration_seconds", "updated_at"])
    emit("time_entry.updated", entry)
    emit("timer.stopped", entry)
    return entry


def check_can_act_for(actor, user) -> None:
    """Only admins may log or change time for somebody else."""
    check_may_access_user(actor, user.pk)
