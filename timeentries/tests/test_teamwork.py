"""The Teamwork-compatible API under /teamwork/, checked against the protocol notes."""

import base64
import datetime

import pytest
from django.utils import timezone
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from projects.models import Tasklist
from timeentries.models import Tag, TimeEntry
from timeentries.services import time_entry_delete

UTC = datetime.timezone.utc
ENTRY_KEYS = {
    "id", "project-id", "project-name", "project-status", "company-id", "company-name", "person-id",
    "person-first-name", "person-last-name", "description", "date", "dateUserPerspective", "has-start-time",
    "hours", "minutes", "hoursDecimal", "isbillable", "isbilled", "invoiceNo", "todo-item-id", "todo-item-name",
    "todo-list-id", "todo-list-name", "ticket-id", "tags", "canEdit", "createdAt", "updated-date",
}
TOTAL_KEYS = {
    "total-mins-sum", "total-hours-sum", "billable-mins-sum", "billable-hours-sum", "non-billable-mins-sum",
    "non-billable-hours-sum", "billed-mins-sum", "billed-hours-sum", "non-billed-mins-sum", "non-billed-hours-sum",
}
ESTIMATE_KEYS = {
    "total-mins-estimated", "total-hours-estimated", "active-mins-estimated", "active-hours-estimated",
    "completed-mins-estimated", "completed-hours-estimated",
}


def an_hour_ago():
    """A start a running timer may have: an hour ago."""
    return timezone.now() - datetime.timedelta(hours=1)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def teamwork_client(token):
    """Authenticates as Teamwork clients do: Basic with the key as username and X as password."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{token}:X".encode()).decode())
    return client


@pytest.fixture
def tw(make_token, user):
    return teamwork_client(make_token(user, ["write:time_entries"]))


@pytest.fixture
def tw_admin(make_token, admin_user):
    return teamwork_client(make_token(admin_user, ["write:time_entries"]))


@pytest.fixture
def other(make_user):
    return make_user("bob")


def post(client, url, entry, **kwargs):
    return client.post(url, {"time-entry": entry}, format="json", **kwargs)


def queries_of(client, url) -> int:
    """How many queries a successful GET of ``url`` issues."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def entries_of(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["STATUS"] == "OK"
    return body["time-entries"]


class TestEntryShape:
    def test_every_key_and_value_type_of_the_notes(self, tw, user, make_client, make_project, make_task):
        from projects.models import Client

        client = Client.objects.create(name="Demo 1 Company")
        project = make_project("Test Project", client=client)
        tasklist = Tasklist.objects.create(project=project, name="Inbox")
        task = make_task(project, "Write documentation", tasklist=tasklist)
        user.first_name, user.last_name = "Demo", "User"
        user.save()
        response = post(tw, f"/teamwork/tasks/{task.pk}/time_entries.json",
                        {"description": "docs", "date": "20140330", "time": "10:10", "hours": "1", "minutes": "15",
                         "isbillable": "1", "tags": "tag1,tag2"})
        assert response.status_code == 201
        entry = entries_of(tw.get("/teamwork/time_entries.json"))[0]
        assert set(entry) == ENTRY_KEYS
        assert entry["project-name"] == "Test Project" and entry["project-status"] == "active"
        assert entry["company-id"] == str(client.pk) and entry["company-name"] == "Demo 1 Company"
        assert entry["person-id"] == str(user.pk)
        assert (entry["person-first-name"], entry["person-last-name"]) == ("Demo", "User")
        assert entry["todo-item-id"] == str(task.pk) and entry["todo-item-name"] == "Write documentation"
        assert entry["todo-list-id"] == str(tasklist.pk) and entry["todo-list-name"] == "Inbox"
        assert entry["date"] == "2014-03-30T10:10:00Z"
        assert (entry["hours"], entry["minutes"], entry["hoursDecimal"]) == ("1", "15", 1.25)
        assert (entry["isbillable"], entry["isbilled"], entry["invoiceNo"], entry["has-start-time"]) == ("1", "0", "", "1")
        assert entry["ticket-id"] == ""
        assert [tag["name"] for tag in entry["tags"]] == ["tag1", "tag2"]
        assert all(set(tag) == {"id", "name", "color"} and all(isinstance(v, str) for v in tag.values())
                   for tag in entry["tags"])
        assert entry["canEdit"] is True
        for key, value in entry.items():
            if key not in {"tags", "canEdit", "hoursDecimal"}:
                assert isinstance(value, str), key

    def test_empty_optional_ids_are_empty_strings(self, tw, user, project, make_entry):
        make_entry(user, project, at(2024, 1, 1, 9))
        entry = entries_of(tw.get("/teamwork/time_entries.json"))[0]
        assert entry["company-id"] == entry["todo-item-id"] == entry["todo-list-id"] == entry["ticket-id"] == ""

    def test_a_1000_minute_entry_reads_16_hours_40_minutes(self, tw, user, project, make_entry):
        make_entry(user, project, at(2024, 1, 1, 0), hours=1000 / 60)
        entry = entries_of(tw.get("/teamwork/time_entries.json"))[0]
        assert (entry["hours"], entry["minutes"], entry["hoursDecimal"]) == ("16", "40", 16.67)

    def test_a_user_at_utc_minus_5_logging_local_midnight(self, make_user, make_token, project):
        user = make_user("ny", timezone="America/Bogota")  # UTC−5 all year
        client = teamwork_client(make_token(user, ["write:time_entries"]))
        post(client, f"/teamwork/projects/{project.pk}/time_entries.json",
             {"date": "20241221", "time": "00:00", "hours": 1, "minutes": 0})
        entry = entries_of(client.get("/teamwork/time_entries.json"))[0]
        assert entry["date"] == "2024-12-21T05:00:00Z"
        assert entry["dateUserPerspective"] == "2024-12-21T00:00:00Z"

    def test_isbilled_follows_the_invoice_number(self, tw, user, project, make_entry):
        make_entry(user, project, at(2024, 1, 1, 9), invoice_number="INV-3")
        entry = entries_of(tw.get("/teamwork/time_entries.json"))[0]
        assert (entry["isbilled"], entry["invoiceNo"]) == ("1", "INV-3")


