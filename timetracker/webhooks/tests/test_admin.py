"""The webhook admin and the delivery log, as a superuser uses them."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from projects import services as projects
from timetracker.webhooks import services
from timetracker.webhooks.models import Webhook, WebhookDelivery


@pytest.fixture
def browser(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def add(browser, receiver, **overrides):
    data = {"name": "Zapier", "url": receiver.url, "events": ["project.created", "task.completed"],
            "active": "on", "owner": overrides.pop("owner", None)}
    data.update(overrides)
    return browser.post(reverse("admin:webhooks_webhook_add"), {k: v for k, v in data.items() if v is not None})


def test_adding_a_webhook_shows_its_secret_once(browser, receiver, user):
    response = add(browser, receiver, owner=user.pk)
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.secret in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert (webhook.owner, webhook.events) == (user, ["project.created", "task.completed"])

    for page in (reverse("admin:webhooks_webhook_change", args=[webhook.pk]),
                 reverse("admin:webhooks_webhook_changelist")):
        shown = browser.get(page)
        assert shown.status_code == 200 and webhook.secret not in shown.content.decode()


def test_the_owner_defaults_to_the_admin_adding_it(browser):
    form = browser.get(reverse("admin:webhooks_webhook_add")).context["adminform"].form
    assert str(form["owner"].value()) == browser.session["_auth_user_id"]


def test_a_private_target_is_refused_on_the_form(browser, receiver, settings, user):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = add(browser, receiver, owner=user.pk, url="http://10.0.0.1/hook")
    assert response.status_code == 200
    assert "10.0.0.1" in str(response.context["adminform"].form.errors["url"])
    assert not Webhook.objects.exists()


def test_changing_a_webhook_goes_through_the_service(browser, receiver, user):
    webhook, _ = services.webhook_create(owner=user, name="Old", url=receiver.url, events=["*"])
    Webhook.objects.filter(pk=webhook.pk).update(active=False, consecutive_failures=20,
                                                 deactivated_reason="Deactivated automatically: 20 failures.")
    url = reverse("admin:webhooks_webhook_change", args=[webhook.pk])
    page = browser.get(url)
    assert "Deactivated automatically: 20 failures." in page.content.decode()  # the admin shows why
    response = browser.post(url, {"name": "New", "url": receiver.url, "events": ["*"], "active": "on"})
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.active, webhook.consecutive_failures, webhook.deactivated_reason) == (
        "New", True, 0, "")


def test_the_list_shows_why_a_webhook_is_deactivated(browser, receiver, user):
    webhook, _ = services.webhook_create(owner=user, name="Dead", url=receiver.url, events=["*"])
    Webhook.objects.filter(pk=webhook.pk).update(active=False, deactivated_reason="Deactivated after 20 failures.")
    page = browser.get(reverse("admin:webhooks_webhook_changelist")).content.decode()
    assert "Deactivated: Deactivated after 20 failures." in page


def test_the_rotate_action_shows_the_new_secret(browser, receiver, user):
    webhook, old = services.webhook_create(owner=user, name="Hook", url=receiver.url, events=["*"])
    response = browser.post(reverse("admin:webhooks_webhook_changelist"),
                            {"action": "rotate_secret", ACTION_CHECKBOX_NAME: [webhook.pk]})
    assert response.status_code == 200
    webhook.refresh_from_db()
    assert webhook.secret != old and webhook.secret in response.content.decode()


def test_the_delivery_log_and_its_redeliver_action(browser, receiver, user):
    webhook, _ = services.webhook_create(owner=user, name="Hook", url=receiver.url, events=["*"])
    projects.project_create(name="Alpha")
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=8, next_attempt_at=None,
                                                          last_status_code=500)

    log = browser.get(reverse("admin:webhooks_webhookdelivery_changelist") + f"?webhook__id__exact={webhook.pk}")
    assert log.status_code == 200 and "project.created" in log.content.decode()
    detail = browser.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200 and "Alpha" in detail.content.decode()
    assert browser.get(reverse("admin:webhooks_webhook_change", args=[webhook.pk])).content.decode().count(
        "1 deliveries") == 1

    response = browser.post(reverse("admin:webhooks_webhookdelivery_changelist"),
                            {"action": "redeliver", ACTION_CHECKBOX_NAME: [delivery.pk]})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.next_attempt_at is not None
    assert browser.get(reverse("admin:webhooks_webhookdelivery_add")).status_code == 403
