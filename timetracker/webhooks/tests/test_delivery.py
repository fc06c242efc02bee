"""Delivery: retries with backoff, a worker killed mid-attempt, deactivation, redelivery — never lost, never
sent twice for one attempt."""

import datetime
import logging
import threading

import pytest
from django_tasks_db.models import DBTaskResult

from projects import services as projects
from timetracker.errors import Conflict
from timetracker.webhooks import sending, services
from timetracker.webhooks.models import Webhook, WebhookDelivery

from .conftest import verify


@pytest.fixture
def emit_one(committed):
    """emit_one(name) -> the delivery of a project.created, committed (its task enqueued)."""

    def emit(name="Alpha"):
        with committed():
            projects.project_create(name=name)
        return WebhookDelivery.objects.latest("created_at")

    return emit


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt(
    receiver, make_webhook, clock, emit_one, worker
):
    _, secret = make_webhook(receiver.url)
    receiver.statuses = [500, 503]
    delivery = emit_one()
    worker()
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == delivery.last_attempt_at + datetime.timedelta(minutes=1)

    clock.advance(seconds=59)
    worker()
    assert len(receiver.requests) == 1  # not due yet

    clock.advance(seconds=1)
    worker()
    assert len(receiver.requests) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 2, 503)

    clock.advance(minutes=2)
    worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 3, 200)
    assert delivery.delivered_at == clock() and delivery.next_attempt_at is None
    assert [r.id for r in receiver.requests] == [str(delivery.pk)] * 3  # the same X-Webhook-ID every time
    assert {r.body for r in receiver.requests} == {delivery.payload.encode()}  # and the same body
    assert all(verify(secret, r.headers, r.body) for r in receiver.requests)


def test_the_backoff_doubles_from_a_minute_and_the_eighth_failure_is_final(
    receiver, make_webhook, clock, emit_one, worker
):
    make_webhook(receiver.url)
    receiver.default_status = 500
    delivery = emit_one()
    waits = []
    worker()
    for _ in range(10):
        delivery.refresh_from_db()
        if delivery.status != "pending":
            break
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        clock.advance(seconds=waits[-1].total_seconds())
        worker()
    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8, 16, 32, 64]
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == ("failed", 8, 8)
    assert delivery.next_attempt_at is None and delivery.last_status_code == 500


def test_a_refused_connection_is_a_failed_attempt(make_webhook, receiver, emit_one, worker):
    receiver.close()  # nobody listens on its port any more
    make_webhook(receiver.url)
    delivery = emit_one()
    worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "refused" in delivery.last_error.lower()


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(
    receiver, make_webhook, monkeypatch, emit_one, worker
):
    monkeypatch.setattr(sending, "TIMEOUT_SECONDS", 0.2)  # 10 s in production
    receiver.hold = never_answer = threading.Event()
    make_webhook(receiver.url)
    delivery = emit_one()
    worker()
    never_answer.set()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "Timed out after 0.2 s.")


def test_a_worker_killed_mid_attempt_leaves_a_delivery_sent_after_restart_with_the_same_id(
    receiver, make_webhook, clock, emit_one, worker, sweep
):
    _, secret = make_webhook(receiver.url)
    delivery = emit_one()
    # The worker took the task and claimed the attempt, then died before any answer: the task stays RUNNING
    # in the queue for good, the delivery keeps its lease.
    task = DBTaskResult.objects.get()
    task.claim("killed-worker")
    assert services._claim(delivery.pk, clock()) is not None

    worker()  # a restarted worker: nothing is ready, the lease still holds
    assert receiver.requests == []
    clock.advance(seconds=61)
    sweep()
    worker()
    assert receiver.requests == []  # lease over, but a slow queue is not taken for a lost task yet

    clock.advance(minutes=5)
    sweep()  # the sweep the worker runs beside it
    worker()
    [request] = receiver.requests
    assert request.id == str(delivery.pk) and verify(secret, request.headers, request.body)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


def test_the_sweep_does_not_enqueue_deliveries_whose_task_is_waiting(
    receiver, make_webhook, clock, emit_one, worker, sweep
):
    make_webhook(receiver.url)
    emit_one()
    assert DBTaskResult.objects.count() == 1
    clock.advance(minutes=4)
    sweep()
    assert DBTaskResult.objects.count() == 1
    clock.advance(minutes=1)
    sweep()
    assert DBTaskResult.objects.count() == 2  # five minutes without a worker: enqueued again, once
    sweep()
    assert DBTaskResult.objects.count() == 2
    worker()
    assert len(receiver.requests) == 1  # the duplicate task found the attempt done