class TestCreate:
    def test_project_route_answers_201_with_time_log_id_and_id_header(self, tw, project):
        response = post(tw, f"/teamwork/projects/{project.pk}/time_entries.json",
                        {"description": "x", "date": "20240330", "hours": "2", "minutes": "0"})
        assert response.status_code == 201
        entry = TimeEntry.objects.get()
        assert response.json() == {"STATUS": "OK", "timeLogId": str(entry.pk)}
        assert response["id"] == str(entry.pk)
        assert entry.source == "teamwork" and entry.has_start_time is False
        assert entry.duration_seconds == 7200

    @pytest.mark.parametrize("route", ["tasks", "todo_items"])
    def test_task_routes_answer_201_with_id(self, tw, project, make_task, route):
        task = make_task(project)
        response = post(tw, f"/teamwork/{route}/{task.pk}/time_entries.json",
                        {"date": "20240330", "time": "09:00", "hours": 0, "minutes": 30})
        assert response.status_code == 201
        entry = TimeEntry.objects.get()
        assert response.json() == {"STATUS": "OK", "id": str(entry.pk)}
        assert response["id"] == str(entry.pk)
        assert (entry.task, entry.project) == (task, project)

    def test_date_and_time_are_read_in_the_booked_persons_timezone(self, make_user, make_token, project):
        user = make_user("syd", timezone="Australia/Sydney")
        client = teamwork_client(make_token(user, ["write:time_entries"]))
        post(client, f"/teamwork/projects/{project.pk}/time_entries.json",
             {"date": "20240115", "time": "09:00", "hours": 1})
        assert TimeEntry.objects.get().start_time == at(2024, 1, 14, 22, 0)

    @pytest.mark.parametrize("value, billable", [("1", True), ("0", False), (True, True), (False, False),
                                                 ("true", True), ("false", False), (1, True), (0, False)])
    def test_isbillable_accepts_strings_numbers_and_booleans(self, tw, project, value, billable):
        post(tw, f"/teamwork/projects/{project.pk}/time_entries.json", {"hours": 1, "isbillable": value})
        assert TimeEntry.objects.get().billable is billable

    def test_isbillable_defaults_to_the_project(self, tw, make_project):
        internal = make_project("Internal", billable=False)
        post(tw, f"/teamwork/projects/{internal.pk}/time_entries.json", {"hours": 1, "date": "20240101"})
        assert TimeEntry.objects.get().billable is False

    def test_tags_are_names_created_on_first_use(self, tw, project):
        Tag.objects.create(name="Existing")
        post(tw, f"/teamwork/projects/{project.pk}/time_entries.json", {"hours": 1, "tags": "existing, new"})
        assert sorted(TimeEntry.objects.get().tags.values_list("name", flat=True)) == ["Existing", "new"]

    def test_an_admin_may_book_for_another_person(self, tw_admin, other, project):
        response = post(tw_admin, f"/teamwork/projects/{project.pk}/time_entries.json",
                        {"person-id": str(other.pk), "hours": 1})
        assert response.status_code == 201
        assert TimeEntry.objects.get().user == other

    def test_a_non_admin_may_not_book_for_another_person(self, tw, other, project):
        response = post(tw, f"/teamwork/projects/{project.pk}/time_entries.json", {"person-id": other.pk, "hours": 1})
        assert response.status_code == 403
        assert response.json()["STATUS"] == "Error"
        assert not TimeEntry.objects.exists()

    @pytest.mark.parametrize("entry", [
        {"hours": 0, "minutes": 0}, {}, {"hours": "-1", "minutes": 90}, {"hours": "one"}, {"hours": 1.5},
        {"hours": 1, "date": "2024-03-30"}, {"hours": 1, "time": "25:00"}, {"hours": 1, "isbillable": "maybe"},
        {"hours": 1, "tags": 7}, {"hours": 1, "person-id": 999999},
    ])
    def test_bad_entries_are_422s(self, tw, project, entry):
        response = post(tw, f"/teamwork/projects/{project.pk}/time_entries.json", entry)
        assert response.status_code == 422
        assert set(response.json()) == {"MESSAGE", "STATUS"} and response.json()["STATUS"] == "Error"
        assert not TimeEntry.objects.exists()

    def test_a_missing_wrapper_is_a_422(self, tw, project):
        response = tw.post(f"/teamwork/projects/{project.pk}/time_entries.json", {"hours": 1}, format="json")
        assert response.status_code == 422
        assert "time-entry" in response.json()["MESSAGE"]

    def test_an_unreadable_body_is_a_422(self, tw, project):
        response = tw.post(f"/teamwork/projects/{project.pk}/time_entries.json", data="{not json",
                           content_type="application/json")
        assert response.status_code == 422

    def test_an_archived_project_takes_no_time(self, tw, make_project):
        archived = make_project("Old", status="archived")
        response = post(tw, f"/teamwork/projects/{archived.pk}/time_entries.json", {"hours": 1})
        assert response.status_code == 422

    def test_unknown_project_or_task_is_a_404(self, tw):
        assert post(tw, "/teamwork/projects/999999/time_entries.json", {"hours": 1}).status_code == 404
        assert post(tw, "/teamwork/tasks/999999/time_entries.json", {"hours": 1}).status_code == 404


