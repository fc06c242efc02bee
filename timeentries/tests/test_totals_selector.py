"""time_totals_by_project and sum_totals: per-project figures from one aggregate, and totals from those rows."""

import datetime

import pytest
from django.utils import timezone

from projects.models import Client
from timeentries.models import TimeEntry
from timeentries.selectors import sum_totals, time_entries_visible_to, time_totals, time_totals_by_project
from timeentries.services import time_entry_delete

UTC = datetime.timezone.utc


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def logged(user, make_user, make_project, make_entry):
    """Alice on Website (billable, one billed) and Internal (not billable); Bob on Website and Support."""
    bob = make_user("bob")
    website = make_project("Website", client=Client.objects.create(name="Digital Crew"))
    internal = make_project("Internal", billable=False)
    support = make_project("Support")
    make_entry(user, website, at(2024, 1, 1, 9), hours=1)
    make_entry(user, website, at(2024, 1, 2, 9), hours=0.5, invoice_number="INV-1")
    make_entry(user, internal, at(2024, 1, 3, 9), hours=0.25)
    make_entry(bob, website, at(2024, 1, 1, 9), hours=2)
    make_entry(bob, support, at(2024, 1, 4, 9), hours=3, billable=False, invoice_number="INV-2")
    return {"website": website, "internal": internal, "support": support, "bob": bob}


def test_per_project_rows_sum_to_the_totals_of_the_same_entries(admin_user, user, logged):
    for viewer in (admin_user, user):
        entries = time_entries_visible_to(viewer)
        assert sum_totals(time_totals_by_project(entries)) == time_totals(entries)


def test_rows_carry_each_projects_figures_and_client_by_name(admin_user, logged):
    website, internal, support = logged["website"], logged["internal"], logged["support"]
    rows = time_totals_by_project(time_entries_visible_to(admin_user))
    assert rows == [
        {"project_id": internal.pk, "project_name": "Internal", "client_id": None, "client_name": None,
         "total": 900, "billable": 0, "billed": 0, "entries": 1},
        {"project_id": support.pk, "project_name": "Support", "client_id": None, "client_name": None,
         "total": 10800, "billable": 0, "billed": 10800, "entries": 1},
        {"project_id": website.pk, "project_name": "Website", "client_id": website.client_id,
         "client_name": "Digital Crew", "total": 12600, "billable": 12600, "billed": 1800, "entries": 3},
    ]


def test_a_non_admin_gets_only_their_own_time_and_projects(user, logged):
    rows = time_totals_by_project(time_entries_visible_to(user))
    assert [(row["project_name"], row["total"]) for row in rows] == [("Internal", 900), ("Website", 5400)]


def test_projects_without_finished_alive_time_are_absent(admin_user, user, logged, make_project, make_entry):
    make_project("Never worked on")
    time_entry_delete(entry=make_entry(user, make_project("Only deleted time"), at(2024, 1, 5, 9)))
    make_entry(user, make_project("Only a running timer"), timezone.now() - datetime.timedelta(hours=1), hours=None)
    names = [row["project_name"] for row in time_totals_by_project(time_entries_visible_to(admin_user))]
    assert names == ["Internal", "Support", "Website"]


def test_nothing_to_count_is_no_rows_and_zero_totals(user, db):
    rows = time_totals_by_project(TimeEntry.objects.all())
    assert rows == []
    assert sum_totals(rows) == {"total": 0, "billable": 0, "billed": 0, "entries": 0}


def test_projects_of_the_same_name_are_in_id_order(admin_user, user, make_project, make_entry):
    older, newer = make_project("Same"), make_project("Same")
    make_entry(user, newer, at(2024, 1, 1, 9), hours=2)
    make_entry(user, older, at(2024, 1, 1, 9))
    rows = time_totals_by_project(time_entries_visible_to(admin_user))
    assert [row["project_id"] for row in rows] == [older.pk, newer.pk]


def test_filters_on_a_joined_table_still_give_one_row_per_project(admin_user, logged):
    entries = time_entries_visible_to(admin_user).filter(project__client__name="Digital Crew")
    assert [(row["project_name"], row["entries"]) for row in time_totals_by_project(entries)] == [("Website", 3)]


@pytest.mark.parametrize("projects", [1, 15])
def test_two_queries_whatever_the_number_of_projects_and_entries(
    admin_user, user, make_project, make_entry, django_assert_num_queries, projects
):
    for number in range(projects):
        project = make_project(f"P{number}")
        for day in range(1, 4):
            make_entry(user, project, at(2024, 1, day, 9))
    entries = time_entries_visible_to(admin_user)
    with django_assert_num_queries(2):
        assert len(time_totals_by_project(entries)) == projects
