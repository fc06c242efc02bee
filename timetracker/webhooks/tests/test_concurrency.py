"""Workers racing for deliveries, and a real worker process killed mid-attempt, on PostgreSQL.

SQLite serializes every write, so only PostgreSQL shows whether the claim holds between real concurrent
transactions; these tests are skipped elsewhere.
"""

import os
import signal
import subprocess
import sys
import threading
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from projects import services as projects
from timetracker.webhooks import services
from timetracker.webhooks.models import WebhookDelivery
from timetracker.webhooks.tasks import enqueue_deliveries

from .conftest import run_worker, verify

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent transactions and row locks need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


def test_two_workers_never_deliver_the_same_attempt_twice(receiver, make_webhook):
    make_webhook(receiver.url)
    for n in range(30):
        projects.project_create(name=f"Project {n}")
    ids = list(WebhookDelivery.objects.values_list("pk", flat=True))
    enqueue_deliveries(ids)  # every delivery queued three times over, as a sweep racing the queue might
    enqueue_deliveries(ids)
    assert DBTaskResult.objects.count() == 90

    in_threads(4, run_worker)

    assert sorted(r.id for r in receiver.requests) == sorted(str(pk) for pk in ids)
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 90


def test_racing_attempts_of_one_delivery_send_it_once(receiver, make_webhook):
    make_webhook(receiver.url)
    projects.project_create(name="Alpha")
    delivery = WebhookDelivery.objects.get()

    outcomes = in_threads(8, lambda: services.delivery_attempt(delivery_id=delivery.pk))

    assert sorted(outcomes) == ["skipped"] * 7 + ["succeeded"]
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)


def _manage(*args, **kwargs):
    db = connection.settings_dict
    url = (f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url, "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
           "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "manage.py", *args]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, **kwargs)


def _run(*args):
    process = _manage(*args)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()


def test_a_worker_process_killed_mid_attempt_delivers_after_restart_with_the_same_id(receiver, make_webhook):
    _, secret = make_webhook(receiver.url)
    projects.project_create(name="Alpha")
    delivery = WebhookDelivery.objects.get()
    receiver.hold = answer = threading.Event()  # the receiver holds the first request unanswered

    worker = _manage("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05")
    try:
        assert receiver.arrived.wait(60), "the worker never sent the delivery"
        worker.send_signal(signal.SIGKILL)  # killed while it waits for the answer
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
        answer.set()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.delivered_at) == ("pending", 1, None)
    assert delivery.locked_until is not None  # the dead worker's lease

    _run("deliver_due_webhooks")
    _run("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert len(receiver.requests) == 1  # restarted at once: the lease still holds, nothing is sent twice

    # Time passes (the lease runs out, the sweep takes the task for lost): moved here instead of waited for.
    past = services.now() - services.REQUEUE_AFTER
    WebhookDelivery.objects.filter(pk=delivery.pk).update(locked_until=past, requeue_at=past)
    _run("deliver_due_webhooks")
    _run("db_worker", "--batch", "--no-reload", "--no-startup-delay")

    first, second = receiver.requests
    assert first.id == second.id == str(delivery.pk)
    assert first.body == second.body and verify(secret, second.headers, second.body)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