class TestSingleEntry:
    def test_get_put_delete(self, tw, user, project, make_project, make_task, make_entry):
        entry = make_entry(user, project, at(2024, 3, 30, 10, 10), hours=1, task=make_task(project))
        body = tw.get(f"/teamwork/time_entries/{entry.pk}.json").json()
        assert body["STATUS"] == "OK" and set(body["time-entry"]) == ENTRY_KEYS

        target = make_project("Target")
        response = tw.put(f"/teamwork/time_entries/{entry.pk}.json",
                          {"time-entry": {"description": "moved", "project-id": str(target.pk), "hours": "2",
                                          "minutes": "15", "isbillable": "0"}}, format="json")
        assert response.status_code == 200 and response.json() == {"STATUS": "OK"}
        entry.refresh_from_db()
        assert (entry.notes, entry.project, entry.task, entry.billable) == ("moved", target, None, False)
        assert entry.duration_seconds == 135 * 60
        assert entry.start_time == at(2024, 3, 30, 10, 10)

        assert tw.delete(f"/teamwork/time_entries/{entry.pk}.json").json() == {"STATUS": "OK"}
        assert TimeEntry.all_objects.get(pk=entry.pk).deleted_at is not None
        assert tw.get(f"/teamwork/time_entries/{entry.pk}.json").status_code == 404

    def test_put_is_partial_and_keeps_the_duration_when_only_the_date_moves(self, tw, user, project, make_entry):
        entry = make_entry(user, project, at(2024, 3, 30, 10, 10), hours=1.5, notes="keep")
        tw.put(f"/teamwork/time_entries/{entry.pk}.json", {"time-entry": {"date": "20240402"}}, format="json")
        entry.refresh_from_db()
        assert entry.start_time == at(2024, 4, 2, 10, 10)
        assert entry.duration_seconds == 90 * 60 and entry.notes == "keep"

    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_a_running_timer_is_no_time_log_yet(self, tw, user, project, make_entry, method):
        timer = make_entry(user, project, an_hour_ago(), hours=None)
        response = getattr(tw, method)(f"/teamwork/time_entries/{timer.pk}.json",
                                       {"time-entry": {"hours": 2}}, format="json")
        assert response.status_code == 404
        timer.refresh_from_db()
        assert timer.end_time is None and timer.deleted_at is None

    @pytest.mark.parametrize("times", [{"hours": 10**22}, {"minutes": 10**22}, {"hours": 8785}])
    def test_an_absurd_duration_is_a_422_not_an_overflow(self, tw, user, project, make_entry, times):
        entry = make_entry(user, project, at(2024, 3, 30, 10))
        response = tw.put(f"/teamwork/time_entries/{entry.pk}.json", {"time-entry": times}, format="json")
        assert response.status_code == 422 and "366 days" in response.json()["MESSAGE"]
        created = post(tw, f"/teamwork/projects/{project.pk}/time_entries.json", times)
        assert created.status_code == 422

    def test_put_without_wrapper_is_a_422(self, tw, user, project, make_entry):
        entry = make_entry(user, project, at(2024, 3, 30, 10))
        assert tw.put(f"/teamwork/time_entries/{entry.pk}.json", {"x": 1}, format="json").status_code == 422

    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_another_users_entry_is_a_404(self, tw, other, project, make_entry, method):
        theirs = make_entry(other, project, at(2024, 3, 30, 10), notes="theirs")
        response = getattr(tw, method)(f"/teamwork/time_entries/{theirs.pk}.json",
                                       {"time-entry": {"description": "mine"}}, format="json")
        assert response.status_code == 404
        assert response.json() == {"MESSAGE": response.json()["MESSAGE"], "STATUS": "Error"}
        theirs.refresh_from_db()
        assert theirs.notes == "theirs" and theirs.deleted_at is None


