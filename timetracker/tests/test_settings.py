import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from timetracker.settings import env

ROOT = settings.BASE_DIR


def _import_settings(**environ):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import timetracker.settings"],
        cwd=ROOT, env={**clean, **environ}, capture_output=True, text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_has_a_development_secret_key():
    assert _import_settings(DEBUG="1").returncode == 0


def test_production_starts_with_a_secret_key():
    assert _import_settings(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0


def test_env_rejects_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env("SOME_FLAG", False, bool)


def test_env_reads_lists_and_integers(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    monkeypatch.setenv("WORKERS", "3")
    assert env("HOSTS", [], list) == ["a.example", "b.example"]
    assert env("WORKERS", 1, int) == 3
    monkeypatch.setenv("WORKERS", "three")
    with pytest.raises(ImproperlyConfigured, match="WORKERS"):
        env("WORKERS", 1, int)


def test_instants_are_stored_in_utc():
    assert settings.USE_TZ is True


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from io import StringIO

    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
