"""search_time_entries: notes and tags searched apart, recent entries before older ones, merged newest first."""

import datetime

import pytest
from django.utils import timezone

from timeentries.selectors import search_time_entries
from timeentries.services import time_entry_delete


@pytest.fixture
def days_ago():
    now = timezone.now().replace(microsecond=0)
    return lambda days, hours=0: now - datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def entry(user, project, make_entry, days_ago):
    """entry(days, notes="", tags=None, owner=user) -> an hour's entry starting that many days ago."""

    def make(days, notes="", tags=None, owner=None, hours=0):
        return make_entry(owner or user, project, days_ago(days, hours), notes=notes, tags=tags)

    return make


def ids(entries):
    return [entry.pk for entry in entries]


def test_recent_and_older_matches_merge_newest_first(user, entry):
    older_tagged = entry(400, "misc", tags="Kubernetes")
    recent_note = entry(2, "Kubernetes upgrade")
    older_note = entry(45, "kubernetes again")
    recent_tagged = entry(1, "misc", tags="kubernetes-ops")
    entry(3, "unrelated")
    assert ids(search_time_entries(user, "kubernetes", 10)) == [
        recent_tagged.pk, recent_note.pk, older_note.pk, older_tagged.pk]


def test_equal_start_times_are_ordered_by_id_descending(user, entry):
    first = entry(40, "audit")
    second = entry(40, "misc", tags="audit")
    third = entry(5, "audit")
    fourth = entry(5, "misc", tags="audit")
    assert ids(search_time_entries(user, "audit", 10)) == [fourth.pk, third.pk, second.pk, first.pk]


def test_an_entry_matching_notes_and_tag_appears_once(user, entry):
    both = entry(1, "GDPR export", tags="gdpr")
    older_both = entry(60, "GDPR export", tags="gdpr")
    assert ids(search_time_entries(user, "gdpr", 10)) == [both.pk, older_both.pk]


def test_limit_keeps_the_newest_across_notes_and_tags(user, entry):
    tagged = [entry(day, "misc", tags="review") for day in (1, 3, 5, 7)]
    noted = [entry(day, "Reviewed the code") for day in (2, 4, 6)]
    assert ids(search_time_entries(user, "review", 3)) == [tagged[0].pk, noted[0].pk, tagged[1].pk]
    assert ids(search_time_entries(user, "review", 5)) == [
        tagged[0].pk, noted[0].pk, tagged[1].pk, noted[1].pk, tagged[2].pk]


@pytest.mark.parametrize("days", [[5, 6, 7], [100, 101, 102]], ids=["recent", "older"])
def test_notes_as_new_as_the_last_of_limit_tagged_entries_still_count(user, entry, days):
    tagged = [entry(day, "misc", tags="spike") for day in days]
    same_start_note = entry(days[2], "spike again")  # the same start as the last tagged entry, a larger id
    entry(200, "spike too old to make the cut")
    assert ids(search_time_entries(user, "spike", 3)) == [tagged[0].pk, tagged[1].pk, same_start_note.pk]
    newer_note = entry(days[0] - 1, "spike on caching")
    assert ids(search_time_entries(user, "spike", 3)) == [newer_note.pk, tagged[0].pk, tagged[1].pk]


def test_older_entries_fill_up_when_the_window_has_too_few(user, entry):
    recent = entry(1, "deploy")
    older = [entry(day, "deploy") for day in (900, 31, 700, 90, 800)]
    assert ids(search_time_entries(user, "deploy", 3)) == [recent.pk, older[1].pk, older[3].pk]


def test_a_full_window_hides_older_matches(user, entry):
    recent = [entry(day, "deploy") for day in (1, 2)]
    entry(31, "deploy")
    assert ids(search_time_entries(user, "deploy", 2)) == ids(recent)


def test_a_non_admin_finds_only_their_own_entries(user, admin_user, make_user, entry):
    bob = make_user("bob")
    mine = entry(1, "website fixes")
    theirs = [entry(2, "website secret", owner=bob), entry(40, "misc", tags="website", owner=bob)]
    assert ids(search_time_entries(user, "website", 10)) == [mine.pk]
    assert ids(search_time_entries(admin_user, "website", 10)) == [mine.pk] + ids(theirs)


def test_deleted_entries_are_not_found(user, entry):
    kept = entry(1, "invoice export")
    for deleted in (entry(2, "invoice export"), entry(3, "misc", tags="invoice"), entry(60, "invoice export")):
        time_entry_delete(entry=deleted)
    assert ids(search_time_entries(user, "invoice", 10)) == [kept.pk]


def test_matching_ignores_case(user, entry):
    noted = entry(1, "Fixed the Checkout flow")
    tagged = entry(35, "misc", tags="CHECKOUT")
    assert ids(search_time_entries(user, "cHeCkOuT", 10)) == [noted.pk, tagged.pk]


@pytest.mark.parametrize("kind", ["no match", "notes only", "tags only", "tags and older notes", "many recent"])
def test_at_most_four_queries(user, entry, django_assert_max_num_queries, kind):
    if kind == "notes only":
        entry(45, "word")
    elif kind == "tags only":
        entry(45, "misc", tags="word")
    elif kind == "tags and older notes":
        for day in range(12):
            entry(40 + day, "misc", tags="word")
        entry(35, "word")
    elif kind == "many recent":
        for hour in range(20):
            entry(1, "word", tags="word", hours=hour)
    with django_assert_max_num_queries(4):
        found = search_time_entries(user, "word", 10)
        [entry.project.name for entry in found]  # the project comes with the entry