class TestListFilters:
    @pytest.fixture
    def spread(self, user, other, make_project, make_task, make_entry):
        alpha, beta = make_project("Alpha"), make_project("Beta")
        task = make_task(alpha, "Design")
        entries = {
            "a1": make_entry(user, alpha, at(2024, 1, 1, 9), task=task, tags="red"),
            "a2": make_entry(user, alpha, at(2024, 1, 2, 9), billable=False, tags="blue"),
            "b1": make_entry(user, beta, at(2024, 1, 3, 9), invoice_number="INV-1"),
            "o1": make_entry(other, beta, at(2024, 1, 1, 10)),
        }
        beta.status = "archived"
        beta.save()
        return entries, alpha, beta, task

    @staticmethod
    def ids(client, query=""):
        return [int(e["id"]) for e in entries_of(client.get(f"/teamwork/time_entries.json{query}"))]

    def test_ascending_by_date_by_default(self, tw, spread):
        entries = spread[0]
        assert self.ids(tw) == [entries[k].pk for k in ("a1", "a2", "b1")]

    def test_a_non_admin_sees_only_their_own_and_userid_of_another_is_empty(self, tw, other, spread):
        assert spread[0]["o1"].pk not in self.ids(tw)
        assert self.ids(tw, f"?userId={other.pk}") == []

    def test_an_admin_filters_by_user(self, tw_admin, other, spread):
        assert self.ids(tw_admin, f"?userId={other.pk}") == [spread[0]["o1"].pk]

    @pytest.mark.parametrize("names", [("fromdate", "todate"), ("fromDate", "toDate"), ("FROMDATE", "TODATE")])
    def test_date_range_in_both_spellings(self, tw, spread, names):
        entries = spread[0]
        assert self.ids(tw, f"?{names[0]}=20240102&{names[1]}=20240102") == [entries["a2"].pk]

    def test_times_narrow_the_dates(self, tw, spread):
        entries = spread[0]
        assert self.ids(tw, "?fromdate=20240101&fromtime=09:30") == [entries["a2"].pk, entries["b1"].pk]
        assert self.ids(tw, "?todate=20240102&totime=09:00") == [entries["a1"].pk, entries["a2"].pk]

    def test_dates_are_the_callers_local_days(self, make_user, make_token, project, make_entry):
        user = make_user("syd", timezone="Australia/Sydney")
        inside = make_entry(user, project, at(2024, 1, 14, 13, 0))  # 00:00 on 15 Jan in Sydney
        make_entry(user, project, at(2024, 1, 14, 12, 0))  # 23:00 on 14 Jan
        client = teamwork_client(make_token(user, ["read:time_entries"]))
        assert self.ids(client, "?fromdate=20240115&todate=20240115") == [inside.pk]

    @pytest.mark.parametrize("sortby, order, expected", [
        ("date", "DESC", ["b1", "a2", "a1"]),
        ("project", "asc", ["a1", "a2", "b1"]),
        ("project", "desc", ["b1", "a2", "a1"]),
        ("dateupdated", "asc", ["a1", "a2", "b1"]),
    ])
    def test_sortby_and_sortorder(self, tw, spread, sortby, order, expected):
        entries = spread[0]
        assert self.ids(tw, f"?sortby={sortby}&sortorder={order}") == [entries[k].pk for k in expected]

    def test_sort_by_task_name(self, tw, user, project, make_task, make_entry):
        design = make_entry(user, project, at(2024, 1, 1, 9), task=make_task(project, "Design"))
        build = make_entry(user, project, at(2024, 1, 2, 9), task=make_task(project, "Build"))
        assert self.ids(tw, "?sortby=task") == [build.pk, design.pk]
        assert self.ids(tw, "?sortby=task&sortorder=desc") == [design.pk, build.pk]

    @pytest.mark.parametrize("sortby", ["user", "tasklist", "company"])
    def test_every_sortby_is_accepted(self, tw, spread, sortby):
        assert len(self.ids(tw, f"?sortby={sortby}")) == 3

    def test_billable_and_invoiced_types(self, tw, spread):
        entries = spread[0]
        assert self.ids(tw, "?billableType=nonbillable") == [entries["a2"].pk]
        assert self.ids(tw, "?billableType=billable") == [entries["a1"].pk, entries["b1"].pk]
        assert self.ids(tw, "?invoicedType=invoiced") == [entries["b1"].pk]
        assert self.ids(tw, "?invoicedType=noninvoiced") == [entries["a1"].pk, entries["a2"].pk]

    def test_project_type(self, tw, spread):
        entries = spread[0]
        assert self.ids(tw, "?projectType=archived") == [entries["b1"].pk]
        assert self.ids(tw, "?projectType=active") == [entries["a1"].pk, entries["a2"].pk]
        assert len(self.ids(tw, "?projectType=all")) == 3

    def test_tag_ids_match_any(self, tw, spread):
        entries = spread[0]
        red, blue = Tag.objects.get(name="red"), Tag.objects.get(name="blue")
        assert self.ids(tw, f"?tagIds={red.pk},{blue.pk}") == [entries["a1"].pk, entries["a2"].pk]

    def test_show_deleted_brings_deleted_entries_back(self, tw, spread):
        entries = spread[0]
        time_entry_delete(entry=entries["a1"])
        assert entries["a1"].pk not in self.ids(tw)
        assert entries["a1"].pk in self.ids(tw, "?showDeleted=true")
        deleted = next(e for e in entries_of(tw.get("/teamwork/time_entries.json?showDeleted=true"))
                       if e["id"] == str(entries["a1"].pk))
        assert deleted["canEdit"] is False

    def test_updated_after_date(self, tw, spread):
        entries = spread[0]
        TimeEntry.objects.filter(pk=entries["a2"].pk).update(updated_at=at(2030, 1, 1))
        assert self.ids(tw, "?updatedAfterDate=20291231235959") == [entries["a2"].pk]

    def test_project_id_narrows_the_account_list(self, tw, spread):
        entries, alpha = spread[0], spread[1]
        assert self.ids(tw, f"?projectId={alpha.pk}") == [entries["a1"].pk, entries["a2"].pk]

    def test_project_and_task_routes(self, tw, spread):
        entries, alpha, _, task = spread
        ids = [int(e["id"]) for e in entries_of(tw.get(f"/teamwork/projects/{alpha.pk}/time_entries.json"))]
        assert ids == [entries["a1"].pk, entries["a2"].pk]
        for route in ("tasks", "todo_items"):
            ids = [int(e["id"]) for e in entries_of(tw.get(f"/teamwork/{route}/{task.pk}/time_entries.json"))]
            assert ids == [entries["a1"].pk]

    @pytest.mark.parametrize("query", [
        "?fromdate=2024-01-01", "?todate=20241301", "?fromtime=09:00", "?fromdate=20240101&fromtime=9am",
        "?sortby=colour", "?sortorder=up", "?userId=me", "?billableType=maybe", "?invoicedType=x",
        "?projectType=old", "?showDeleted=perhaps", "?tagIds=a,b", "?updatedAfterDate=yesterday", "?page=0",
        "?pageSize=-5", "?projectId=abc", "?fromdate=20240105&todate=20240101",
    ])
    def test_invalid_values_are_400s(self, tw, query):
        response = tw.get(f"/teamwork/time_entries.json{query}")
        assert response.status_code == 400
        assert response.json()["STATUS"] == "Error" and response.json()["MESSAGE"]

    def test_running_timers_are_not_listed(self, tw, user, project, make_entry):
        make_entry(user, project, an_hour_ago(), hours=None)
        assert self.ids(tw) == []


