"""The timer: status, start, stop, and one running timer per user even under concurrency."""

import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from timeentries.models import TimeEntry


def test_status_without_a_timer(api):
    assert api.get("/api/v1/timer/status").json() == {"active": False, "timer": None}


def test_start_status_stop(api, user, project, make_task):
    task = make_task(project)
    started = api.post("/api/v1/timer/start", {"project_id": project.pk, "task_id": task.pk, "notes": "go",
                                               "tags": "focus"}, format="json")
    assert started.status_code == 201
    timer = started.json()["timer"]
    assert timer["is_active"] is True and timer["end_time"] is None and timer["source"] == "timer"
    assert timer["tags"] == "focus"

    status = api.get("/api/v1/timer/status").json()
    assert status["active"] is True
    assert status["timer"]["id"] == timer["id"]
    assert status["timer"]["elapsed_seconds"] >= 0

    stopped = api.post("/api/v1/timer/stop")
    assert stopped.status_code == 200
    entry = stopped.json()["time_entry"]
    assert entry["id"] == timer["id"]
    assert entry["end_time"] is not None and entry["duration_seconds"] is not None
    assert entry["is_active"] is False
    assert api.get("/api/v1/timer/status").json()["active"] is False


def test_second_start_conflicts(api, project):
    api.post("/api/v1/timer/start", {"project_id": project.pk}, format="json")
    response = api.post("/api/v1/timer/start", {"project_id": project.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["error_code"] == "timer_already_running"
    assert TimeEntry.objects.running().count() == 1


def test_stop_without_a_timer_is_a_400(api):
    response = api.post("/api/v1/timer/stop")
    assert response.status_code == 400
    assert response.json()["error_code"] == "no_active_timer"


def test_timers_are_per_user(make_client, make_user, project):
    for name in ("one", "two"):
        response = make_client(make_user(name)).post("/api/v1/timer/start", {"project_id": project.pk}, format="json")
        assert response.status_code == 201


@pytest.mark.parametrize("body_key", ["unknown", "archived", "missing"])
def test_start_needs_an_open_project(api, make_project, body_key):
    body = {"unknown": {"project_id": 999999}, "missing": {},
            "archived": {"project_id": make_project("Old", status="archived").pk}}[body_key]
    response = api.post("/api/v1/timer/start", body, format="json")
    assert response.status_code == 400
    assert "project_id" in response.json()["errors"]


def test_timer_needs_write_scope_to_start(make_client, user, project):
    client = make_client(user, ["read:time_entries"])
    assert client.get("/api/v1/timer/status").status_code == 200
    assert client.post("/api/v1/timer/start", {"project_id": project.pk}, format="json").status_code == 403


def test_the_database_allows_one_running_timer_per_user(user, project):
    TimeEntry.objects.create(user=user, project=project, start_time=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(user=user, project=project, start_time=timezone.now())


def test_a_deleted_running_entry_does_not_block_a_new_timer(api, user, project):
    first = api.post("/api/v1/timer/start", {"project_id": project.pk}, format="json").json()["timer"]
    api.delete(f"/api/v1/time-entries/{first['id']}")
    assert api.post("/api/v1/timer/start", {"project_id": project.pk}, format="json").status_code == 201


def _concurrent_starts(token, project_id, count=2):
    barrier = threading.Barrier(count)
    statuses = []

    def start():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        barrier.wait()
        try:
            statuses.append(client.post("/api/v1/timer/start", {"project_id": project_id}, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL (DATABASE_URL)"
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_give_one_201_and_one_409(make_user, make_token, make_project):
    user = make_user("racer")
    token = make_token(user, ["write:time_entries"])
    project = make_project("Race")
    for _ in range(5):
        assert _concurrent_starts(token, project.pk) == [201, 409]
        assert TimeEntry.objects.running().filter(user=user).count() == 1
        TimeEntry.objects.running().filter(user=user).update(end_time=timezone.now(), duration_seconds=0)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_unique_index_decides_when_both_starts_pass_the_check(make_user, make_token, make_project):
    # With the application-level check out of the way both requests reach INSERT; the database must refuse one.
    user = make_user("racer")
    token = make_token(user, ["write:time_entries"])
    project = make_project("Race")
    with mock.patch("timeentries.services.time_entry_check"):
        assert _concurrent_starts(token, project.pk) == [201, 409]
    assert TimeEntry.objects.running().filter(user=user).count() == 1
