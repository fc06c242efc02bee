"""Input an attacker or a confused client sends gets a clear 4xx, the same on SQLite and PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from timeentries.models import Tag, TimeEntry
from timeentries.services import time_entry_create, timer_stop

UTC = datetime.timezone.utc


@pytest.mark.parametrize("url", [
    "/api/v1/time-entries?end_date=9999-12-31",
    "/api/v1/time-entries?end_date=9999-12-31T23:59:59.999999Z",
    "/api/v1/time-entries?start_date=0001-01-01",
    "/api/v1/reports/summary?end_date=9999-12-31",
    "/api/v1/reports/summary?start_date=0001-01-01",
])
def test_far_off_dates_are_400s(make_client, make_user, url):
    client = make_client(make_user("syd", timezone="Australia/Sydney"))
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"


@pytest.mark.parametrize("url", ["/api/v1/search?q=ab%00c", "/api/v1/time-entries?tags=a%00b",
                                 "/api/v1/projects?status%00=active"])
def test_nul_characters_in_the_query_are_400s(api, url):
    assert api.get(url).status_code == 400


def test_nul_characters_in_a_json_body_are_400s(api, project):
    response = api.post("/api/v1/time-entries", {"project_id": project.pk, "start_time": "2024-01-01T09:00:00Z",
                                                 "end_time": "2024-01-01T10:00:00Z", "tags": "a\u0000b"}, format="json")
    assert response.status_code == 400
    assert not TimeEntry.objects.exists()


def test_an_unprintable_idempotency_key_is_a_400(api, project):
    response = api.post("/api/v1/time-entries", {"project_id": project.pk, "start_time": "2024-01-01T09:00:00Z",
                                                 "end_time": "2024-01-01T10:00:00Z"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="key\x01")
    assert response.status_code == 400


def test_token_clients_must_send_json(api, project):
    response = api.post("/api/v1/time-entries", f"project_id={project.pk}&start_time=2024-01-01T09:00:00Z",
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_token_clients_get_json_even_when_asking_for_html(api):
    response = api.get("/api/v1/projects", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_staff_browsing_in_the_admin_session_get_the_browsable_api(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/projects", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")


def test_a_time_skipped_by_daylight_saving_is_refused(make_client, make_user, project):
    client = make_client(make_user("syd", timezone="Australia/Sydney"))  # 2024-10-06 02:00 → 03:00
    response = client.post("/api/v1/time-entries", {"project_id": project.pk, "start_time": "2024-10-06T02:15:00",
                                                    "end_time": "2024-10-06T04:00:00"}, format="json")
    assert response.status_code == 400
    assert "start_time" in response.json()["errors"]


def test_a_local_time_on_a_dst_day_is_stored_exactly(make_client, make_user, project):
    client = make_client(make_user("syd", timezone="Australia/Sydney"))
    response = client.post("/api/v1/time-entries", {"project_id": project.pk, "start_time": "2024-10-06T01:30:00",
                                                    "end_time": "2024-10-06T04:00:00"}, format="json")
    assert response.json()["time_entry"]["duration_seconds"] == 90 * 60  # 01:30 AEST → 04:00 AEDT


@pytest.mark.parametrize("user_id", ["EXISTING", 999999])
def test_a_non_admin_learns_nothing_about_other_user_ids(api, make_user, project, user_id):
    user_id = make_user("bob").pk if user_id == "EXISTING" else user_id
    response = api.post("/api/v1/time-entries", {"user_id": user_id, "project_id": project.pk,
                                                 "start_time": "2024-01-01T09:00:00Z",
                                                 "end_time": "2024-01-01T10:00:00Z"}, format="json")
    assert response.status_code == 403


def test_tag_names_ignore_case_beyond_ascii(api, user, project):
    for name in ("Ärger", "ärger"):
        api.post("/api/v1/time-entries", {"project_id": project.pk, "start_time": "2024-01-01T09:00:00Z",
                                          "end_time": "2024-01-01T10:00:00Z", "tags": name}, format="json")
    assert Tag.objects.count() == 1
    body = api.get("/api/v1/time-entries?tags=ÄRGER").json()
    assert body["pagination"]["total"] == 2


def test_a_timer_forgotten_for_over_a_year_stops_at_the_longest_entry(user, project):
    entry = time_entry_create(user=user, project=project, start_time=timezone.now() - datetime.timedelta(days=10))
    TimeEntry.objects.filter(pk=entry.pk).update(start_time=timezone.now() - datetime.timedelta(days=400))
    stopped = timer_stop(user=user)
    assert stopped.duration_seconds == 366 * 24 * 3600


def test_a_huge_task_estimate_is_a_400_on_every_database(api, project):
    response = api.post("/api/v1/tasks", {"project_id": project.pk, "name": "x", "estimated_minutes": 2**40},
                        format="json")
    assert response.status_code == 400
    assert "estimated_minutes" in response.json()["errors"]