class TestPaging:
    @pytest.mark.parametrize("count, pages", [(0, "0"), (1, "1"), (501, "2")])
    def test_paging_headers(self, tw, user, project, count, pages):
        TimeEntry.objects.bulk_create(
            TimeEntry(user=user, project=project, start_time=at(2024, 1, 1) + datetime.timedelta(hours=i),
                      end_time=at(2024, 1, 1) + datetime.timedelta(hours=i, minutes=30), duration_seconds=1800)
            for i in range(count)
        )
        response = tw.get("/teamwork/time_entries.json")
        assert (response["X-Page"], response["X-Pages"], response["X-Records"]) == ("1", pages, str(count))
        assert len(response.json()["time-entries"]) == min(count, 500)
        if count == 501:
            second = tw.get("/teamwork/time_entries.json?page=2")
            assert len(second.json()["time-entries"]) == 1 and second["X-Page"] == "2"
            assert tw.get("/teamwork/time_entries.json?page=3").json()["time-entries"] == []
            assert len(tw.get("/teamwork/time_entries.json?pageSize=1000").json()["time-entries"]) == 500

    def test_a_page_beyond_any_database_offset_is_empty_not_an_error(self, tw, user, project, make_entry):
        make_entry(user, project, at(2024, 1, 1, 9))
        response = tw.get("/teamwork/time_entries.json?page=144115188075855873&pageSize=500")
        assert response.status_code == 200
        assert response.json()["time-entries"] == [] and response["X-Records"] == "1"

    def test_query_count_does_not_grow_with_rows(self, tw, user, make_project, make_task, make_entry):
        tw.get("/teamwork/time/total.json")

        def count(page_size=500):
            return queries_of(tw, f"/teamwork/time_entries.json?pageSize={page_size}")

        project = make_project("P")
        make_entry(user, project, at(2024, 1, 1, 9), tags="a", task=make_task(project))
        last_page, full_page = count(), count(1)  # a full page also counts the records
        for day in range(2, 22):
            p = make_project(f"P{day}")
            make_entry(user, p, at(2024, 1, day, 9), tags=f"t{day}", task=make_task(p))
        assert count() == last_page < count(20) == full_page <= 5


