import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command

from apitokens.models import APIToken
from apitokens.services import token_digest


def create_api_token(*args):
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def test_command_prints_only_the_new_token_on_one_line(user):
    output = create_api_token(
        "--user", "alice", "--scopes", "read:projects,write:time_entries", "--name", "x", "--expires-in", "7"
    )
    assert re.fullmatch(r"tt_[A-Za-z0-9]{32}\n", output)


def test_command_creates_the_token_it_prints(user):
    output = create_api_token("--user", "alice", "--scopes", "read:projects, write:time_entries", "--name", "x")
    token = APIToken.objects.get(digest=token_digest(output.strip()))
    assert token.user == user
    assert token.name == "x"
    assert token.scopes == ["read:projects", "write:time_entries"]
    assert token.expires_at is None


def test_command_expiry_is_the_given_number_of_days_ahead(user, clock):
    output = create_api_token("--user", "alice", "--scopes", "read:projects", "--expires-in", "7")
    token = APIToken.objects.get(digest=token_digest(output.strip()))
    assert token.expires_at == clock.now + datetime.timedelta(days=7)


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        create_api_token("--user", "nobody", "--scopes", "read:projects")
    assert not APIToken.objects.exists()


def test_command_refuses_an_unknown_scope(user):
    with pytest.raises(CommandError, match="delete:everything"):
        create_api_token("--user", "alice", "--scopes", "read:projects,delete:everything")
    assert not APIToken.objects.exists()


def test_command_refuses_empty_scopes(user):
    with pytest.raises(CommandError):
        create_api_token("--user", "alice", "--scopes", " , ")
    assert not APIToken.objects.exists()


def test_command_refuses_an_expiry_under_one_day(user):
    with pytest.raises(CommandError):
        create_api_token("--user", "alice", "--scopes", "read:projects", "--expires-in", "0")
    assert not APIToken.objects.exists()
