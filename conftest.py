"""Fixtures shared by every app's tests: users, tokens and API clients."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from apitokens.scopes import ADMIN_ALL
from apitokens.services import api_token_create

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty rate-limit counters (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_list_count_cache(settings):
    """Totals are counted afresh unless a test turns the cache on: a test's transaction never commits, so
    the on-commit invalidation (timetracker.counts) would not run."""
    settings.LIST_COUNT_CACHE = False


@pytest.fixture
def make_user(db):
    def make(username=None, *, is_staff=False, timezone=None, **fields):
        username = username or f"user{next(_counter)}"
        user = get_user_model().objects.create_user(
            username=username, password="pw-not-used-by-api", is_staff=is_staff, **fields
        )
        if timezone:
            user.profile.timezone = timezone
            user.profile.save()
        return user

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice", email="alice@example.com", first_name="Alice", last_name="Liddell")


@pytest.fixture
def admin_user(make_user):
    return make_user("boss", is_staff=True)


@pytest.fixture
def make_token(db):
    """make_token(user, scopes, **kwargs) -> plaintext token."""

    def make(user, scopes=(ADMIN_ALL,), **kwargs):
        return api_token_create(user=user, name=kwargs.pop("name", "test"), scopes=list(scopes), **kwargs)[1]

    return make


@pytest.fixture
def make_client(make_token):
    """make_client(user, scopes) -> an APIClient sending that user's new token as a Bearer token."""

    def make(user, scopes=(ADMIN_ALL,)):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, scopes)}")
        return client

    return make


@pytest.fixture
def api(make_client, user):
    """A client for a regular (non-admin) user whose token holds admin:all."""
    return make_client(user)


@pytest.fixture
def admin_api(make_client, admin_user):
    """A client for a staff user whose token holds admin:all."""
    return make_client(admin_user)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def make_project(db):
    from projects.services import project_create

    def make(name=None, **fields):
        return project_create(name=name or f"Project {next(_counter)}", **fields)

    return make


@pytest.fixture
def project(make_project):
    return make_project("Website Redesign")


@pytest.fixture
def make_task(db):
    from projects.services import task_create

    def make(project, name=None, **fields):
        return task_create(project=project, name=name or f"Task {next(_counter)}", **fields)

    return make


@pytest.fixture
def make_entry(db):
    """make_entry(user, project, start, hours=1, **fields) -> a finished time entry."""
    import datetime

    from timeentries.services import time_entry_create

    def make(user, project, start, hours=1.0, **fields):
        end = start + datetime.timedelta(hours=hours) if hours is not None else None
        return time_entry_create(user=user, project=project, start_time=start, end_time=end, **fields)

    return make