class TestTotals:
    @pytest.fixture
    def logged(self, user, other, make_project, make_task, make_entry):
        """Alice on Website: 60 billable, 25 billable+billed, 40 non-billable (task A); Bob 30 billable."""
        from projects.models import Client

        website = make_project("Website", client=Client.objects.create(name="Digital Crew"))
        tasklist = Tasklist.objects.create(project=website, name="Time Rollup")
        task_a = make_task(website, "A", tasklist=tasklist, estimated_minutes=105)
        make_task(website, "B", tasklist=tasklist, estimated_minutes=25, status="done")
        make_task(website, "C", estimated_minutes=10)
        make_entry(user, website, at(2024, 1, 1, 9), hours=1)
        make_entry(user, website, at(2024, 1, 2, 9), hours=25 / 60, invoice_number="INV-1")
        make_entry(user, website, at(2024, 1, 3, 9), hours=40 / 60, billable=False, task=task_a)
        make_entry(other, website, at(2024, 1, 1, 9), hours=0.5)
        return website, tasklist, task_a

    def test_account_totals_against_hand_computed_figures(self, tw, logged):
        body = tw.get("/teamwork/time/total.json").json()
        assert body["STATUS"] == "OK"
        assert body["time-totals"] == {
            "total-mins-sum": "125", "total-hours-sum": "2.08",
            "billable-mins-sum": "85", "billable-hours-sum": "1.42",
            "non-billable-mins-sum": "40", "non-billable-hours-sum": "0.67",
            "billed-mins-sum": "25", "billed-hours-sum": "0.42",
            "non-billed-mins-sum": "100", "non-billed-hours-sum": "1.67",
        }

    def test_an_admin_totals_everyone_or_one_user(self, tw_admin, other, logged):
        assert tw_admin.get("/teamwork/time/total.json").json()["time-totals"]["total-mins-sum"] == "155"
        body = tw_admin.get(f"/teamwork/time/total.json?userId={other.pk}").json()
        assert body["time-totals"]["total-mins-sum"] == "30"

    def test_totals_honour_dates_and_project_type(self, tw, logged):
        body = tw.get("/teamwork/time/total.json?fromDate=20240102&toDate=20240102").json()
        assert body["time-totals"]["total-mins-sum"] == "25"
        body = tw.get("/teamwork/time/total.json?fromdate=20240101&fromTime=09:30").json()
        assert body["time-totals"]["total-mins-sum"] == "65"
        assert tw.get("/teamwork/time/total.json?projectType=archived").json()["time-totals"]["total-mins-sum"] == "0"

    def test_project_totals_with_estimates(self, tw, logged):
        website = logged[0]
        body = tw.get(f"/teamwork/projects/{website.pk}/time/total.json").json()
        project = body["projects"][0]
        assert set(project) == {"id", "name", "company", "time-totals", "time-estimates"}
        assert project["company"] == {"id": str(website.client_id), "name": "Digital Crew"}
        assert set(project["time-totals"]) == TOTAL_KEYS and set(project["time-estimates"]) == ESTIMATE_KEYS
        assert project["time-totals"]["total-mins-sum"] == "125"
        assert project["time-estimates"] == {
            "total-mins-estimated": "140", "total-hours-estimated": "2.33",
            "active-mins-estimated": "115", "active-hours-estimated": "1.92",
            "completed-mins-estimated": "25", "completed-hours-estimated": "0.42",
        }

    def test_tasklist_and_task_totals_nest_as_the_notes_show(self, tw, logged):
        website, tasklist, task_a = logged
        body = tw.get(f"/teamwork/tasklists/{tasklist.pk}/time/total.json").json()["projects"][0]
        assert body["id"] == str(website.pk)
        assert body["tasklist"]["id"] == str(tasklist.pk)
        assert body["tasklist"]["time-totals"]["total-mins-sum"] == "40"
        assert body["tasklist"]["time-estimates"]["total-mins-estimated"] == "130"
        body = tw.get(f"/teamwork/tasks/{task_a.pk}/time/total.json").json()["projects"][0]
        task = body["tasklist"]["task"]
        assert (task["id"], task["name"]) == (str(task_a.pk), "A")
        assert task["time-totals"]["non-billable-mins-sum"] == "40"
        assert task["time-estimates"]["active-mins-estimated"] == "105"

    def test_per_project_totals_are_paged(self, tw, user, logged, make_project, make_entry):
        make_entry(user, make_project("Another"), at(2024, 1, 5, 9), hours=0.5, billable=False)
        response = tw.get("/teamwork/projects/time/total.json")
        projects = response.json()["projects"]
        assert [p["name"] for p in projects] == ["Another", "Website"]
        assert projects[1] == {
            "id": str(logged[0].pk), "name": "Website", "company": {"id": str(logged[0].client_id),
                                                                   "name": "Digital Crew"},
            "totalMins": "125", "totalBillableMins": "85", "totalNonBillableMins": "40",
            "totalHours": "2.08", "totalBillableHours": "1.42", "totalNonBillableHours": "0.67",
        }
        assert response["X-Records"] == "2"
        assert len(tw.get("/teamwork/projects/time/total.json?pageSize=1&page=2").json()["projects"]) == 1

    @pytest.mark.parametrize("url", ["/teamwork/time/total.json", "/teamwork/projects/time/total.json",
                                     "/teamwork/projects/PROJECT/time/total.json"])
    def test_each_totals_endpoint_is_one_aggregate_whatever_the_entries(self, tw, user, logged, make_entry, url):
        url = url.replace("PROJECT", str(logged[0].pk))
        tw.get(url)

        before = queries_of(tw, url)
        for day in range(10, 30):
            make_entry(user, logged[0], at(2024, 1, day, 9))
        assert queries_of(tw, url) == before

    def test_per_project_totals_take_as_many_queries_for_twenty_projects_as_for_one(
        self, tw, user, make_project, make_entry
    ):
        url = "/teamwork/projects/time/total.json"
        make_entry(user, make_project("P00"), at(2024, 1, 1, 9))
        tw.get(url)

        one = queries_of(tw, url)
        for number in range(1, 20):
            make_entry(user, make_project(f"P{number:02}"), at(2024, 1, 1, 9))
        assert queries_of(tw, url) == one <= 3

    def test_per_project_totals_page_over_the_projects_by_name(self, tw, user, make_project, make_entry):
        for name in ("Echo", "Alpha", "Delta", "Charlie", "Bravo"):
            make_entry(user, make_project(name), at(2024, 1, 1, 9))
        url = "/teamwork/projects/time/total.json"
        pages = []
        for page in (1, 2, 3, 4):
            response = tw.get(f"{url}?pageSize=2&page={page}")
            assert (response["X-Page"], response["X-Pages"], response["X-Records"]) == (str(page), "3", "5")
            pages.append([project["name"] for project in response.json()["projects"]])
        assert pages == [["Alpha", "Bravo"], ["Charlie", "Delta"], ["Echo"], []]
        response = tw.get(f"{url}?pageSize=1000")
        assert len(response.json()["projects"]) == 5 and response["X-Pages"] == "1"

    def test_per_project_totals_of_a_non_admin_are_their_own(self, tw, tw_admin, other, logged, make_project,
                                                             make_entry):
        make_entry(other, make_project("Bob's own"), at(2024, 1, 5, 9), hours=0.5)
        mine = tw.get("/teamwork/projects/time/total.json")
        assert [(p["name"], p["totalMins"]) for p in mine.json()["projects"]] == [("Website", "125")]
        assert mine["X-Records"] == "1"
        everyone = tw_admin.get("/teamwork/projects/time/total.json").json()["projects"]
        assert [(p["name"], p["totalMins"]) for p in everyone] == [("Bob's own", "30"), ("Website", "155")]

    def test_projects_without_time_are_not_listed(self, tw, user, logged, make_project, make_entry):
        make_project("Never worked on")
        time_entry_delete(entry=make_entry(user, make_project("Only deleted time"), at(2024, 1, 5, 9)))
        make_entry(user, make_project("Only a running timer"), an_hour_ago(), hours=None)
        response = tw.get("/teamwork/projects/time/total.json")
        assert [p["name"] for p in response.json()["projects"]] == ["Website"]
        assert (response["X-Records"], response["X-Pages"]) == ("1", "1")
        empty = tw.get("/teamwork/projects/time/total.json?fromdate=20300101")
        assert empty.json()["projects"] == [] and (empty["X-Records"], empty["X-Pages"]) == ("0", "0")

    def test_unknown_ids_are_404s(self, tw):
        for url in ("projects/999999/time/total.json", "tasklists/999999/time/total.json",
                    "tasks/999999/time/total.json", "projects/999999/time_entries.json"):
            response = tw.get(f"/teamwork/{url}")
            assert response.status_code == 404 and response.json()["STATUS"] == "Error"


