"""List totals: counted only when a page is full, then cached until the entries they count change."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.services import project_update
from timeentries.models import Tag, TimeEntry
from timeentries.services import time_entries_mark_invoiced
from timeentries.signals import TIME_ENTRY_COUNTS
from timeentries.tests.test_teamwork import teamwork_client
from timetracker.counts import _version_key

UTC = datetime.timezone.utc


@pytest.fixture
def count_cache(settings):
    settings.LIST_COUNT_CACHE = True


@pytest.fixture
def tw(make_token, user):
    return teamwork_client(make_token(user, ["read:time_entries"]))


@pytest.fixture
def entries(user, project, make_entry):
    return [make_entry(user, project, datetime.datetime(2024, 1, day, 9, tzinfo=UTC), tags="Review") for day in (1, 2, 3)]


def v1_list(api, query="per_page=2"):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/time-entries?{query}")
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.json()["pagination"]["total"], len(counts)


def teamwork_total(client, query):
    response = client.get(f"/teamwork/time_entries.json?pageSize=1&{query}")
    assert response.status_code == 200
    return int(response["X-Records"])


def test_a_short_page_is_the_last_so_its_rows_are_the_total(api, entries):
    assert v1_list(api, "per_page=100") == (3, 0)
    assert v1_list(api, "per_page=2&page=2") == (3, 0)


def test_a_full_page_counts(api, entries):
    assert v1_list(api, "per_page=2") == (3, 1)
    assert v1_list(api, "per_page=3") == (3, 1)


def test_a_page_past_the_end_counts_for_a_true_total(api, entries):
    assert v1_list(api, "per_page=2&page=5") == (3, 1)


@pytest.mark.usefixtures("count_cache")
class TestCachedTotals:
    def test_the_count_is_served_from_the_cache(self, api, entries):
        assert v1_list(api) == (3, 1)
        assert v1_list(api) == (3, 0)

    def test_each_query_has_its_own_total(self, api, entries, project):
        assert v1_list(api) == (3, 1)
        assert v1_list(api, "per_page=1&start_date=2024-01-02") == (2, 1)

    def test_creating_an_entry_through_the_api_shows_in_the_next_total(
        self, api, entries, project, django_capture_on_commit_callbacks
    ):
        assert v1_list(api) == (3, 1)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/api/v1/time-entries", {
                "project_id": project.pk, "start_time": "2024-01-04T09:00:00Z", "end_time": "2024-01-04T10:00:00Z",
            }, format="json")
        assert response.status_code == 201
        assert v1_list(api) == (4, 1)

    def test_deleting_an_entry_shows_in_the_next_total(self, api, entries, django_capture_on_commit_callbacks):
        assert v1_list(api) == (3, 1)
        with django_capture_on_commit_callbacks(execute=True):
            assert api.delete(f"/api/v1/time-entries/{entries[0].pk}").status_code == 200
        assert v1_list(api, "per_page=1") == (2, 1)

    def test_marking_entries_invoiced_shows_in_teamwork_totals(
        self, tw, entries, django_capture_on_commit_callbacks
    ):
        assert teamwork_total(tw, "invoicedType=invoiced") == 0
        assert teamwork_total(tw, "invoicedType=noninvoiced") == 3
        with django_capture_on_commit_callbacks(execute=True):  # a queryset update(), past the save signals
            time_entries_mark_invoiced(entries=entries[:2], invoice_number="INV-1")
        assert teamwork_total(tw, "invoicedType=invoiced") == 2
        assert teamwork_total(tw, "invoicedType=noninvoiced") == 1

    def test_renaming_a_tag_shows_in_tag_filtered_totals(
        self, api, entries, user, project, make_entry, django_capture_on_commit_callbacks
    ):
        make_entry(user, project, datetime.datetime(2024, 1, 4, 9, tzinfo=UTC), tags="Other")
        assert v1_list(api, "per_page=1&tags=reviewed,other") == (1, 1)
        with django_capture_on_commit_callbacks(execute=True):
            tag = Tag.objects.get(name="Review")
            tag.name = "Reviewed"
            tag.save()
        assert v1_list(api, "per_page=1&tags=reviewed,other") == (4, 1)

    def test_archiving_a_project_shows_in_teamwork_project_type_totals(
        self, tw, entries, user, make_project, make_entry, django_capture_on_commit_callbacks
    ):
        side_project = make_project("Side project")
        make_entry(user, side_project, datetime.datetime(2024, 1, 4, 9, tzinfo=UTC))
        assert teamwork_total(tw, "projectType=active") == 4
        with django_capture_on_commit_callbacks(execute=True):
            project_update(project=side_project, status="archived")
        assert teamwork_total(tw, "projectType=active") == 3

    def test_a_lost_version_does_not_revive_old_counts(self, api, entries):
        assert v1_list(api) == (3, 1)
        TimeEntry.all_objects.filter(pk=entries[0].pk).delete()  # no commit in a test: no bump either
        cache.delete(_version_key(TIME_ENTRY_COUNTS))  # as if Redis had evicted it
        assert v1_list(api) == (2, 1)  # counted afresh, not the 3 cached before


def test_cached_totals_without_a_shared_cache_are_warned_about(monkeypatch, settings):
    from django.core import checks

    from timetracker.checks import check_count_cache_is_shared

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.LIST_COUNT_CACHE = True
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    warnings = check_count_cache_is_shared(None)
    assert [warning.id for warning in warnings] == ["timetracker.W002"] and warnings[0].level == checks.WARNING
    settings.LIST_COUNT_CACHE = False
    assert check_count_cache_is_shared(None) == []
