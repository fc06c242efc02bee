"""Events are emitted by the domain services: each change fires its events once, whichever way it is made,
signed, carrying the resource as v1 renders it, and only if the change commits."""

import base64
import datetime
import json
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from inventory import services as inventory
from inventory.models import StockItem, Warehouse
from projects import services as projects
from projects.models import Client, Project, Task
from timeentries import services as timeentries
from timeentries.models import TimeEntry
from timetracker.models import SiteSettings
from timetracker.webhooks import events
from timetracker.webhooks.models import WebhookDelivery

from .conftest import run_worker, verify


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def world(user, make_project, make_task):
    """What the triggers act on, made before any webhook exists (so it fires nothing)."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"inventory_enabled": True})
    project = make_project("Website")
    item = StockItem.objects.create(sku="CAM-1", name="Camera", currency_code="EUR", reorder_point=Decimal("5"))
    main = Warehouse.objects.create(code="MAIN", name="Main")
    annex = Warehouse.objects.create(code="ANNEX", name="Annex")
    inventory.stock_movement_record(item=item, warehouse=main, movement_type="purchase", quantity=Decimal(10),
                                    unit_cost=Decimal(8), user=user)
    return {
        "user": user, "project": project, "task": make_task(project, "Design"),
        "client": Client.objects.create(name="Acme"),
        "entry": timeentries.time_entry_create(user=user, project=project, start_time=an_hour_ago(),
                                               end_time=timezone.now()),
        "item": item, "main": main, "annex": annex,
    }


def _stop_timer(w):
    timeentries.timer_start(user=w["user"], project=w["project"])
    timeentries.timer_stop(user=w["user"])


TRIGGERS = {
    "time_entry.created": lambda w: timeentries.time_entry_create(
        user=w["user"], project=w["project"], start_time=an_hour_ago(), end_time=timezone.now()),
    "time_entry.updated": lambda w: timeentries.time_entry_update(entry=w["entry"], notes="changed"),
    "time_entry.deleted": lambda w: timeentries.time_entry_delete(entry=w["entry"]),
    "timer.started": lambda w: timeentries.timer_start(user=w["user"], project=w["project"]),
    "timer.stopped": _stop_timer,
    "project.created": lambda w: projects.project_create(name="New"),
    "project.updated": lambda w: projects.project_update(project=w["project"], description="More"),
    "project.status_changed": lambda w: projects.project_update(project=w["project"], status="on_hold"),
    "task.created": lambda w: projects.task_create(project=w["project"], name="Build"),
    "task.updated": lambda w: projects.task_update(task=w["task"], priority=1),
    "task.completed": lambda w: projects.task_update(task=w["task"], status="done"),
    "client.created": lambda w: projects.client_create(name="Globex"),
    "client.updated": lambda w: projects.client_update(client=w["client"], company="Acme Inc."),
    "inventory.transfer.created": lambda w: inventory.stock_transfer(
        item=w["item"], from_warehouse=w["main"], to_warehouse=w["annex"], quantity=Decimal(2), user=w["user"]),
    "inventory.low_stock": lambda w: inventory.stock_movement_record(
        item=w["item"], warehouse=w["main"], movement_type="sale", quantity=Decimal(6), user=w["user"]),
}


def test_every_registered_event_has_a_trigger_here():
    assert set(TRIGGERS) == set(events.NAMES)


@pytest.mark.parametrize("event", list(TRIGGERS))
def test_each_event_fires_once_with_a_valid_signature(event, world, receiver, make_webhook, committed, worker):
    webhook, secret = make_webhook(receiver.url)
    with committed():
        TRIGGERS[event](world)
    worker()

    [request] = receiver.of(event)
    assert verify(secret, request.headers, request.body)
    assert request.path == "/hooks/timetracker?source=test"
    assert request.headers["Content-Type"] == "application/json"
    delivery = WebhookDelivery.objects.get(event=event)
    assert request.id == str(delivery.pk) == request.json["id"]
    assert request.json["event"] == event
    assert set(request.json) == {"id", "event", "created_at", "data"}
    assert delivery.status == "succeeded" and delivery.attempts == 1 and delivery.last_status_code == 200
    # Nothing was sent twice, whatever else the trigger fired.
    assert len({r.id for r in receiver.requests}) == len(receiver.requests)


def test_the_data_is_the_resource_as_v1_renders_it(world, receiver, make_webhook, api, committed, worker):
    make_webhook(receiver.url)
    with committed():
        entry = TRIGGERS["time_entry.created"](world)
        projects.project_update(project=world["project"], status="on_hold")
        reference_id, _ = TRIGGERS["inventory.transfer.created"](world)
    worker()

    def data(event):
        [request] = receiver.of(event)
        return request.json["data"]

    assert data("time_entry.created") == api.get(f"/api/v1/time-entries/{entry.pk}").json()["time_entry"]
    assert data("project.status_changed") == api.get(f"/api/v1/projects/{world['project'].pk}").json()["project"]
    assert data("project.status_changed")["status"] == "on_hold"
    assert data("inventory.transfer.created") == api.get(
        f"/api/v1/inventory/transfers/{reference_id}").json()["transfer"]


def test_a_timer_start_is_a_created_entry_and_a_started_timer_and_its_stop_an_update_and_a_stop(
    world, receiver, make_webhook, committed, worker
):
    make_webhook(receiver.url)
    with committed():
        entry = timeentries.timer_start(user=world["user"], project=world["project"])
        timeentries.timer_stop(user=world["user"])
    worker()
    assert [r.event for r in receiver.requests] == [
        "time_entry.created", "timer.started", "time_entry.updated", "timer.stopped"]
    assert {r.json["data"]["id"] for r in receiver.requests} == {entry.pk}
    assert receiver.of("timer.stopped")[0].json["data"]["end_time"] is not None


def test_low_stock_fires_once_per_crossing_of_the_reorder_point(world, make_webhook, receiver):
    make_webhook(receiver.url, events=["inventory.low_stock"])
    item, main, user = world["item"], world["main"], world["user"]  # 10 on hand, reorder point 5

    def sell(quantity):
        inventory.stock_movement_record(item=item, warehouse=main, movement_type="sale", quantity=Decimal(quantity),
                                        user=user)

    def count():
        return WebhookDelivery.objects.filter(event="inventory.low_stock").count()

    sell(5)
    assert count() == 0  # 5 on hand is not below 5
    sell(1)
    assert count() == 1  # 4: crossed
    sell(1)
    assert count() == 1  # 3: still below, no new crossing
    inventory.stock_movement_record(item=item, warehouse=main, movement_type="purchase", quantity=Decimal(7),
                                    user=user)
    sell(6)
    assert count() == 2  # back up to 10, then down to 4: a second crossing
    payload = WebhookDelivery.objects.filter(event="inventory.low_stock").first().payload
    assert '"quantity_on_hand":4.0' in payload and '"shortfall":1.0' in payload and '"sku":"CAM-1"' in payload


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_fires_nothing(world, receiver, make_webhook):
    make_webhook(receiver.url)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            projects.project_update(project=world["project"], status="on_hold")
            timeentries.timer_start(user=world["user"], project=world["project"])
            assert WebhookDelivery.objects.count() == 4  # written with the change …
            raise RuntimeError("the request failed after the services ran")
    run_worker()
    assert not WebhookDelivery.objects.exists()  # … and gone with it
    assert not DBTaskResult.objects.exists()  # no task was enqueued
    assert receiver.requests == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_api_write_fires_nothing(world, receiver, make_webhook, api):
    make_webhook(receiver.url)
    response = api.post("/api/v1/time-entries", {"project_id": world["project"].pk,
                                                 "start_time": "2024-01-01T10:00:00Z",
                                                 "end_time": "2024-01-01T09:00:00Z"}, format="json")
    assert response.status_code == 400
    run_worker()
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_an_update_that_changes_nothing_fires_nothing(world, make_webhook, receiver):
    make_webhook(receiver.url)
    projects.project_update(project=world["project"], name=world["project"].name)
    projects.task_update(task=world["task"], priority=world["task"].priority)
    projects.client_update(client=world["client"], name="Acme")
    assert not WebhookDelivery.objects.exists()


def test_a_status_change_fires_updated_and_status_changed(world, make_webhook, receiver):
    make_webhook(receiver.url)
    projects.project_archive(project=world["project"])
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "project.status_changed", "project.updated"]


def test_a_task_created_done_is_created_and_completed(world, make_webhook, receiver):
    make_webhook(receiver.url)
    projects.task_create(project=world["project"], name="Done already", status="done")
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == ["task.completed", "task.created"]


def test_restoring_and_invoicing_entries_are_updates(world, make_webhook, receiver):
    entry = world["entry"]
    timeentries.time_entry_delete(entry=entry)
    make_webhook(receiver.url)
    timeentries.time_entry_restore(entry=entry)
    timeentries.time_entries_mark_invoiced(entries=[entry], invoice_number="INV-1")
    assert list(WebhookDelivery.objects.order_by("created_at").values_list("event", flat=True)) == [
        "time_entry.updated", "time_entry.updated"]
    assert '"invoice_number":"INV-1"' in WebhookDelivery.objects.order_by("created_at").last().payload


def test_a_subscription_receives_only_its_events(world, make_webhook, receiver):
    make_webhook(receiver.url, events=["task.completed"])
    projects.task_update(task=world["task"], status="done")
    projects.project_create(name="Ignored")
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["task.completed"]


def test_inactive_webhooks_and_inactive_owners_receive_nothing(world, make_webhook, make_user, receiver):
    make_webhook(receiver.url, active=False)
    make_webhook(receiver.url, owner=make_user(is_active=False))
    projects.project_create(name="Quiet")
    assert not WebhookDelivery.objects.exists()


def test_time_entries_reach_only_their_users_and_admins_webhooks(world, make_webhook, make_user, admin_user,
                                                                  receiver):
    own, _ = make_webhook(receiver.url, name="own")
    admins, _ = make_webhook(receiver.url, owner=admin_user, name="admin's")
    someone_elses, _ = make_webhook(receiver.url, owner=make_user("bob"), name="bob's")
    TRIGGERS["time_entry.created"](world)
    projects.project_create(name="Shared")
    assert set(WebhookDelivery.objects.filter(event="time_entry.created").values_list("webhook", flat=True)) == {
        own.pk, admins.pk}
    assert WebhookDelivery.objects.filter(event="project.created").count() == 3  # shared data: everyone's


# Every way in fires the same event once


def _basic(username, token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{username}:{token}".encode()).decode())
    return client


def _through_v1(project, user, make_token, admin_client):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user)}")
    return client.post("/api/v1/time-entries", {"project_id": project.pk, "start_time": "2024-01-15T09:00:00Z",
                                                  "end_time": "2024-01-15T10:00:00Z"}, format="json")


def _through_teamwork(project, user, make_token, admin_client):
    return _basic(make_token(user), "X").post(
        f"/teamwork/projects/{project.pk}/time_entries.json",
        {"time-entry": {"date": "20240115", "time": "09:00", "hours": 1, "minutes": 0}}, format="json")


def _through_codebase(project, user, make_token, admin_client):
    return _basic(f"acme/{user.username}", make_token(user)).post(
        f"/codebase/{project.permalink}/time_sessions",
        "<time-session><summary>Work</summary><minutes>60</minutes></time-session>",
        content_type="application/xml")


def _through_the_admin(project, user, make_token, admin_client):
    return admin_client.post(reverse("admin:timeentries_timeentry_add"), {
        "user": user.pk, "project": project.pk, "start_time_0": "2024-01-15", "start_time_1": "09:00:00",
        "end_time_0": "2024-01-15", "end_time_1": "10:00:00", "has_start_time": "on", "notes": "",
        "billable": "on", "invoice_number": "",
    })


@pytest.mark.parametrize("way", [_through_v1, _through_teamwork, _through_codebase, _through_the_admin])
def test_a_time_entry_made_any_way_fires_time_entry_created_once(way, world, make_token, client, make_user,
                                                                 receiver, make_webhook):
    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    make_webhook(receiver.url, owner=superuser)
    response = way(world["project"], world["user"], make_token, client)
    assert response.status_code in (201, 302), response.content
    created = WebhookDelivery.objects.filter(event="time_entry.created")
    assert created.count() == 1
    assert json.loads(created.get().payload)["data"]["id"] == TimeEntry.objects.latest("created_at").pk
    assert set(WebhookDelivery.objects.values_list("event", flat=True)) == {"time_entry.created"}


@pytest.mark.parametrize("way", ["v1", "admin"])
def test_a_project_status_change_any_way_fires_once(way, world, make_webhook, receiver, client, make_user, api):
    superuser = make_user("root", is_staff=True, is_superuser=True)
    make_webhook(receiver.url)
    project = world["project"]
    if way == "v1":
        assert api.patch(f"/api/v1/projects/{project.pk}", {"status": "on_hold"}, format="json").status_code == 200
    else:
        client.force_login(superuser)
        url = reverse("admin:projects_project_change", args=[project.pk])
        form = client.get(url).context["adminform"].form
        data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
        data.update({"status": "on_hold", "billable": "on", "tasklists-TOTAL_FORMS": 0,
                     "tasklists-INITIAL_FORMS": 0})
        assert client.post(url, data).status_code == 302
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "project.status_changed", "project.updated"]
    assert Project.objects.get().status == "on_hold"
    assert Task.objects.count() == 1
