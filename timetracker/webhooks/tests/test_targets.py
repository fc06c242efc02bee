"""Server-side request forgery: http(s) only, public addresses only (unless allowed), checked when a webhook
is saved and again at every attempt, and the attempt connects to the address that was checked."""

import pytest
from django.core.exceptions import ValidationError

from projects import services as projects
from timetracker.webhooks import sending, services, targets
from timetracker.webhooks.models import WebhookDelivery

PUBLIC = "93.184.216.34"


@pytest.fixture
def dns(monkeypatch):
    """A resolver the test controls: names map to address lists; IP literals resolve to themselves."""
    records = {}
    real = targets.resolve

    def resolve(host, port):
        return records[host] if host in records else real(host, port)

    monkeypatch.setattr(targets, "resolve", resolve)
    return records


@pytest.fixture
def refuse_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "::1", "::", "fe80::1", "fc00::1",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "2001:db8::1",
])
def test_non_public_addresses_are_refused(address):
    assert not targets.is_public(address)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_are_allowed(address):
    assert targets.is_public(address)


def test_a_url_pointing_at_10_0_0_1_is_refused_unless_allowed(user, refuse_private, settings):
    with pytest.raises(ValidationError) as excinfo:
        services.webhook_create(owner=user, name="x", url="http://10.0.0.1/hook", events=["*"])
    assert "10.0.0.1" in excinfo.value.message_dict["url"][0]
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    webhook, _ = services.webhook_create(owner=user, name="x", url="http://10.0.0.1/hook", events=["*"])
    assert webhook.url == "http://10.0.0.1/hook"


@pytest.mark.parametrize("url", [
    "ftp://example.com/x", "file:///etc/passwd", "gopher://example.com", "javascript:alert(1)", "//example.com",
    "http://user:pass@example.com/", "http:///nohost", "http://example.com:99999/", "http://93.184.216.34:0/",
])
def test_only_plain_http_and_https_urls_are_accepted(user, url):
    with pytest.raises(ValidationError) as excinfo:
        services.webhook_create(owner=user, name="x", url=url, events=["*"])
    assert "url" in excinfo.value.message_dict


def test_a_name_resolving_to_any_private_address_is_refused(user, dns, refuse_private):
    dns["mixed.example.com"] = [PUBLIC, "192.168.0.10"]
    with pytest.raises(ValidationError) as excinfo:
        services.webhook_create(owner=user, name="x", url="https://mixed.example.com/hook", events=["*"])
    assert "192.168.0.10" in str(excinfo.value)
    dns["public.example.com"] = [PUBLIC]
    services.webhook_create(owner=user, name="x", url="https://public.example.com/hook", events=["*"])


def test_a_name_that_does_not_resolve_is_refused(user, dns, refuse_private):
    dns["gone.example.com"] = []
    with pytest.raises(ValidationError):
        services.webhook_create(owner=user, name="x", url="https://gone.example.com/hook", events=["*"])


def test_dns_that_changes_after_saving_is_refused_at_delivery_time(user, dns, refuse_private, receiver, monkeypatch,
                                                                     committed, worker):
    dns["hooks.example.com"] = [PUBLIC]
    services.webhook_create(owner=user, name="x", url="http://hooks.example.com/hook", events=["*"])
    dns["hooks.example.com"] = ["127.0.0.1"]  # rebinding to the loopback interface
    connections = []
    monkeypatch.setattr(sending.socket, "create_connection", lambda *args, **kwargs: connections.append(args))
    with committed():
        projects.project_create(name="Alpha")
    worker()
    delivery = WebhookDelivery.objects.get()
    assert connections == []  # no connection was even tried
    assert delivery.status == "pending" and delivery.last_error.startswith("Refused: ")
    assert "127.0.0.1" in delivery.last_error


def test_the_attempt_connects_to_the_checked_address_not_a_new_lookup(user, dns, receiver, committed, worker):
    # The name exists only in our resolver: had the request looked it up again, it could not have connected.
    dns["hooks.example.test"] = ["127.0.0.1"]
    port = receiver.server.server_address[1]
    services.webhook_create(owner=user, name="x", url=f"http://hooks.example.test:{port}/in", events=["*"])
    with committed():
        projects.project_create(name="Alpha")
    worker()
    [request] = receiver.requests
    assert request.headers["Host"] == f"hooks.example.test:{port}" and request.path == "/in"
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_redirects_are_not_followed(user, receiver, committed, worker):
    receiver.statuses = [302]
    services.webhook_create(owner=user, name="x", url=receiver.url, events=["*"])
    with committed():
        projects.project_create(name="Alpha")
    worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code, len(receiver.requests)) == ("pending", 302, 1)
