"""Small factories for the projects app. They write rows directly, so tests of the services
do not depend on the services they test."""

import itertools

import pytest
from django.test import Client as DjangoTestClient

from projects.models import Client, Project, Task, Tasklist

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every user fixture sets a password; the production hasher would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def create_client(db):
    """create_client(name=None, **fields) -> a Client row (named create_ to leave make_client to API clients)."""

    def create(name=None, **fields):
        return Client.objects.create(name=name or f"Client {next(_seq)}", **fields)

    return create


@pytest.fixture
def create_project(db):
    """create_project(name=None, **fields) -> a Project with a unique permalink unless one is given."""

    def create(name=None, **fields):
        n = next(_seq)
        fields.setdefault("permalink", f"project-{n}")
        return Project.objects.create(name=name or f"Project {n}", **fields)

    return create


@pytest.fixture
def create_tasklist(db, create_project):
    def create(project=None, name=None, **fields):
        return Tasklist.objects.create(
            project=project or create_project(), name=name or f"Tasklist {next(_seq)}", **fields
        )

    return create


@pytest.fixture
def create_task(db, create_project):
    def create(project=None, name=None, **fields):
        if project is None:
            tasklist = fields.get("tasklist")
            project = tasklist.project if tasklist else create_project()
        return Task.objects.create(project=project, name=name or f"Task {next(_seq)}", **fields)

    return create


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_browser(superuser):
    """A Django test client logged in to the admin as a superuser."""
    browser = DjangoTestClient()
    browser.force_login(superuser)
    return browser
