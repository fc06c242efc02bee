"""Behaviour every v1 endpoint shares: errors, info, health, the current user."""

from unittest import mock

import pytest
from django.db import OperationalError

from projects.models import Project

ERROR_KEYS = {"error", "message", "error_code"}


@pytest.fixture
def project(db):
    return Project.objects.create(name="Website", permalink="website")


def test_info_needs_no_token(anon, db):
    response = anon.get("/api/v1/info")
    assert response.status_code == 200
    body = response.json()
    assert body["api_version"] == "v1"
    assert body["documentation_url"] == "/api/docs"
    assert body["endpoints"]["projects"] == "/api/v1/projects"
    assert body["endpoints"]["time_entries"] == "/api/v1/time-entries"


def test_info_ignores_a_bad_token(db, client):
    response = client.get("/api/v1/info", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 200


def test_health_reports_healthy_with_a_database(anon, db):
    response = anon.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "healthy"


def test_health_answers_503_when_the_database_is_unreachable(anon, db):
    with mock.patch("timetracker.api.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = anon.get("/api/v1/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["error_code"] == "unhealthy"
    assert ERROR_KEYS <= body.keys()


def test_users_me_describes_the_token_user(make_client, make_user):
    user = make_user("carol", email="carol@example.com", first_name="Carol", last_name="Danvers",
                     timezone="Australia/Sydney")
    client = make_client(user, ["read:users", "read:projects"])
    response = client.get("/api/v1/users/me")
    assert response.status_code == 200
    assert response.json() == {
        "user": {
            "id": user.pk, "username": "carol", "email": "carol@example.com", "first_name": "Carol",
            "last_name": "Danvers", "timezone": "Australia/Sydney", "is_admin": False,
        },
        "scopes": ["read:projects", "read:users"],
    }


def test_users_me_marks_staff_as_admin(admin_api):
    assert admin_api.get("/api/v1/users/me").json()["user"]["is_admin"] is True


def test_users_me_needs_read_users(make_client, user):
    response = make_client(user, ["read:projects"]).get("/api/v1/users/me")
    assert response.status_code == 403
    assert response.json()["required_scope"] == "read:users"


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_unknown_api_url_is_a_json_404(api, method):
    response = getattr(api, method)("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error_code"] == "not_found"


def test_unknown_api_url_is_json_even_without_a_token(anon, db):
    response = anon.post("/api/nothing/here", data="x", content_type="text/plain")
    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_wrong_method_is_a_json_405(api):
    response = api.post("/api/v1/users/me")
    assert response.status_code == 405
    assert response.json()["error_code"] == "method_not_allowed"


def test_malformed_json_is_a_400(api):
    response = api.post("/api/v1/projects", data='{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert ERROR_KEYS <= response.json().keys()


def test_unsupported_content_type_is_a_json_415(api):
    response = api.post("/api/v1/projects", data="name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error_code"] == "unsupported_media_type"


def test_errors_are_json_even_when_the_client_prefers_html(anon, db):
    response = anon.get("/api/v1/projects", HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error_code"] == "unauthorized"


def test_validation_errors_name_each_field(api):
    response = api.post("/api/v1/projects", {"name": "", "hourly_rate": -1}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    assert set(body["errors"]) == {"name", "hourly_rate"}
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())


def test_an_unexpected_error_is_a_json_500_and_writes_nothing(api, monkeypatch, project):
    from projects.api import views

    def explode(self, instance, data):
        Project.objects.filter(pk=instance.pk).update(name="half-written")
        raise RuntimeError("boom")

    monkeypatch.setattr(views.ProjectViewSet, "update_instance", explode)
    response = api.patch(f"/api/v1/projects/{project.pk}", {"name": "New"}, format="json")
    assert response.status_code == 500
    assert response.json()["error_code"] == "internal_error"
    assert "boom" not in response.content.decode()
    project.refresh_from_db()
    assert project.name == "Website"


def test_a_view_without_a_scope_resource_fails_closed(api, monkeypatch):
    from projects.api import views

    monkeypatch.delattr(views.ProjectViewSet, "scope_resource")
    response = api.get("/api/v1/projects")
    assert response.status_code == 500
    assert "projects" not in response.json()


def test_docs_page_is_served(anon, db):
    response = anon.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