class TestTransport:
    def test_no_credentials_is_a_401_with_a_basic_challenge(self, anon, db):
        response = anon.get("/teamwork/time_entries.json")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic")
        assert response.json()["STATUS"] == "Error"

    def test_a_bad_key_is_a_401(self, db):
        assert teamwork_client("tt_" + "x" * 32).get("/teamwork/time_entries.json").status_code == 401

    def test_bearer_and_x_api_key_work_too(self, make_token, user, db):
        token = make_token(user, ["read:time_entries"])
        assert APIClient().get("/teamwork/time/total.json", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
        assert APIClient().get("/teamwork/time/total.json", HTTP_X_API_KEY=token).status_code == 200

    def test_reading_needs_read_and_writing_needs_write(self, make_token, user, project):
        reader = teamwork_client(make_token(user, ["read:time_entries"]))
        assert reader.get("/teamwork/time_entries.json").status_code == 200
        response = post(reader, f"/teamwork/projects/{project.pk}/time_entries.json", {"hours": 1})
        assert response.status_code == 403 and response.json()["STATUS"] == "Error"
        other_scope = teamwork_client(make_token(user, ["read:projects"]))
        assert other_scope.get("/teamwork/time_entries.json").status_code == 403

    def test_etag_and_304(self, tw, user, project, make_entry):
        make_entry(user, project, at(2024, 1, 1, 9))
        first = tw.get("/teamwork/time_entries.json")
        etag = first["ETag"]
        assert etag
        again = tw.get("/teamwork/time_entries.json", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        make_entry(user, project, at(2024, 1, 2, 9))
        assert tw.get("/teamwork/time_entries.json", HTTP_IF_NONE_MATCH=etag).status_code == 200

    @pytest.mark.parametrize("path", ["/teamwork/milestones.json", "/teamwork/tasks/%0A/time_entries.json"])
    def test_unknown_teamwork_url_is_a_json_404(self, tw, path):
        response = tw.get(path)
        assert response.status_code == 404 and response.json()["STATUS"] == "Error"

    def test_a_verb_a_route_does_not_take_is_a_405_in_teamwork_shape(self, tw):
        response = tw.post("/teamwork/time_entries.json", {"time-entry": {"hours": 1}}, format="json")
        assert response.status_code == 405 and response.json()["STATUS"] == "Error"
