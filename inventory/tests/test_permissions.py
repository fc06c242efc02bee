"""Inventory takes the spec's project scopes or its own: HasScope with scope_resource_aliases, then the API."""

import pytest
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from apitokens.services import api_token_create
from timetracker.api.permissions import HasScope, ScopeDenied

from .endpoints import READ_ENDPOINTS, WRITE_ENDPOINTS, call

READ_METHODS = ["GET", "HEAD", "OPTIONS"]
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]

factory = APIRequestFactory()


class AliasedView(APIView):
    scope_resource = "projects"
    scope_resource_aliases = ("inventory",)

    def get(self, request):
        return Response({})

    post = put = patch = delete = get


def has_permission(method, scopes, user):
    view = AliasedView()
    token = api_token_create(user=user, name="perm", scopes=scopes)[0]
    request = factory.generic(method, "/")
    force_authenticate(request, user=user, token=token)
    view.setup(request)
    return HasScope().has_permission(view.initialize_request(request), view)


# HasScope alone


@pytest.mark.parametrize("method", READ_METHODS)
@pytest.mark.parametrize("scope", ["read:projects", "read:inventory", "write:projects", "write:inventory"])
def test_either_resources_read_or_write_scope_allows_reading(method, scope, user):
    assert has_permission(method, [scope], user)


@pytest.mark.parametrize("method", WRITE_METHODS)
@pytest.mark.parametrize("scope", ["write:projects", "write:inventory"])
def test_either_resources_write_scope_allows_writing(method, scope, user):
    assert has_permission(method, [scope], user)


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_read_scopes_of_both_resources_do_not_allow_writing(method, user):
    with pytest.raises(ScopeDenied) as excinfo:
        has_permission(method, ["read:projects", "read:inventory"], user)

    assert excinfo.value.extra == {
        "required_scope": "write:projects",
        "available_scopes": ["read:inventory", "read:projects"],
    }
    assert str(excinfo.value.detail) == "This endpoint requires the 'write:projects' scope (or 'write:inventory')"


@pytest.mark.parametrize("method", READ_METHODS)
def test_other_resources_scopes_are_refused_naming_the_primary_scope(method, user):
    with pytest.raises(ScopeDenied) as excinfo:
        has_permission(method, ["write:tasks"], user)

    assert excinfo.value.extra["required_scope"] == "read:projects"
    assert "'read:inventory'" in str(excinfo.value.detail)


# Through the API


@pytest.mark.parametrize("method, path, body", READ_ENDPOINTS)
@pytest.mark.parametrize("scope", ["read:projects", "read:inventory"])
def test_read_scope_reads_every_inventory_endpoint(make_client, user, world, scope, method, path, body):
    response = call(make_client(user, [scope]), method, path, body, world)

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("method, path, body", WRITE_ENDPOINTS)
@pytest.mark.parametrize("scope", ["write:projects", "write:inventory"])
def test_write_scope_writes_every_inventory_endpoint(make_client, user, world, scope, method, path, body):
    response = call(make_client(user, [scope]), method, path, body, world)

    assert response.status_code == (201 if method == "post" else 200), response.content


@pytest.mark.parametrize("method, path, body", WRITE_ENDPOINTS)
@pytest.mark.parametrize("scope", ["read:projects", "read:inventory"])
def test_read_scope_cannot_write(make_client, user, world, scope, method, path, body):
    response = call(make_client(user, [scope]), method, path, body, world)

    assert response.status_code == 403
    assert response.json() == {
        "error": "Insufficient permissions",
        "message": "This endpoint requires the 'write:projects' scope (or 'write:inventory')",
        "error_code": "forbidden",
        "required_scope": "write:projects",
        "available_scopes": [scope],
    }


@pytest.mark.parametrize("method, path, body", READ_ENDPOINTS)
def test_other_scopes_cannot_read(make_client, user, world, method, path, body):
    response = call(make_client(user, ["read:time_entries", "read:reports"]), method, path, body, world)

    assert response.status_code == 403
    assert response.json()["required_scope"] == "read:projects"


def test_staff_session_may_use_inventory(admin_user, world):
    browser = APIClient()
    browser.force_login(admin_user)

    assert call(browser, "get", "/items").status_code == 200
