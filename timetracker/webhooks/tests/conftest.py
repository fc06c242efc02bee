"""A real HTTP receiver on 127.0.0.1, a movable clock, and a way to run the task worker in the test process."""

import datetime
import http.server
import itertools
import json
import re
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

from timetracker.webhooks import services
from timetracker.webhooks.management.commands import deliver_due_webhooks

_worker_ids = itertools.count(1)


def _documented_verify():
    """The verification recipe of docs/webhooks.md, taken from the page, so the documentation is what is tested."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "webhooks.md").read_text()
    code = re.search(r"```python\n(.*?def verify\(.*?)```", text, re.DOTALL).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 — our own documentation
    return namespace["verify"]


verify = _documented_verify()


class Received:
    def __init__(self, path, headers, body):
        self.path, self.headers, self.body = path, headers, body
        self.json = json.loads(body)

    @property
    def event(self):
        return self.headers["X-Webhook-Event"]

    @property
    def id(self):
        return self.headers["X-Webhook-ID"]


class Receiver:
    """Records every POST. Answers with ``statuses`` in turn (then ``default_status``); ``hold`` makes the
    next request wait until released (to kill a worker while it waits for the answer)."""

    def __init__(self):
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self.default_status = 200
        self.lock = threading.Lock()
        self.arrived = threading.Event()
        self.hold = None  # a threading.Event the handler waits on, once
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(Received(self.path, dict(self.headers), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else receiver.default_status
                    hold, receiver.hold = receiver.hold, None
                receiver.arrived.set()
                if hold is not None:
                    hold.wait(30)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/timetracker?source=test"

    def of(self, event):
        return [request for request in self.requests if request.event == event]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(autouse=True)
def allow_private_targets(settings):
    """The receiver listens on 127.0.0.1; the SSRF tests switch this off again."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Clock:
    def __init__(self):
        self.current = timezone.now()

    def __call__(self):
        return self.current

    def advance(self, **delta):
        self.current += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Moves Django's clock (and with it due deliveries and scheduled tasks) only when told to."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def _worker():
    return Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False, max_tasks=None,
        worker_id=f"test-worker-{next(_worker_ids)}", excluded_queue_names=[],
    )


def run_worker():
    """Run every task that is ready, as ``manage.py db_worker --batch`` does (for tests whose writes commit)."""
    _worker().run()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` — the writes inside count as committed: their on-commit hooks (enqueueing the
    deliveries) run when the block ends. The test itself stays one transaction, rolled back afterwards."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def worker(committed, monkeypatch):
    """``worker()`` runs every ready task like ``db_worker --batch``, inside the test's transaction."""
    # Between tasks the worker closes connections that are not in autocommit mode: the test's is not.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        with committed():
            _worker().run()

    return run


@pytest.fixture
def sweep(committed, monkeypatch):
    """``sweep()`` is one pass of ``manage.py deliver_due_webhooks``, inside the test's transaction."""
    monkeypatch.setattr(deliver_due_webhooks, "close_old_connections", lambda: None)

    def run():
        with committed():
            call_command("deliver_due_webhooks", verbosity=0)

    return run


@pytest.fixture
def make_webhook(user):
    """make_webhook(url, events=("*",), owner=user) -> (webhook, secret), through the service."""

    def make(url, events=("*",), owner=None, **fields):
        return services.webhook_create(
            owner=owner or user, name=fields.pop("name", "Receiver"), url=url, events=list(events), **fields
        )

    return make
