"""/api/v1/time-entries through HTTP, as a client meets it."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from django.test.utils import CaptureQueriesContext
from django.db import connection

from timeentries.models import Tag, TimeEntry

UTC = datetime.timezone.utc
ENTRY_KEYS = {
    "id", "user_id", "project_id", "task_id", "start_time", "end_time", "duration_seconds", "duration_hours",
    "notes", "tags", "billable", "invoice_number", "source", "is_active", "created_at", "updated_at",
}


def an_hour_ago():
    """A start a running timer may have: an hour ago."""
    return timezone.now() - datetime.timedelta(hours=1)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def other(make_user):
    return make_user("bob")


def create(client, **body):
    return client.post("/api/v1/time-entries", body, format="json")


def test_create_renders_the_entry_in_the_v1_shape(api, user, project):
    response = create(
        api, project_id=project.pk, start_time="2024-01-15T09:00:00Z", end_time="2024-01-15T17:00:00Z",
        notes="Worked on feature X", tags="development, frontend,Development", billable=True,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["message"]
    entry = body["time_entry"]
    assert set(entry) == ENTRY_KEYS
    assert entry["user_id"] == user.pk
    assert entry["duration_seconds"] == 8 * 3600
    assert entry["duration_hours"] == 8.0
    assert entry["tags"] == "development,frontend"
    assert entry["source"] == "api"
    assert entry["is_active"] is False
    assert entry["start_time"] == "2024-01-15T09:00:00Z"


def test_tags_are_created_on_first_use_and_reused_regardless_of_case(api, project):
    create(api, project_id=project.pk, start_time="2024-01-15T09:00:00Z", end_time="2024-01-15T10:00:00Z",
           tags="Design")
    create(api, project_id=project.pk, start_time="2024-01-16T09:00:00Z", end_time="2024-01-16T10:00:00Z",
           tags=["design", " review "])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Design", "review"]


def test_billable_defaults_to_the_projects_setting(api, make_project):
    unbillable = make_project("Internal", billable=False)
    response = create(api, project_id=unbillable.pk, start_time="2024-01-15T09:00:00Z",
                      end_time="2024-01-15T10:00:00Z")
    assert response.json()["time_entry"]["billable"] is False


def test_a_time_without_offset_is_read_in_the_users_timezone(make_client, make_user, project):
    sydney = make_user("syd", timezone="Australia/Sydney")
    response = create(make_client(sydney), project_id=project.pk, start_time="2024-01-15T09:00:00",
                      end_time="2024-01-15T10:00:00")
    assert response.json()["time_entry"]["start_time"] == "2024-01-14T22:00:00Z"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"start_time": "2024-01-15T09:00:00Z"}, "project_id"),
        ({"project_id": 999999, "start_time": "2024-01-15T09:00:00Z"}, "project_id"),
        ({"project_id": "PROJECT", "start_time": "2024-01-15T10:00:00Z", "end_time": "2024-01-15T09:00:00Z"},
         "end_time"),
        ({"project_id": "PROJECT", "start_time": "2024-01-15T10:00:00Z", "end_time": "2024-01-15T10:00:00Z"},
         "end_time"),
        ({"project_id": "PROJECT", "start_time": "yesterday"}, "start_time"),
        ({"project_id": "PROJECT"}, "start_time"),
        ({"project_id": "PROJECT", "start_time": "2024-01-15T09:00:00Z", "end_time": "2024-01-15T10:00:00Z",
          "tags": 5}, "tags"),
        ({"project_id": "PROJECT", "start_time": "2024-01-15T09:00:00Z", "end_time": "2024-01-15T10:00:00Z",
          "billable": "perhaps"}, "billable"),
        ({"project_id": "PROJECT", "start_time": "2099-01-15T09:00:00Z"}, "start_time"),
        ({"project_id": "PROJECT", "start_time": "2020-01-15T09:00:00Z"}, "start_time"),
        ({"project_id": "PROJECT", "start_time": "9999-12-31T09:00:00Z", "end_time": "9999-12-31T10:00:00Z"},
         "start_time"),
        ({"project_id": "PROJECT", "start_time": "2024-01-01T09:00:00Z", "end_time": "2025-06-01T09:00:00Z"},
         "end_time"),
    ],
)
def test_bad_input_is_a_400_on_the_field(api, project, body, field):
    body = {key: project.pk if value == "PROJECT" else value for key, value in body.items()}
    response = create(api, **body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert TimeEntry.all_objects.count() == 0


def test_no_new_time_on_an_archived_project(api, make_project):
    archived = make_project("Old", status="archived")
    response = create(api, project_id=archived.pk, start_time="2024-01-15T09:00:00Z",
                      end_time="2024-01-15T10:00:00Z")
    assert response.status_code == 400
    assert "project_id" in response.json()["errors"]


def test_a_task_from_another_project_is_refused(api, project, make_project, make_task):
    foreign_task = make_task(make_project("Other"))
    response = create(api, project_id=project.pk, task_id=foreign_task.pk, start_time="2024-01-15T09:00:00Z",
                      end_time="2024-01-15T10:00:00Z")
    assert response.status_code == 400
    assert "task_id" in response.json()["errors"]


def test_omitting_end_time_starts_a_timer_and_a_second_conflicts(api, project):
    first = create(api, project_id=project.pk, start_time=an_hour_ago().isoformat())
    assert first.status_code == 201
    assert first.json()["time_entry"]["is_active"] is True
    second = create(api, project_id=project.pk, start_time=timezone.now().isoformat())
    assert second.status_code == 409
    assert second.json()["error_code"] == "timer_already_running"


def test_admins_may_log_time_for_others(admin_api, other, project):
    response = create(admin_api, user_id=other.pk, project_id=project.pk, start_time="2024-01-15T09:00:00Z",
                      end_time="2024-01-15T10:00:00Z")
    assert response.status_code == 201
    assert response.json()["time_entry"]["user_id"] == other.pk


def test_a_non_admin_cannot_log_time_for_others(api, other, project):
    response = create(api, user_id=other.pk, project_id=project.pk, start_time="2024-01-15T09:00:00Z",
                      end_time="2024-01-15T10:00:00Z")
    assert response.status_code == 403
    assert TimeEntry.all_objects.count() == 0


class TestList:
    def test_newest_first_and_paginated(self, api, user, project, make_entry):
        for day in (1, 3, 2):
            make_entry(user, project, at(2024, 1, day, 9))
        body = api.get("/api/v1/time-entries?per_page=2").json()
        assert [e["start_time"][:10] for e in body["time_entries"]] == ["2024-01-03", "2024-01-02"]
        assert body["pagination"]["total"] == 3

    def test_a_non_admin_sees_only_their_own(self, api, user, other, project, make_entry):
        mine = make_entry(user, project, at(2024, 1, 1, 9))
        make_entry(other, project, at(2024, 1, 1, 9))
        ids = [e["id"] for e in api.get("/api/v1/time-entries").json()["time_entries"]]
        assert ids == [mine.pk]

    def test_a_non_admin_asking_for_another_user_gets_403(self, api, other):
        response = api.get(f"/api/v1/time-entries?user_id={other.pk}")
        assert response.status_code == 403

    def test_an_admin_filters_by_user(self, admin_api, user, other, project, make_entry):
        make_entry(user, project, at(2024, 1, 1, 9))
        theirs = make_entry(other, project, at(2024, 1, 1, 9))
        ids = [e["id"] for e in admin_api.get(f"/api/v1/time-entries?user_id={other.pk}").json()["time_entries"]]
        assert ids == [theirs.pk]

    def test_filters_by_project_task_and_billable(self, api, user, project, make_project, make_task, make_entry):
        task = make_task(project)
        on_task = make_entry(user, project, at(2024, 1, 1, 9), task=task)
        unbilled = make_entry(user, project, at(2024, 1, 2, 9), billable=False)
        elsewhere = make_entry(user, make_project("Other"), at(2024, 1, 3, 9))

        def ids(query):
            return {e["id"] for e in api.get(f"/api/v1/time-entries?{query}").json()["time_entries"]}

        assert ids(f"project_id={project.pk}") == {on_task.pk, unbilled.pk}
        assert ids(f"task_id={task.pk}") == {on_task.pk}
        assert ids("billable=false") == {unbilled.pk}
        assert ids("billable=true") == {on_task.pk, elsewhere.pk}

    def test_tags_filter_matches_any_tag(self, api, user, project, make_entry):
        a = make_entry(user, project, at(2024, 1, 1, 9), tags="alpha")
        b = make_entry(user, project, at(2024, 1, 2, 9), tags="beta,gamma")
        make_entry(user, project, at(2024, 1, 3, 9), tags="delta")
        ids = {e["id"] for e in api.get("/api/v1/time-entries?tags=ALPHA,gamma").json()["time_entries"]}
        assert ids == {a.pk, b.pk}

    def test_running_timers_are_left_out_unless_asked_for(self, api, user, project, make_entry):
        done = make_entry(user, project, at(2024, 1, 1, 9))
        running = make_entry(user, project, an_hour_ago(), hours=None)
        assert [e["id"] for e in api.get("/api/v1/time-entries").json()["time_entries"]] == [done.pk]
        ids = [e["id"] for e in api.get("/api/v1/time-entries?include_active=true").json()["time_entries"]]
        assert ids == [running.pk, done.pk]

    def test_a_sydney_user_filtering_by_a_date_gets_exactly_their_local_day(self, make_client, make_user, project,
                                                                              make_entry):
        sydney = make_user("syd", timezone="Australia/Sydney")  # UTC+11 in January
        before = make_entry(sydney, project, at(2024, 1, 14, 12, 59), hours=0.01)  # 23:59 local, 14 Jan
        first = make_entry(sydney, project, at(2024, 1, 14, 13, 0), hours=0.5)  # 00:00 local, 15 Jan
        last = make_entry(sydney, project, at(2024, 1, 15, 12, 59), hours=0.01)  # 23:59 local, 15 Jan
        after = make_entry(sydney, project, at(2024, 1, 15, 13, 0), hours=0.5)  # 00:00 local, 16 Jan
        client = make_client(sydney)
        body = client.get("/api/v1/time-entries?start_date=2024-01-15&end_date=2024-01-15").json()
        assert {e["id"] for e in body["time_entries"]} == {first.pk, last.pk}
        assert before.pk and after.pk

    def test_datetime_bounds_are_inclusive_instants(self, api, user, project, make_entry):
        entry = make_entry(user, project, at(2024, 1, 15, 9))
        query = "start_date=2024-01-15T09:00:00Z&end_date=2024-01-15T09:00:00Z"
        assert [e["id"] for e in api.get(f"/api/v1/time-entries?{query}").json()["time_entries"]] == [entry.pk]

    @pytest.mark.parametrize("query", ["start_date=15/01/2024", "end_date=2024-13-01", "billable=maybe",
                                       "include_active=sometimes", "project_id=abc", "page=0"])
    def test_bad_filters_are_400s(self, api, query):
        response = api.get(f"/api/v1/time-entries?{query}")
        assert response.status_code == 400
        assert response.json()["error_code"] == "validation_error"

    def test_deleted_entries_leave_the_list(self, api, user, project, make_entry):
        entry = make_entry(user, project, at(2024, 1, 1, 9))
        api.delete(f"/api/v1/time-entries/{entry.pk}")
        assert api.get("/api/v1/time-entries").json()["time_entries"] == []

    def test_query_count_does_not_grow_with_rows(self, api, user, project, make_entry):
        def count_queries(per_page):
            with CaptureQueriesContext(connection) as queries:
                response = api.get(f"/api/v1/time-entries?per_page={per_page}")
                assert len(response.json()["time_entries"]) == min(per_page, TimeEntry.objects.count())
            return len(queries)

        api.get("/api/v1/users/me")  # the token's first use writes last_used_at; keep that out of the count
        make_entry(user, project, at(2024, 1, 1, 9), tags="a,b")
        last_page, full_page = count_queries(100), count_queries(1)  # a full page also counts the total
        for day in range(2, 22):
            make_entry(user, project, at(2024, 1, day, 9), tags=f"t{day},shared")
        assert count_queries(100) == last_page < count_queries(20) == full_page <= 5


class TestDetail:
    def test_retrieve_update_and_soft_delete(self, api, user, project, make_entry):
        entry = make_entry(user, project, at(2024, 1, 1, 9), notes="first")
        assert api.get(f"/api/v1/time-entries/{entry.pk}").json()["time_entry"]["notes"] == "first"

        response = api.patch(f"/api/v1/time-entries/{entry.pk}", {"notes": "second", "tags": "x"}, format="json")
        assert response.status_code == 200
        assert response.json()["time_entry"]["notes"] == "second"
        assert response.json()["time_entry"]["tags"] == "x"

        response = api.put(f"/api/v1/time-entries/{entry.pk}", {"end_time": "2024-01-01T11:30:00Z"}, format="json")
        assert response.json()["time_entry"]["duration_seconds"] == 2.5 * 3600

        assert api.delete(f"/api/v1/time-entries/{entry.pk}").json() == {"message": "Time entry deleted successfully"}
        assert api.get(f"/api/v1/time-entries/{entry.pk}").status_code == 404
        entry = TimeEntry.all_objects.get(pk=entry.pk)
        assert entry.deleted_at is not None

    def test_a_running_timer_can_be_fetched_by_id(self, api, user, project, make_entry):
        running = make_entry(user, project, an_hour_ago(), hours=None)
        assert api.get(f"/api/v1/time-entries/{running.pk}").json()["time_entry"]["is_active"] is True

    @pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
    def test_another_users_entry_is_a_404_for_a_non_admin(self, api, other, project, make_entry, method):
        theirs = make_entry(other, project, at(2024, 1, 1, 9), notes="private")
        response = getattr(api, method)(f"/api/v1/time-entries/{theirs.pk}", {"notes": "mine now"}, format="json")
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.notes == "private" and theirs.deleted_at is None

    def test_an_admin_may_change_anyones_entry(self, admin_api, other, project, make_entry):
        theirs = make_entry(other, project, at(2024, 1, 1, 9))
        response = admin_api.patch(f"/api/v1/time-entries/{theirs.pk}", {"notes": "fixed"}, format="json")
        assert response.status_code == 200

    def test_update_keeps_the_rules(self, api, user, project, make_project, make_task, make_entry):
        entry = make_entry(user, project, at(2024, 1, 1, 9))
        foreign_task = make_task(make_project("Other"))
        assert api.patch(f"/api/v1/time-entries/{entry.pk}", {"task_id": foreign_task.pk},
                         format="json").status_code == 400
        assert api.patch(f"/api/v1/time-entries/{entry.pk}", {"end_time": "2024-01-01T08:00:00Z"},
                         format="json").status_code == 400
        assert api.patch(f"/api/v1/time-entries/{entry.pk}", {"end_time": None},
                         format="json").status_code == 400
        archived = make_project("Gone", status="archived")
        assert api.patch(f"/api/v1/time-entries/{entry.pk}", {"project_id": archived.pk},
                         format="json").status_code == 400

    def test_moving_to_another_project_drops_a_task_of_the_old_one(self, api, user, project, make_project,
                                                                    make_task, make_entry):
        entry = make_entry(user, project, at(2024, 1, 1, 9), task=make_task(project))
        target = make_project("Target")
        body = api.patch(f"/api/v1/time-entries/{entry.pk}", {"project_id": target.pk}, format="json").json()
        assert body["time_entry"]["project_id"] == target.pk
        assert body["time_entry"]["task_id"] is None


class TestIdempotency:
    BODY = {"start_time": "2024-01-15T09:00:00Z", "end_time": "2024-01-15T10:00:00Z", "notes": "once"}

    def test_the_same_key_replays_the_first_response(self, api, project):
        body = {**self.BODY, "project_id": project.pk}
        first = api.post("/api/v1/time-entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
        second = api.post("/api/v1/time-entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert second["Idempotent-Replayed"] == "true"
        assert TimeEntry.objects.count() == 1

    def test_another_token_with_the_same_key_creates_its_own(self, make_client, user, project):
        body = {**self.BODY, "project_id": project.pk}
        for _ in range(2):
            make_client(user).post("/api/v1/time-entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
        assert TimeEntry.objects.count() == 2

    def test_the_key_with_a_different_body_is_refused(self, api, project):
        api.post("/api/v1/time-entries", {**self.BODY, "project_id": project.pk}, format="json",
                 HTTP_IDEMPOTENCY_KEY="abc")
        response = api.post("/api/v1/time-entries", {**self.BODY, "project_id": project.pk, "notes": "twice"},
                            format="json", HTTP_IDEMPOTENCY_KEY="abc")
        assert response.status_code == 422
        assert TimeEntry.objects.count() == 1

    def test_a_key_expires_after_24_hours(self, api, project):
        from timetracker.models import IdempotencyKey

        body = {**self.BODY, "project_id": project.pk}
        api.post("/api/v1/time-entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
        IdempotencyKey.objects.update(created_at=datetime.datetime.now(UTC) - datetime.timedelta(hours=25))
        api.post("/api/v1/time-entries", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
        assert TimeEntry.objects.count() == 2

    def test_a_failed_request_is_not_remembered(self, api, project):
        bad = api.post("/api/v1/time-entries", {"project_id": project.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert bad.status_code == 400
        good = api.post("/api/v1/time-entries", {**self.BODY, "project_id": project.pk}, format="json",
                        HTTP_IDEMPOTENCY_KEY="k")
        assert good.status_code == 201


@pytest.mark.parametrize("scopes, method, expected", [
    (["read:projects"], "get", 403),
    (["read:time_entries"], "get", 200),
    (["read:time_entries"], "post", 403),
    (["write:time_entries"], "get", 200),
])
def test_time_entries_need_their_scopes(make_client, user, scopes, method, expected):
    response = getattr(make_client(user, scopes), method)("/api/v1/time-entries", {}, format="json")
    assert response.status_code == expected


def test_time_entries_need_a_token(anon, db):
    assert anon.get("/api/v1/time-entries").status_code == 401


class TestRendering:
    """The serializer renders entries directly, not field by field (for speed); both must agree."""

    @pytest.fixture
    def entries(self, user, project, make_task, make_entry):
        from timeentries.services import timer_start

        return [
            make_entry(user, project, at(2024, 1, 1, 9), hours=1.5, notes="plain"),
            make_entry(user, project, at(2024, 1, 2, 9), task=make_task(project), tags="b,A", billable=True,
                       invoice_number="INV-7"),
            timer_start(user=user, project=project, notes="running", tags="x"),
        ]

    @pytest.mark.parametrize("serializer_class", ["TimeEntrySerializer", "TimerEntrySerializer"])
    def test_direct_rendering_equals_the_fields_rendering(self, entries, serializer_class):
        from rest_framework.serializers import ModelSerializer

        from timeentries.api import serializers
        from timeentries.selectors import with_tag_names

        serializer = getattr(serializers, serializer_class)()
        listed = with_tag_names(list(TimeEntry.objects.filter(pk__in=[entry.pk for entry in entries])))
        with mock.patch("django.utils.timezone.now", return_value=timezone.now()):  # one elapsed_seconds
            for entry in [*entries, *listed]:
                by_fields = ModelSerializer.to_representation(serializer, entry)
                direct = serializer.to_representation(entry)
                assert list(direct.items()) == list(by_fields.items())
