"""Scope checks: HasScope on its own, then the 403 a client meets through the API."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from apitokens.models import APIToken
from apitokens.scopes import ADMIN_ALL
from apitokens.services import api_token_create
from timetracker.api.permissions import HasScope, ScopeDenied

READ_METHODS = ["GET", "HEAD", "OPTIONS"]
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]

factory = APIRequestFactory()


class ProjectsView(APIView):
    scope_resource = "projects"

    def get(self, request):
        return Response({})

    post = put = patch = delete = get


class ReadOnlyProjectsView(APIView):
    scope_resource = "projects"

    def get(self, request):
        return Response({})


class ViewWithoutScopeResource(APIView):
    def get(self, request):
        return Response({})


def drf_request(method, view, *, user=None, token=None):
    """A DRF request for ``method``, authenticated as ``user`` with ``token``, and the view set up for it."""
    django_request = factory.generic(method, "/")
    if user is not None or token is not None:
        force_authenticate(django_request, user=user, token=token)
    view.setup(django_request)  # as as_view() does; also makes HEAD fall back to GET
    return view.initialize_request(django_request)


@pytest.fixture
def make_api_token(user):
    def make(scopes):
        return api_token_create(user=user, name="perm", scopes=scopes)[0]

    return make


def has_permission(method, scopes, user, make_api_token, view_class=ProjectsView):
    view = view_class()
    token = make_api_token(scopes)
    return HasScope().has_permission(drf_request(method, view, user=user, token=token), view)


# HasScope alone


@pytest.mark.parametrize("method", READ_METHODS)
def test_safe_methods_need_only_the_read_scope(method, user, make_api_token):
    assert has_permission(method, ["read:projects"], user, make_api_token)


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_unsafe_methods_are_refused_with_only_the_read_scope(method, user, make_api_token):
    with pytest.raises(ScopeDenied) as excinfo:
        has_permission(method, ["read:projects"], user, make_api_token)
    assert excinfo.value.extra["required_scope"] == "write:projects"


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_write_scope_allows_every_method(method, user, make_api_token):
    assert has_permission(method, ["write:projects"], user, make_api_token)


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_admin_all_allows_every_method(method, user, make_api_token):
    assert has_permission(method, [ADMIN_ALL], user, make_api_token)


@pytest.mark.parametrize("method", READ_METHODS)
def test_another_resources_scopes_do_not_allow_reading(method, user, make_api_token):
    with pytest.raises(ScopeDenied) as excinfo:
        has_permission(method, ["write:tasks", "read:time_entries"], user, make_api_token)
    assert excinfo.value.extra == {
        "required_scope": "read:projects",
        "available_scopes": ["read:time_entries", "write:tasks"],
    }


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_token_with_no_scopes_is_refused(method, user, make_api_token):
    # The services refuse to create one; a row edited to [] must still grant nothing.
    token = make_api_token(["read:projects"])
    APIToken.objects.filter(pk=token.pk).update(scopes=[])
    token.refresh_from_db()
    view = ProjectsView()
    with pytest.raises(ScopeDenied):
        HasScope().has_permission(drf_request(method, view, user=user, token=token), view)


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_unauthenticated_request_is_refused(method, db):
    view = ProjectsView()
    assert not HasScope().has_permission(drf_request(method, view), view)


def session_request(method, view, user):
    """A DRF request as the admin session middleware leaves it: request.user set, no token."""
    django_request = factory.generic(method, "/")
    django_request.user = user
    django_request._dont_enforce_csrf_checks = True
    view.setup(django_request)
    return view.initialize_request(django_request)


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_staff_member_without_a_token_may_use_every_method(method, admin_user):
    # A staff member's admin session is the only way in without a token; it is not limited by scopes.
    view = ProjectsView()
    assert HasScope().has_permission(session_request(method, view, admin_user), view)


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_non_staff_session_is_refused(method, user):
    view = ProjectsView()
    assert not HasScope().has_permission(session_request(method, view, user), view)


def test_non_staff_user_authenticated_without_a_token_is_refused(user):
    for method in READ_METHODS + WRITE_METHODS:
        view = ProjectsView()
        assert not HasScope().has_permission(drf_request(method, view, user=user), view), method


@pytest.mark.parametrize("method", READ_METHODS + WRITE_METHODS)
def test_view_without_scope_resource_fails_closed(method, user, make_api_token):
    with pytest.raises(ImproperlyConfigured, match="scope_resource"):
        has_permission(method, [ADMIN_ALL], user, make_api_token, view_class=ViewWithoutScopeResource)


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_method_the_view_does_not_implement_is_answered_405_not_served(method, user, make_api_token):
    request = factory.generic(method, "/")
    force_authenticate(request, user=user, token=make_api_token(["read:projects"]))
    response = ReadOnlyProjectsView.as_view()(request)
    assert response.status_code == 405


# Through the HTTP API

PROJECTS = "/api/v1/projects"


def test_scope_error_has_the_documented_shape(user, make_client):
    client = make_client(user, ["read:time_entries", "read:projects"])
    response = client.post(PROJECTS, {"name": "Website"}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "error": "Insufficient permissions",
        "message": "This endpoint requires the 'write:projects' scope",
        "error_code": "forbidden",
        "required_scope": "write:projects",
        "available_scopes": ["read:projects", "read:time_entries"],
    }


def test_scope_error_names_the_missing_read_scope(user, make_client):
    response = make_client(user, ["write:tasks"]).get(PROJECTS)
    assert response.status_code == 403
    body = response.json()
    assert body["message"] == "This endpoint requires the 'read:projects' scope"
    assert body["required_scope"] == "read:projects"
    assert body["available_scopes"] == ["write:tasks"]


def test_users_me_needs_read_users(user, make_client):
    assert make_client(user, ["read:projects"]).get("/api/v1/users/me").json()["required_scope"] == "read:users"
    assert make_client(user, ["read:users"]).get("/api/v1/users/me").status_code == 200


def test_read_scope_lists_but_cannot_create(user, make_client):
    client = make_client(user, ["read:projects"])
    assert client.get(PROJECTS).status_code == 200
    assert client.post(PROJECTS, {"name": "Website"}, format="json").status_code == 403


def test_write_scope_lists_and_creates(user, make_client):
    client = make_client(user, ["write:projects"])
    assert client.get(PROJECTS).status_code == 200
    assert client.post(PROJECTS, {"name": "Website"}, format="json").status_code == 201


def test_scope_error_is_json_even_when_the_client_prefers_html(user, make_client):
    response = make_client(user, ["read:users"]).get(PROJECTS, HTTP_ACCEPT="text/html")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.urls("apitokens.tests.urls")
def test_view_without_scope_resource_answers_500_json_not_data(user, make_client, caplog):
    response = make_client(user, [ADMIN_ALL]).get("/api/v1/misconfigured")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error_code"] == "internal_error"
    assert "secret" not in response.content.decode()
    assert "must declare scope_resource" in caplog.text  # logged for the developer, not shown to the client


@pytest.mark.urls("apitokens.tests.urls")
def test_view_without_scope_resource_fails_closed_for_anonymous_callers_too(db, caplog):
    response = APIClient().get("/api/v1/misconfigured")
    assert response.status_code == 500
    assert "secret" not in response.content.decode()
