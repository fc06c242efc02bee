"""Fixtures for the apitokens tests: a superuser in the admin, a controllable clock, token helpers."""

import datetime

import pytest
from django.test import Client

from apitokens import services
from apitokens.models import APIToken
from apitokens.services import token_digest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Users are created in nearly every test; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    """The Django test client logged in to the admin as a superuser."""
    client = Client()
    client.force_login(superuser)
    return client


class Clock:
    def __init__(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Freezes ``django.utils.timezone.now`` (which the services module uses) at a fixed instant."""
    frozen = Clock(datetime.datetime(2024, 1, 15, 14, 30, tzinfo=datetime.UTC))
    monkeypatch.setattr(services.timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def token_row():
    """token_row(plaintext) -> the APIToken stored for that plaintext, read fresh from the database."""

    def get(plaintext):
        return APIToken.objects.get(digest=token_digest(plaintext))

    return get
