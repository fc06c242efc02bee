"""How clients authenticate against the v1 API, met through real HTTP requests."""

import base64
import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apitokens.models import APIToken
from apitokens.scopes import ADMIN_ALL
from apitokens.services import api_token_revoke, generate_plaintext, token_digest

ME = "/api/v1/users/me"
PROJECTS = "/api/v1/projects"

INVALID_TOKEN = {
    "error": "Invalid token",
    "message": "The provided API token is invalid or expired",
    "error_code": "unauthorized",
}


def basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def get(path, **headers):
    return APIClient().get(path, **headers)


def assert_invalid_token(response):
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    assert response["WWW-Authenticate"]


# Ways to present a token


def test_bearer_token_authenticates(user, make_token):
    response = get(ME, HTTP_AUTHORIZATION=f"Bearer {make_token(user, ['read:users'])}")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "alice"


def test_x_api_key_header_authenticates(user, make_token):
    response = get(PROJECTS, HTTP_X_API_KEY=make_token(user, ["read:projects"]))
    assert response.status_code == 200
    assert "projects" in response.json()


def test_basic_auth_with_the_token_as_username_and_any_password_authenticates(user, make_token):
    # Teamwork clients send the key as the username and a dummy password.
    token = make_token(user, ["read:users"])
    for password in ("X", "", "anything at all"):
        response = get(ME, HTTP_AUTHORIZATION=basic(token, password))
        assert response.status_code == 200, password
        assert response.json()["user"]["username"] == "alice"


def test_basic_auth_with_account_slash_username_and_the_token_as_password_authenticates(user, make_token):
    # Codebase clients send "account/username" as the username and the key as the password.
    response = get(PROJECTS, HTTP_AUTHORIZATION=basic("acme/alice", make_token(user, ["read:projects"])))
    assert response.status_code == 200


def test_users_me_reports_the_tokens_scopes_sorted(user, make_token):
    token = make_token(user, ["read:users", "read:projects", "write:tasks"])
    response = get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["scopes"] == ["read:projects", "read:users", "write:tasks"]


# Refusals


def test_missing_credentials_get_401(db):
    response = get(ME)
    assert response.status_code == 401
    assert response.json()["error_code"] == "unauthorized"
    assert response.json()["message"]
    assert response["WWW-Authenticate"]


def test_missing_credentials_get_json_401_even_when_the_client_prefers_html(db):
    response = get(PROJECTS, HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error_code"] == "unauthorized"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Token tt_abcdefghijklmnopqrstuvwxyz012345",
        "tt_abcdefghijklmnopqrstuvwxyz012345",
        "Basic !!!not-base64!!!",
        basic("alice", "pw-not-used-by-api"),
        "Digest username=alice",
        "   ",
    ],
)
def test_malformed_authorization_header_is_rejected_like_an_unknown_token(user, make_token, header):
    make_token(user)
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=header))


def test_empty_x_api_key_is_rejected_like_an_unknown_token(db):
    assert_invalid_token(get(ME, HTTP_X_API_KEY=""))


def test_unknown_token_is_rejected(user, make_token):
    make_token(user)
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=f"Bearer {generate_plaintext()}"))


def test_wrong_token_sharing_a_real_tokens_prefix_is_rejected_like_an_unknown_one(user, make_token):
    token = make_token(user)
    last = "A" if token[-1] != "A" else "B"
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=f"Bearer {token[:-1]}{last}"))


def test_token_digest_is_not_accepted_in_place_of_the_token(user, make_token):
    token = make_token(user)
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=f"Bearer {token_digest(token)}"))


