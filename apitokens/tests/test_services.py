import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apitokens.models import APIToken
from apitokens.scopes import ADMIN_ALL
from apitokens.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    generate_plaintext,
    looks_like_token,
    token_digest,
)

TOKEN_FORMAT = re.compile(r"^tt_[A-Za-z0-9]{32}$")


def test_generated_tokens_are_tt_followed_by_32_alphanumerics_and_differ():
    tokens = {generate_plaintext() for _ in range(200)}
    assert len(tokens) == 200
    assert all(TOKEN_FORMAT.fullmatch(token) for token in tokens)


def test_created_token_matches_the_documented_format(user):
    _, plaintext = api_token_create(user=user, name="ci", scopes=["read:projects"])
    assert TOKEN_FORMAT.fullmatch(plaintext)


@pytest.mark.parametrize(
    "text",
    ["", "tt_", "tt_" + "a" * 31, "tt_" + "a" * 33, "xx_" + "a" * 32, "tt_" + "a" * 31 + "-", "TT_" + "a" * 32],
)
def test_text_not_in_the_token_format_is_not_a_token(text):
    assert not looks_like_token(text)


def test_only_the_digest_and_an_eight_character_prefix_are_stored(user):
    token, plaintext = api_token_create(user=user, name="ci", scopes=["read:projects"])
    token.refresh_from_db()
    assert token.digest == token_digest(plaintext)
    assert re.fullmatch(r"[0-9a-f]{64}", token.digest)
    assert token.prefix == plaintext[:8]


def test_plaintext_appears_in_no_column_of_the_stored_row(user):
    token, plaintext = api_token_create(
        user=user, name="ci", scopes=["read:projects"], description="for CI", expires_in_days=3
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {APIToken._meta.db_table} WHERE id = %s", [token.pk])
        row = cursor.fetchone()
    stored = " ".join(str(value) for value in row)
    assert plaintext not in stored
    assert plaintext[3:] not in stored  # not even the random part without "tt_"


def test_str_of_a_token_never_contains_the_secret(user):
    token, plaintext = api_token_create(user=user, name="ci", scopes=["read:projects"])
    assert plaintext not in str(token)
    assert plaintext[3:] not in str(token)
    assert str(token) == f"ci ({plaintext[:8]}…)"


def test_create_stores_scopes_sorted_and_without_duplicates(user):
    token, _ = api_token_create(user=user, name="ci", scopes=["write:tasks", "read:projects", "write:tasks"])
    token.refresh_from_db()
    assert token.scopes == ["read:projects", "write:tasks"]


def test_create_rejects_unknown_scopes(user):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(user=user, name="ci", scopes=["read:projects", "delete:everything"])
    assert "delete:everything" in " ".join(excinfo.value.message_dict["scopes"])
    assert not APIToken.objects.exists()


def test_create_rejects_empty_scopes_rather_than_granting_everything(user):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(user=user, name="ci", scopes=[])
    assert "scopes" in excinfo.value.message_dict
    assert not APIToken.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_create_rejects_an_expiry_under_one_day(user, days):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(user=user, name="ci", scopes=["read:projects"], expires_in_days=days)
    assert "expires_in_days" in excinfo.value.message_dict


def test_create_rejects_a_blank_name(user):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(user=user, name="   ", scopes=["read:projects"])
    assert "name" in excinfo.value.message_dict


def test_expiry_is_counted_in_days_from_creation(user, clock):
    token, _ = api_token_create(user=user, name="ci", scopes=["read:projects"], expires_in_days=30)
    assert token.expires_at == clock.now + datetime.timedelta(days=30)


def test_token_without_expiry_never_expires(user):
    token, _ = api_token_create(user=user, name="ci", scopes=["read:projects"])
    assert token.expires_at is None
    assert token.is_usable


def test_authenticate_returns_the_token_with_its_user(user):
    token, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    found = api_token_authenticate(plaintext)
    assert found == token
    assert found.user == user


def test_authenticate_refuses_an_unknown_token(user):
    api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    assert api_token_authenticate(generate_plaintext()) is None


def test_authenticate_refuses_a_token_after_its_expiry(user, clock):
    _, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL], expires_in_days=1)
    clock.advance(days=1, seconds=-1)
    assert api_token_authenticate(plaintext) is not None
    clock.advance(seconds=1)
    assert api_token_authenticate(plaintext) is None


def test_revoked_token_no_longer_authenticates(user):
    token, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    api_token_revoke(token=token)
    assert api_token_authenticate(plaintext) is None
    token.refresh_from_db()
    assert token.is_revoked


def test_revoking_twice_keeps_the_first_revocation_time(user, clock):
    token, _ = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    api_token_revoke(token=token)
    first = token.revoked_at
    clock.advance(hours=1)
    api_token_revoke(token=APIToken.objects.get(pk=token.pk))
    token.refresh_from_db()
    assert token.revoked_at == first


def test_token_of_an_inactive_user_does_not_authenticate(user):
    _, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    user.is_active = False
    user.save()
    assert api_token_authenticate(plaintext) is None


def test_last_used_at_is_written_on_first_use(user, clock, token_row):
    _, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    assert token_row(plaintext).last_used_at is None
    api_token_authenticate(plaintext)
    assert token_row(plaintext).last_used_at == clock.now


def test_last_used_at_is_written_at_most_once_per_interval(user, clock, token_row, settings):
    settings.API_TOKEN_LAST_USED_INTERVAL = 60
    _, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    first_use = clock.now
    api_token_authenticate(plaintext)

    clock.advance(seconds=59)
    api_token_authenticate(plaintext)
    assert token_row(plaintext).last_used_at == first_use

    clock.advance(seconds=1)
    api_token_authenticate(plaintext)
    assert token_row(plaintext).last_used_at == clock.now


def test_last_used_interval_comes_from_settings(user, clock, token_row, settings):
    settings.API_TOKEN_LAST_USED_INTERVAL = 300
    _, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    first_use = clock.now
    api_token_authenticate(plaintext)
    clock.advance(seconds=299)
    api_token_authenticate(plaintext)
    assert token_row(plaintext).last_used_at == first_use
    clock.advance(seconds=1)
    api_token_authenticate(plaintext)
    assert token_row(plaintext).last_used_at == clock.now


def test_authentication_within_the_interval_does_not_write(user, django_assert_num_queries):
    _, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    api_token_authenticate(plaintext)
    with django_assert_num_queries(1):
        api_token_authenticate(plaintext)


def test_failed_authentication_does_not_touch_last_used_at(user, token_row):
    token, plaintext = api_token_create(user=user, name="ci", scopes=[ADMIN_ALL])
    api_token_revoke(token=token)
    api_token_authenticate(plaintext)
    assert token_row(plaintext).last_used_at is None
