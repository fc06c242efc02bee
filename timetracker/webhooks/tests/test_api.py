"""/api/v1/webhooks through HTTP, as an API client meets it."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services as projects
from timetracker.webhooks import events
from timetracker.webhooks.models import Webhook, WebhookDelivery

WEBHOOKS = "/api/v1/webhooks"


@pytest.fixture
def body(receiver):
    return {"name": "Billing", "url": receiver.url, "events": ["time_entry.created", "project.status_changed"]}


def create(client, body):
    response = client.post(WEBHOOKS, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


class TestCrud:
    def test_create_answers_the_secret_once(self, api, user, body):
        answer = create(api, body)
        assert answer["message"] == "Webhook created successfully"
        webhook = answer["webhook"]
        stored = Webhook.objects.get()
        assert webhook["secret"] == stored.secret and webhook["secret"].startswith("whsec_")
        assert len(webhook["secret"]) == len("whsec_") + 32
        assert webhook["owner_id"] == user.pk and webhook["active"] is True
        assert webhook["events"] == ["time_entry.created", "project.status_changed"]

        for shown in (api.get(f"{WEBHOOKS}/{stored.pk}").json()["webhook"], api.get(WEBHOOKS).json()["webhooks"][0],
                      api.patch(f"{WEBHOOKS}/{stored.pk}", {"name": "B"}, format="json").json()["webhook"]):
            assert "secret" not in shown
            assert stored.secret not in str(shown)

    def test_retrieve_list_update_delete(self, api, body):
        webhook = create(api, body)["webhook"]
        url = f"{WEBHOOKS}/{webhook['id']}"
        assert api.get(url + "/").json()["webhook"]["name"] == "Billing"
        listed = api.get(WEBHOOKS + "/").json()
        assert [w["id"] for w in listed["webhooks"]] == [webhook["id"]]
        assert listed["pagination"]["total"] == 1

        updated = api.put(url, {"events": ["*"], "active": False}, format="json").json()
        assert updated["message"] == "Webhook updated successfully"
        assert updated["webhook"]["events"] == ["*"] and updated["webhook"]["active"] is False
        assert updated["webhook"]["name"] == "Billing"  # PUT takes a partial body, like all of v1

        assert api.delete(url).json() == {"message": "Webhook deleted successfully"}
        assert api.get(url).status_code == 404

    def test_events_are_stored_in_registry_order_without_duplicates(self, api, body):
        body["events"] = ["task.completed", "project.created", "task.completed"]
        assert create(api, body)["webhook"]["events"] == ["project.created", "task.completed"]
        body["events"] = ["project.created", "*"]
        assert create(api, body)["webhook"]["events"] == ["*"]

    @pytest.mark.parametrize("events_value, message", [
        ([], "This list may not be empty."),
        (["project.exploded"], "Unknown event(s): project.exploded."),
        ("project.created", 'Expected a list of items but got type "str".'),
    ])
    def test_bad_events_are_a_validation_error(self, api, body, events_value, message):
        body["events"] = events_value
        response = api.post(WEBHOOKS, body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"events": [message]}

    def test_a_private_target_is_a_validation_error_on_url(self, api, body, settings):
        settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
        body["url"] = "http://10.0.0.1/hook"
        response = api.post(WEBHOOKS, body, format="json")
        assert response.status_code == 400
        assert response.json()["error_code"] == "validation_error"
        assert "10.0.0.1" in response.json()["errors"]["url"][0]
        assert not Webhook.objects.exists()

    def test_the_url_must_be_http_or_https(self, api, body):
        body["url"] = "ftp://example.com/hook"
        response = api.post(WEBHOOKS, body, format="json")
        assert response.status_code == 400 and "url" in response.json()["errors"]

    def test_name_and_url_are_required(self, api):
        response = api.post(WEBHOOKS, {"events": ["*"]}, format="json")
        assert set(response.json()["errors"]) == {"name", "url"}

    def test_status_fields_are_read_only(self, api, body):
        webhook = create(api, {**body, "consecutive_failures": 5, "owner_id": 999, "secret": "whsec_mine"})
        stored = Webhook.objects.get()
        assert (stored.consecutive_failures, stored.owner_id) == (0, webhook["webhook"]["owner_id"])
        assert stored.secret != "whsec_mine"

    def test_reactivating_clears_the_deactivation(self, api, body):
        webhook = create(api, body)["webhook"]
        Webhook.objects.filter(pk=webhook["id"]).update(active=False, consecutive_failures=20,
                                                        deactivated_reason="Deactivated automatically …")
        shown = api.get(f"{WEBHOOKS}/{webhook['id']}").json()["webhook"]
        assert shown["deactivated_reason"] == "Deactivated automatically …" and shown["active"] is False
        shown = api.patch(f"{WEBHOOKS}/{webhook['id']}", {"active": True}, format="json").json()["webhook"]
        assert (shown["active"], shown["consecutive_failures"], shown["deactivated_reason"]) == (True, 0, "")


class TestWhoSeesWhat:
    def test_a_user_sees_and_changes_only_their_own_webhooks(self, api, make_user, make_client, body):
        mine = create(api, body)["webhook"]
        theirs = create(make_client(make_user("bob")), body)["webhook"]
        assert [w["id"] for w in api.get(WEBHOOKS).json()["webhooks"]] == [mine["id"]]
        for method in ("get", "patch", "delete"):
            assert getattr(api, method)(f"{WEBHOOKS}/{theirs['id']}").status_code == 404
        assert api.post(f"{WEBHOOKS}/{theirs['id']}/rotate-secret").status_code == 404
        assert api.get(f"{WEBHOOKS}/{theirs['id']}/deliveries").status_code == 404

    def test_an_admin_sees_everyones(self, api, admin_api, body):
        mine = create(api, body)["webhook"]
        assert [w["id"] for w in admin_api.get(WEBHOOKS).json()["webhooks"]] == [mine["id"]]
        assert admin_api.patch(f"{WEBHOOKS}/{mine['id']}", {"name": "Admin's edit"}, format="json").status_code == 200


class TestScopes:
    def test_reading_needs_read_webhooks(self, make_client, user):
        response = make_client(user, ["read:projects"]).get(WEBHOOKS)
        assert response.status_code == 403
        assert response.json()["required_scope"] == "read:webhooks"
        assert make_client(user, ["read:webhooks"]).get(WEBHOOKS).status_code == 200
        assert make_client(user, ["read:webhooks"]).get(f"{WEBHOOKS}/events").status_code == 200

    @pytest.mark.parametrize("request_args", [
        ("post", WEBHOOKS), ("patch", f"{WEBHOOKS}/ID"), ("delete", f"{WEBHOOKS}/ID"),
        ("post", f"{WEBHOOKS}/ID/rotate-secret"), ("post", f"{WEBHOOKS}/ID/deliveries/DELIVERY/redeliver"),
    ])
    def test_writing_needs_write_webhooks(self, make_client, user, api, body, request_args):
        webhook = create(api, body)["webhook"]
        method, path = request_args
        path = path.replace("ID", str(webhook["id"])).replace("DELIVERY", str(uuid.uuid4()))
        response = getattr(make_client(user, ["read:webhooks"]), method)(path, body, format="json")
        assert response.status_code == 403
        assert response.json()["required_scope"] == "write:webhooks"

    def test_a_token_subscribes_only_to_events_it_could_read(self, make_client, user, body):
        client = make_client(user, ["write:webhooks", "read:projects"])
        body["events"] = ["project.created", "time_entry.created"]
        response = client.post(WEBHOOKS, body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "events": ["Subscribing to time_entry.created needs the 'read:time_entries' scope."]}
        body["events"] = ["*"]
        assert client.post(WEBHOOKS, body, format="json").json()["errors"] == {
            "events": ["Subscribing to * needs the 'read:time_entries' scope."]}
        body["events"] = ["project.created", "inventory.low_stock"]
        assert client.post(WEBHOOKS, body, format="json").status_code == 201
        inventory_only = make_client(user, ["write:webhooks", "read:inventory"])
        body["events"] = ["inventory.transfer.created"]
        assert inventory_only.post(WEBHOOKS, body, format="json").status_code == 201

    def test_a_staff_session_may_use_the_api(self, client, admin_user, body):
        client.force_login(admin_user)
        response = client.post(WEBHOOKS, body, content_type="application/json", HTTP_ACCEPT="application/json")
        assert response.status_code == 201


class TestRotateSecret:
    def test_rotation_answers_the_new_secret_once_and_replaces_the_old(self, api, body):
        webhook = create(api, body)["webhook"]
        response = api.post(f"{WEBHOOKS}/{webhook['id']}/rotate-secret")
        assert response.status_code == 200
        rotated = response.json()
        assert rotated["message"] == "Secret rotated"
        assert rotated["webhook"]["secret"] != webhook["secret"]
        assert Webhook.objects.get().secret == rotated["webhook"]["secret"]
        assert "secret" not in api.get(f"{WEBHOOKS}/{webhook['id']}").json()["webhook"]


class TestDeliveries:
    def test_the_log_is_paginated_newest_first(self, api, body):
        webhook = create(api, {**body, "events": ["*"]})["webhook"]
        for n in range(3):
            projects.project_create(name=f"P{n}")
        response = api.get(f"{WEBHOOKS}/{webhook['id']}/deliveries?per_page=2")
        assert response.status_code == 200
        page = response.json()
        assert page["pagination"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2, "has_next": True,
                                      "has_prev": False, "next_page": 2, "prev_page": None}
        names = [d["payload"]["data"]["name"] for d in page["deliveries"]]
        names += [d["payload"]["data"]["name"] for d in api.get(
            f"{WEBHOOKS}/{webhook['id']}/deliveries?per_page=2&page=2").json()["deliveries"]]
        assert names == ["P2", "P1", "P0"]
        first = page["deliveries"][0]
        assert set(first) == {"id", "webhook_id", "event", "status", "attempts", "next_attempt_at",
                              "last_attempt_at", "last_status_code", "last_error", "delivered_at", "created_at",
                              "payload"}
        assert first["payload"]["id"] == first["id"] and first["status"] == "pending" and first["attempts"] == 0

    def test_redeliver_puts_the_same_delivery_back_to_pending(self, api, body):
        webhook = create(api, {**body, "events": ["*"]})["webhook"]
        projects.project_create(name="P")
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=8, next_attempt_at=None)
        response = api.post(f"{WEBHOOKS}/{webhook['id']}/deliveries/{delivery.pk}/redeliver")
        assert response.status_code == 202
        answer = response.json()
        assert answer["message"] == "Redelivery queued"
        assert answer["delivery"]["id"] == str(delivery.pk) and answer["delivery"]["status"] == "pending"
        assert WebhookDelivery.objects.count() == 1

    def test_redeliver_of_an_unknown_or_anothers_delivery_is_a_404(self, api, make_client, make_user, body):
        mine = create(api, {**body, "events": ["*"]})["webhook"]
        theirs = create(make_client(make_user("bob")), {**body, "events": ["*"]})["webhook"]
        projects.project_create(name="P")
        their_delivery = WebhookDelivery.objects.get(webhook_id=theirs["id"])
        assert api.post(f"{WEBHOOKS}/{mine['id']}/deliveries/{their_delivery.pk}/redeliver").status_code == 404
        assert api.post(f"{WEBHOOKS}/{mine['id']}/deliveries/{uuid.uuid4()}/redeliver").status_code == 404
        assert api.post(f"{WEBHOOKS}/{mine['id']}/deliveries/not-a-uuid/redeliver").status_code == 404

    def test_redeliver_on_an_inactive_webhook_is_refused(self, api, body):
        webhook = create(api, {**body, "events": ["*"]})["webhook"]
        projects.project_create(name="P")
        Webhook.objects.update(active=False)
        response = api.post(f"{WEBHOOKS}/{webhook['id']}/deliveries/{WebhookDelivery.objects.get().pk}/redeliver")
        assert response.status_code == 400
        assert response.json()["error_code"] == "webhook_inactive"


def test_the_events_list_names_every_registered_event(api):
    response = api.get(f"{WEBHOOKS}/events")
    assert response.status_code == 200
    listed = response.json()["events"]
    assert [event["name"] for event in listed] == events.NAMES
    assert all(event["description"] for event in listed)
    assert "timer.started" in events.NAMES and len(listed) == 15


@pytest.mark.parametrize("path", ["webhooks", "deliveries"])
def test_list_query_count_does_not_grow_with_rows(api, body, django_assert_num_queries, path):
    webhook = create(api, {**body, "events": ["*"]})["webhook"]
    url = WEBHOOKS if path == "webhooks" else f"{WEBHOOKS}/{webhook['id']}/deliveries"
    projects.project_create(name="P0")
    with CaptureQueriesContext(connection) as at_one_row:
        assert api.get(url).status_code == 200
    at_one_row = len(at_one_row.captured_queries)
    for n in range(1, 21):
        create(api, body)
        projects.project_create(name=f"P{n}")
    with django_assert_num_queries(at_one_row):
        assert len(api.get(url).json()[path]) == 21