def test_expired_token_is_rejected_like_an_unknown_one(user, make_token):
    token = make_token(user, expires_in_days=1)
    APIToken.objects.filter(digest=token_digest(token)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_revoked_token_is_rejected_like_an_unknown_one(user, make_token):
    token = make_token(user)
    assert get(ME, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    api_token_revoke(token=APIToken.objects.get(digest=token_digest(token)))
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_token_of_an_inactive_user_is_rejected_like_an_unknown_one(user, make_token):
    token = make_token(user)
    user.is_active = False
    user.save()
    assert_invalid_token(get(ME, HTTP_AUTHORIZATION=f"Bearer {token}"))


@pytest.mark.parametrize("header", ["HTTP_X_API_KEY", "basic-username", "basic-password"])
def test_every_way_of_presenting_a_bad_token_gets_the_same_401(user, make_token, header):
    token = make_token(user)
    APIToken.objects.update(revoked_at=timezone.now())
    if header == "HTTP_X_API_KEY":
        response = get(ME, HTTP_X_API_KEY=token)
    elif header == "basic-username":
        response = get(ME, HTTP_AUTHORIZATION=basic(token, "X"))
    else:
        response = get(ME, HTTP_AUTHORIZATION=basic("acme/alice", token))
    assert_invalid_token(response)


def test_token_in_the_query_string_is_not_accepted(user, make_token):
    # Query strings end up in access logs and browser history.
    token = make_token(user)
    for name in ("token", "api_key", "access_token"):
        response = get(f"{ME}?{name}={token}")
        assert response.status_code == 401, name


def test_a_bad_token_is_refused_even_on_an_endpoint_it_has_no_scope_for(user, make_token):
    # Authentication is decided before scopes, so an unusable token never learns about scopes.
    token = make_token(user, ["read:users"])
    APIToken.objects.update(revoked_at=timezone.now())
    assert_invalid_token(get(PROJECTS, HTTP_AUTHORIZATION=f"Bearer {token}"))


# Cost of authentication


def test_authenticated_request_runs_exactly_one_query(user, make_token, django_assert_num_queries):
    token = make_token(user, ["read:users"])
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(ME).status_code == 200  # writes last_used_at
    with django_assert_num_queries(1):
        response = client.get(ME)
    assert response.status_code == 200


def test_last_used_at_is_recorded_by_an_api_request(user, make_token):
    token = make_token(user, ["read:users"])
    before = timezone.now()
    get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")
    last_used = APIToken.objects.get(digest=token_digest(token)).last_used_at
    assert last_used is not None and last_used >= before


def test_api_requests_write_last_used_at_again_only_after_the_interval(user, make_token, settings):
    settings.API_TOKEN_LAST_USED_INTERVAL = 60
    token = make_token(user, ["read:users"])
    rows = APIToken.objects.filter(digest=token_digest(token))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")

    recent = timezone.now() - datetime.timedelta(seconds=30)
    rows.update(last_used_at=recent)
    client.get(ME)
    assert rows.get().last_used_at == recent

    stale = timezone.now() - datetime.timedelta(seconds=61)
    rows.update(last_used_at=stale)
    client.get(ME)
    assert rows.get().last_used_at > stale + datetime.timedelta(seconds=60)


# Staff members browsing the API with their admin session


@pytest.fixture
def staff_session(admin_user):
    client = APIClient()
    client.force_login(admin_user)
    return client


def test_staff_session_can_browse_the_api(staff_session):
    response = staff_session.get(PROJECTS, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_staff_session_gets_json_when_it_asks_for_json(staff_session):
    response = staff_session.get(PROJECTS, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["projects"] == []


def test_staff_session_users_me_reports_full_access(staff_session, admin_user):
    body = staff_session.get(ME, HTTP_ACCEPT="application/json").json()
    assert body["user"]["username"] == admin_user.username
    assert body["scopes"] == [ADMIN_ALL]


def test_staff_session_post_without_csrf_token_is_forbidden(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(PROJECTS, {"name": "Website"}, format="json")
    assert response.status_code == 403
    assert response.json()["error_code"] == "forbidden"
    assert "CSRF" in response.json()["message"]


def test_staff_session_post_with_csrf_token_is_allowed(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)
    client.get(PROJECTS, HTTP_ACCEPT="text/html")  # the browsable page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(PROJECTS, {"name": "Website"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201


def test_non_staff_session_gets_401(user):
    client = APIClient()
    client.force_login(user)
    response = client.get(PROJECTS, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["error_code"] == "unauthorized"


def test_inactive_staff_session_gets_401(make_user):
    staff = make_user("former", is_staff=True)
    client = APIClient()
    client.force_login(staff)
    staff.is_active = False
    staff.save()
    assert client.get(PROJECTS, HTTP_ACCEPT="application/json").status_code == 401


def test_a_token_is_checked_even_when_a_staff_session_is_present(staff_session):
    staff_session.credentials(HTTP_AUTHORIZATION=f"Bearer {generate_plaintext()}")
    assert_invalid_token(staff_session.get(PROJECTS, HTTP_ACCEPT="application/json"))
