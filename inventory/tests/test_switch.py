"""The module switch: off until an admin switches it on; while off, every endpoint answers 403 module_disabled."""

import pytest

from inventory.models import StockItem, StockLevel, StockMovement, Warehouse
from timetracker.models import SiteSettings

from .conftest import set_inventory_enabled
from .endpoints import ALL_ENDPOINTS, call


def db_state():
    return [list(model.objects.order_by("pk").values()) for model in (StockItem, Warehouse, StockLevel, StockMovement)]


@pytest.mark.parametrize("method, path, body", ALL_ENDPOINTS)
def test_every_endpoint_answers_module_disabled_while_the_module_is_off(api, world, method, path, body):
    set_inventory_enabled(False)
    before = db_state()

    response = call(api, method, path, body, world)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "module_disabled"
    assert body["error_code"] == "module_disabled"
    assert "Settings" in body["message"]
    assert db_state() == before


@pytest.mark.parametrize("method, path, body", ALL_ENDPOINTS)
def test_missing_token_is_401_even_while_the_module_is_off(anon, world, method, path, body):
    set_inventory_enabled(False)

    response = call(anon, method, path, body, world)

    assert response.status_code == 401
    assert response.json()["error_code"] == "unauthorized"


def test_module_is_off_on_a_fresh_site(api, inventory_disabled):
    SiteSettings.objects.all().delete()

    assert call(api, "get", "/items").json()["error_code"] == "module_disabled"
    assert SiteSettings.load().inventory_enabled is False


def test_switching_the_module_on_opens_the_endpoints_at_once(api, inventory_disabled):
    assert call(api, "get", "/items").status_code == 403

    set_inventory_enabled(True)

    assert call(api, "get", "/items").status_code == 200


def test_module_switch_comes_before_the_scope_check(make_client, user, inventory_disabled):
    response = call(make_client(user, ["read:time_entries"]), "get", "/items")

    assert response.json()["error_code"] == "module_disabled"
