"""The token admin: the list at /admin/api-tokens/, creating a token once, revoking."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.forms import CheckboxSelectMultiple
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apitokens.models import APIToken
from apitokens.scopes import SCOPES
from apitokens.services import api_token_create, token_digest

LIST_URL = "/admin/api-tokens/"
ADD_URL = "/admin/api-tokens/add/"
PLAINTEXT = re.compile(r"tt_[A-Za-z0-9]{32}")


def create_through_admin(client, user, *, scopes=("read:users", "read:projects"), **fields):
    data = {"name": "CI server", "description": "", "user": user.pk, "scopes": list(scopes), "expires_in_days": ""}
    data.update(fields)
    return client.post(ADD_URL, data)


def plaintext_in(response):
    (plaintext,) = PLAINTEXT.findall(response.content.decode())
    return plaintext


@pytest.fixture
def created(superuser_client, user):
    """A token created for alice through the admin add page: (response, plaintext, token)."""
    response = create_through_admin(superuser_client, user, expires_in_days="30")
    assert response.status_code == 200
    plaintext = plaintext_in(response)
    return response, plaintext, APIToken.objects.get()


def test_token_list_lives_at_admin_api_tokens():
    assert reverse("admin:apitokens_apitoken_changelist") == LIST_URL
    assert reverse("admin:apitokens_apitoken_add") == ADD_URL


def test_superuser_sees_the_token_list(superuser_client, user):
    api_token_create(user=user, name="laptop", scopes=["read:projects"])
    response = superuser_client.get(LIST_URL)
    assert response.status_code == 200
    assert "laptop" in response.content.decode()


def test_add_page_asks_for_name_description_user_scopes_and_expiry(superuser_client):
    response = superuser_client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields) == ["name", "description", "user", "scopes", "expires_in_days"]
    assert isinstance(form.fields["scopes"].widget, CheckboxSelectMultiple)
    html = response.content.decode()
    for scope in SCOPES:
        assert re.search(rf'<input type="checkbox" name="scopes" value="{re.escape(scope)}"', html), scope
    assert 'name="expires_in_days"' in html


def test_adding_a_token_creates_it_with_the_chosen_settings(created, user, superuser):
    _, _, token = created
    assert token.name == "CI server"
    assert token.user == user
    assert token.scopes == ["read:projects", "read:users"]
    assert token.created_by == superuser
    assert token.expires_at is not None


def test_created_page_shows_the_plaintext_exactly_once_with_a_warning(created):
    response, plaintext, _ = created
    html = response.content.decode()
    assert html.count(plaintext) == 1
    assert "will not be shown again" in html


def test_created_page_may_not_be_cached(created):
    response, _, _ = created
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "no-cache" in cache_control


def test_no_cookie_set_with_the_created_page_contains_the_plaintext(created):
    response, plaintext, _ = created
    for name, morsel in response.cookies.items():
        assert plaintext not in morsel.value, name
        assert plaintext not in morsel.OutputString(), name


def test_plaintext_shown_by_the_admin_authenticates_against_the_api(created, user):
    _, plaintext, _ = created
    response = APIClient().get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == user.username


def test_database_row_holds_only_the_digest(created):
    _, plaintext, token = created
    assert token.digest == token_digest(plaintext)
    assert token.prefix == plaintext[:8]
    row = APIToken.objects.filter(pk=token.pk).values().get()
    assert not any(plaintext in str(value) for value in row.values())


def test_change_page_shows_only_the_prefix(created, superuser_client):
    _, plaintext, token = created
    html = superuser_client.get(reverse("admin:apitokens_apitoken_change", args=[token.pk])).content.decode()
    assert f"{plaintext[:8]}…" in html
    assert plaintext not in html
    assert token.digest not in html


def test_list_shows_only_the_prefix(created, superuser_client):
    _, plaintext, _ = created
    html = superuser_client.get(LIST_URL).content.decode()
    assert f"{plaintext[:8]}…" in html
    assert plaintext not in html


def test_the_plaintext_cannot_be_shown_again(created, superuser_client):
    _, plaintext, token = created
    for url in (
        LIST_URL,
        reverse("admin:apitokens_apitoken_change", args=[token.pk]),
        reverse("admin:apitokens_apitoken_history", args=[token.pk]),
        reverse("admin:index"),
    ):
        assert plaintext not in superuser_client.get(url).content.decode(), url


def test_add_page_rejects_a_token_without_scopes(superuser_client, user):
    response = create_through_admin(superuser_client, user, scopes=())
    assert response.status_code == 200
    assert "scopes" in response.context["adminform"].form.errors
    assert not PLAINTEXT.search(response.content.decode())
    assert not APIToken.objects.exists()


def test_revoke_action_makes_the_token_stop_working(superuser_client, user, make_token):
    plaintext = make_token(user, ["read:users"])
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/api/v1/users/me").status_code == 200
    token = APIToken.objects.get(digest=token_digest(plaintext))

    response = superuser_client.post(LIST_URL, {"action": "revoke_tokens", "_selected_action": [token.pk]})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_revoked
    assert api.get("/api/v1/users/me").status_code == 401


def test_revoke_action_leaves_unselected_tokens_working(superuser_client, user, make_token):
    revoked, kept = make_token(user, ["read:users"]), make_token(user, ["read:users"])
    superuser_client.post(
        LIST_URL,
        {"action": "revoke_tokens", "_selected_action": [APIToken.objects.get(digest=token_digest(revoked)).pk]},
    )
    assert APIClient().get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {kept}").status_code == 200


# Staff members who are not superusers


def staff_with_token_permissions(make_user, *codenames):
    staff = make_user("staffer", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="apitokens", codename__in=codenames))
    client = Client()
    client.force_login(staff)
    return staff, client


ALL_PERMISSIONS = ("add_apitoken", "change_apitoken", "delete_apitoken", "view_apitoken")


def test_staff_member_can_only_choose_themselves_as_the_tokens_user(make_user, user):
    staff, client = staff_with_token_permissions(make_user, *ALL_PERMISSIONS)
    response = client.get(ADD_URL)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields["user"].queryset) == [staff]


def test_staff_member_cannot_create_a_token_for_someone_else(make_user, user):
    _, client = staff_with_token_permissions(make_user, *ALL_PERMISSIONS)
    response = create_through_admin(client, user)
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not APIToken.objects.exists()


def test_staff_member_can_create_a_token_for_themselves(make_user):
    staff, client = staff_with_token_permissions(make_user, *ALL_PERMISSIONS)
    response = create_through_admin(client, staff)
    assert response.status_code == 200
    assert APIToken.objects.get().user == staff
    assert len(PLAINTEXT.findall(response.content.decode())) == 1


def test_staff_member_who_may_only_view_tokens_cannot_revoke_them(make_user, user, make_token):
    plaintext = make_token(user, ["read:users"])
    _, client = staff_with_token_permissions(make_user, "view_apitoken")
    token = APIToken.objects.get(digest=token_digest(plaintext))

    client.post(LIST_URL, {"action": "revoke_tokens", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert not token.is_revoked


def test_editing_scopes_in_the_admin_changes_what_the_token_may_do(superuser_client, user, make_token):
    plaintext = make_token(user, ["read:users"])
    token = APIToken.objects.get(digest=token_digest(plaintext))
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/api/v1/projects").status_code == 403

    response = superuser_client.post(
        reverse("admin:apitokens_apitoken_change", args=[token.pk]),
        {"name": "renamed", "description": "", "scopes": ["read:projects"], "expires_at_0": "", "expires_at_1": ""},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.name, token.scopes, token.digest) == ("renamed", ["read:projects"], token_digest(plaintext))
    assert api.get("/api/v1/projects").status_code == 200
    assert api.get("/api/v1/users/me").status_code == 403


def test_list_shows_whether_each_token_is_active_expired_or_revoked(superuser_client, user):
    api_token_create(user=user, name="active-one", scopes=["read:projects"])
    expired, _ = api_token_create(user=user, name="expired-one", scopes=["read:projects"], expires_in_days=1)
    revoked, _ = api_token_create(user=user, name="revoked-one", scopes=["read:projects"])
    APIToken.objects.filter(pk=expired.pk).update(expires_at=expired.created_at)
    superuser_client.post(LIST_URL, {"action": "revoke_tokens", "_selected_action": [revoked.pk]})

    for status, name in (("active", "active-one"), ("expired", "expired-one"), ("revoked", "revoked-one")):
        response = superuser_client.get(LIST_URL, {"status": status})
        assert [token.name for token in response.context["cl"].result_list] == [name], status
