"""Production serving: deploy checks, static files, structured logs, CORS, and rate limits across gunicorn
workers sharing Redis."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "production-secret-for-tests-only-3f9a8c7d6e5b4a39",
    "ALLOWED_HOSTS": "timetracker.example.com,127.0.0.1",
}


def _run(args, env, **kwargs):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "WEB_CONCURRENCY"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_check_deploy_is_clean_under_production_settings():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_response_carries_a_request_id(anon, db):
    response = anon.get("/api/v1/info")
    assert len(response["X-Request-ID"]) == 32
    assert anon.get("/api/v1/info", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert anon.get("/api/v1/info", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_logs_are_json_lines_with_the_request_id(anon, db):
    from timetracker.logging import JSONFormatter, RequestIdFilter

    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("timetracker.request")
    logger.addHandler(handler)
    try:
        response = anon.get("/api/v1/info", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    line = json.loads(JSONFormatter().format(records[-1]))
    assert line["request_id"] == "req-42" == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/info", 200)
    assert line["level"] == "INFO" and "duration_ms" in line


def test_cors_is_off_by_default(anon, db):
    response = anon.get("/api/v1/info", HTTP_ORIGIN="https://app.example.com")
    assert "Access-Control-Allow-Origin" not in response


def test_cors_answers_listed_origins(anon, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = anon.options("/api/v1/projects", HTTP_ORIGIN="https://app.example.com",
                            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,x-api-key")
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "x-api-key" in response["Access-Control-Allow-Headers"]
    other = anon.get("/api/v1/info", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other


# Real servers


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _gunicorn_available():
    return subprocess.run([sys.executable, "-c", "import gunicorn"], capture_output=True).returncode == 0


@pytest.fixture
def production_server(tmp_path):
    """The app under gunicorn (3 workers) with production settings, its own SQLite file and Redis db 15."""

    def start(extra_env=None, scopes="read:projects"):
        port = _free_port()
        env = {
            **PRODUCTION_ENV,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "SECURE_SSL_REDIRECT": "0",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            **(extra_env or {}),
        }
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"],
                        ["shell", "-c", "from django.contrib.auth.models import User; "
                                        "User.objects.create_user('runner', is_staff=False); "
                                        "from projects.models import Project; Project.objects.create(name='Site')"]):
            result = _run(command, env)
            assert result.returncode == 0, result.stderr
        token = _run(["create_api_token", "--user", "runner", "--scopes", scopes], env).stdout.strip()
        clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "WEB_CONCURRENCY"}}
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env={**clean, **env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        servers.append(process)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        return base, token, process

    servers = []
    yield start
    for process in servers:
        process.terminate()
        process.wait(timeout=10)


def _get(url, token=None, *, method="GET", body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    request = urllib.request.Request(url, headers=headers, method=method, data=body)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


needs_services = pytest.mark.skipif(
    not (_redis_available() and _gunicorn_available()),
    reason="needs Redis on 127.0.0.1:6379 and gunicorn installed (.ci/run provides both)",
)


@needs_services
def test_rate_limits_hold_exactly_across_three_gunicorn_workers(production_server):
    subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)
    base, token, server = production_server({"REDIS_URL": "redis://127.0.0.1:6379/15", "WEB_CONCURRENCY": "3"})
    workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) == 3  # new connections are spread over all of them
    status, headers, _ = _get(f"{base}/api/v1/projects", token)
    if int(headers["X-RateLimit-Reset"]) - time.time() < 15:  # don't straddle the minute window's end
        time.sleep(max(0, int(headers["X-RateLimit-Reset"]) - time.time()) + 1)
        subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)
        status, headers, _ = _get(f"{base}/api/v1/projects", token)
    assert status == 200
    for count in range(2, 101):
        status, headers, _ = _get(f"{base}/api/v1/projects", token)
        assert status == 200, count
        assert headers["X-RateLimit-Remaining"] == str(100 - count)
    status, headers, body = _get(f"{base}/api/v1/projects", token)
    assert status == 429
    assert json.loads(body)["error_code"] == "rate_limited"
    assert headers["X-RateLimit-Limit"] == "100" and headers["X-RateLimit-Remaining"] == "0"
    assert int(headers["Retry-After"]) >= 1
    assert int(headers["X-RateLimit-Reset"]) > time.time()


@needs_services
def test_the_admin_is_styled_with_debug_off(production_server):
    base, _, _ = production_server({"REDIS_URL": "redis://127.0.0.1:6379/15"})
    status, _, page = _get(f"{base}/admin/login/")
    assert status == 200
    stylesheet = next(part.split('"')[0] for part in page.decode().split('href="')[1:] if part.startswith("/static/")
                      and ".css" in part.split('"')[0])
    status, headers, _ = _get(f"{base}{stylesheet}")
    assert status == 200 and headers["Content-Type"].startswith("text/css")


@needs_services
def test_list_totals_stay_exact_in_every_worker_after_a_write(production_server):
    """Totals are cached in Redis (timetracker.counts); a write through any worker retires them for all."""
    subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)
    base, token, _ = production_server({"REDIS_URL": "redis://127.0.0.1:6379/15", "WEB_CONCURRENCY": "3"},
                                       scopes="write:time_entries,read:projects")
    _, _, body = _get(f"{base}/api/v1/projects", token)
    project_id = json.loads(body)["projects"][0]["id"]

    def log(day):
        status, _, body = _get(f"{base}/api/v1/time-entries", token, method="POST", body={
            "project_id": project_id, "start_time": f"2024-01-{day:02}T09:00:00Z",
            "end_time": f"2024-01-{day:02}T10:00:00Z"})
        assert status == 201
        return json.loads(body)["time_entry"]["id"]

    def totals():  # a full page (per_page=1), so the total is counted or cached, never read off the page
        return {json.loads(_get(f"{base}/api/v1/time-entries?per_page=1", token)[2])["pagination"]["total"]
                for _ in range(12)}  # new connections, spread over the three workers

    first = log(1)
    log(2)
    assert totals() == {2}
    log(3)
    assert totals() == {3}
    assert _get(f"{base}/api/v1/time-entries/{first}", token, method="DELETE")[0] == 200
    assert totals() == {2}
