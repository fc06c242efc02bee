"""Rules that live in timeentries.services, tested where they live."""

import datetime

import pytest
from django.utils import timezone
from django.core.exceptions import ValidationError

from timeentries import services
from timeentries.models import Tag, TimeEntry
from timeentries.selectors import seconds_to_hours, time_totals

UTC = datetime.timezone.utc


def an_hour_ago():
    """A start a running timer may have: an hour ago."""
    return timezone.now() - datetime.timedelta(hours=1)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_parse_tag_names_trims_and_drops_duplicates():
    assert services.parse_tag_names(" a, b,,A ,c ") == ["a", "b", "c"]
    assert services.parse_tag_names(["x", "X", " y "]) == ["x", "y"]
    assert services.parse_tag_names(None) == []


@pytest.mark.django_db
def test_tags_from_names_reuses_existing_tags_regardless_of_case():
    existing = Tag.objects.create(name="Backend")
    tags = services.tags_from_names("backend,new")
    assert tags[0] == existing
    assert tags[1].name == "new"
    assert Tag.objects.count() == 2


def test_delete_is_soft_and_restore_brings_the_entry_back(user, project, make_entry):
    entry = make_entry(user, project, at(2024, 1, 1, 9))
    services.time_entry_delete(entry=entry)
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()
    assert TimeEntry.all_objects.filter(pk=entry.pk).exists()
    assert time_totals(TimeEntry.objects.all())["total"] == 0

    services.time_entry_restore(entry=entry)
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_restoring_a_running_entry_conflicts_with_another_running_timer(user, project, make_entry):
    old = make_entry(user, project, an_hour_ago(), hours=None)
    services.time_entry_delete(entry=old)
    services.timer_start(user=user, project=project)
    with pytest.raises(services.TimerAlreadyRunning):
        services.time_entry_restore(entry=old)
    assert TimeEntry.all_objects.get(pk=old.pk).deleted_at is not None


def test_mark_invoiced_sets_the_number_on_every_entry(user, project, make_entry):
    entries = [make_entry(user, project, at(2024, 1, day, 9)) for day in (1, 2)]
    assert services.time_entries_mark_invoiced(entries=entries, invoice_number=" INV-7 ") == 2
    assert set(TimeEntry.objects.values_list("invoice_number", flat=True)) == {"INV-7"}
    with pytest.raises(ValidationError):
        services.time_entries_mark_invoiced(entries=entries, invoice_number=" ")


def test_totals_count_finished_time_only(user, project, make_entry):
    make_entry(user, project, at(2024, 1, 1, 9), hours=2, billable=True)
    make_entry(user, project, at(2024, 1, 2, 9), hours=1, billable=False, invoice_number="INV-1")
    make_entry(user, project, an_hour_ago(), hours=None)  # running
    totals = time_totals(TimeEntry.objects.all())
    assert totals == {"total": 3 * 3600, "billable": 2 * 3600, "billed": 3600, "entries": 2}


def test_hours_round_half_up_to_two_decimals():
    assert seconds_to_hours(25 * 60) == 0.42
    assert seconds_to_hours(1000 * 60) == 16.67
    assert seconds_to_hours(0) == 0.0


def test_timer_stop_sets_end_and_duration(user, project):
    services.timer_start(user=user, project=project)
    entry = services.timer_stop(user=user)
    assert entry.end_time > entry.start_time
    assert entry.duration_seconds == int((entry.end_time - entry.start_time).total_seconds())
    with pytest.raises(services.NoActiveTimer):
        services.timer_stop(user=user)


def test_changing_times_recomputes_the_duration(user, project, make_entry):
    entry = make_entry(user, project, at(2024, 1, 1, 9), hours=1)
    services.time_entry_update(entry=entry, start_time=at(2024, 1, 1, 8))
    entry.refresh_from_db()
    assert entry.duration_seconds == 2 * 3600