def test_an_attempt_whose_lease_ran_out_does_not_overwrite_the_next_workers_result(
    receiver, make_webhook, monkeypatch, emit_one
):
    make_webhook(receiver.url)
    receiver.statuses = [500]
    delivery = emit_one()
    real_request = services._request

    def slow_request(delivery):
        outcome = real_request(delivery)
        # Meanwhile the lease expired and another worker claimed the attempt.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(locked_until=services.now() + services.LEASE * 2)
        return outcome

    monkeypatch.setattr(services, "_request", slow_request)
    assert services.delivery_attempt(delivery_id=delivery.pk) == "lease_lost"
    delivery.refresh_from_db()
    assert delivery.last_status_code is None and delivery.status == "pending"


def test_twenty_consecutive_failed_deliveries_deactivate_the_webhook(
    receiver, make_webhook, clock, emit_one, worker
):
    webhook, _ = make_webhook(receiver.url)
    receiver.default_status = 500
    for n in range(20):
        emit_one(f"Project {n}")
    for attempt in range(1, 9):
        worker()
        webhook.refresh_from_db()
        if attempt < 8:
            assert webhook.active
        clock.advance(minutes=2 ** (attempt - 1))
    assert len(receiver.requests) == 160
    assert WebhookDelivery.objects.filter(status="failed").count() == 20
    webhook.refresh_from_db()
    assert not webhook.active and webhook.consecutive_failures == 20
    assert "after 20 consecutive failed deliveries" in webhook.deactivated_reason
    assert "HTTP 500" in webhook.deactivated_reason

    emit_one("After")  # an inactive webhook gets no new deliveries
    assert WebhookDelivery.objects.count() == 20

    services.webhook_update(webhook=webhook, active=True)
    webhook.refresh_from_db()
    assert (webhook.consecutive_failures, webhook.deactivated_reason, webhook.deactivated_at) == (0, "", None)


def test_a_success_resets_the_count_of_failed_deliveries(receiver, make_webhook, emit_one, worker):
    webhook, _ = make_webhook(receiver.url)
    Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=19)
    emit_one()
    worker()
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 0 and webhook.active


def test_a_pending_delivery_of_a_deactivated_webhook_fails_without_being_sent(
    receiver, make_webhook, emit_one, worker
):
    webhook, _ = make_webhook(receiver.url)
    delivery = emit_one()
    Webhook.objects.filter(pk=webhook.pk).update(active=False)
    worker()
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert (delivery.status, delivery.last_error) == ("failed", "Not sent: the webhook is inactive.")


def test_redelivery_sends_the_same_delivery_again(receiver, make_webhook, clock, emit_one, worker, committed):
    _, secret = make_webhook(receiver.url)
    receiver.default_status = 500
    delivery = emit_one()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=7)  # its last attempt is next
    worker()
    delivery.refresh_from_db()
    assert delivery.status == "failed"

    receiver.default_status = 204
    with committed():
        services.delivery_redeliver(delivery=delivery)
    assert delivery.status == "pending"
    worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 9, 204)
    assert [r.id for r in receiver.requests] == [str(delivery.pk)] * 2
    assert receiver.requests[0].body == receiver.requests[1].body


def test_a_delivery_being_sent_cannot_be_redelivered(receiver, make_webhook, clock, emit_one):
    make_webhook(receiver.url)
    delivery = emit_one()
    services._claim(delivery.pk, clock())
    with pytest.raises(Conflict):
        services.delivery_redeliver(delivery=delivery)


def test_a_rotated_secret_signs_the_next_attempts(receiver, make_webhook, clock, emit_one, worker):
    webhook, old = make_webhook(receiver.url)
    receiver.statuses = [500]
    emit_one()
    worker()
    new = services.webhook_rotate_secret(webhook=webhook)
    clock.advance(minutes=1)
    worker()
    first, second = receiver.requests
    assert new != old and new.startswith("whsec_")
    assert verify(old, first.headers, first.body) and not verify(old, second.headers, second.body)
    assert verify(new, second.headers, second.body)


def test_the_secret_never_reaches_the_logs(receiver, make_webhook, caplog, clock, emit_one, worker):
    webhook, secret = make_webhook(receiver.url)
    receiver.statuses = [500]
    with caplog.at_level(logging.DEBUG):
        emit_one()
        worker()
        clock.advance(minutes=1)
        worker()
    assert len(receiver.requests) == 2
    assert "webhook" in caplog.text.lower()
    assert secret not in caplog.text and secret not in repr(webhook) and secret not in str(webhook)


def test_a_tampered_stale_or_wrongly_keyed_request_fails_verification(receiver, make_webhook, emit_one, worker):
    _, secret = make_webhook(receiver.url)
    emit_one()
    worker()
    [request] = receiver.requests
    assert verify(secret, request.headers, request.body)
    assert not verify(secret, request.headers, request.body.replace(b"Alpha", b"Omega"))
    assert not verify(services.generate_secret(), request.headers, request.body)
    stale = {**request.headers, "X-Webhook-Timestamp": str(int(request.headers["X-Webhook-Timestamp"]) - 301)}
    stale["X-Webhook-Signature"] = sending.signature(secret, int(stale["X-Webhook-Timestamp"]), request.body)
    assert not verify(secret, stale, request.body)
