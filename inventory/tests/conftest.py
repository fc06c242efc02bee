"""Factories for the inventory tests. Items and warehouses are written directly; stock arrives through the
services, since only they keep levels, movements and average costs consistent."""

import itertools
from decimal import Decimal

import pytest
from django.test import Client as DjangoTestClient

from inventory import services
from inventory.models import StockItem, Warehouse
from timetracker.models import SiteSettings

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def set_inventory_enabled(enabled: bool):
    SiteSettings.objects.update_or_create(pk=SiteSettings.SINGLETON_PK, defaults={"inventory_enabled": enabled})


@pytest.fixture(autouse=True)
def inventory_enabled(db, request):
    """The module is on in these tests unless a test asks for ``inventory_disabled``."""
    if "inventory_disabled" not in request.fixturenames:
        set_inventory_enabled(True)


@pytest.fixture
def inventory_disabled(db):
    set_inventory_enabled(False)


@pytest.fixture
def create_warehouse(db):
    def create(code=None, **fields):
        n = next(_seq)
        return Warehouse.objects.create(code=code or f"WH{n}", name=fields.pop("name", f"Warehouse {n}"), **fields)

    return create


@pytest.fixture
def create_item(db):
    def create(sku=None, **fields):
        n = next(_seq)
        fields.setdefault("currency_code", "EUR")
        return StockItem.objects.create(sku=sku or f"SKU-{n}", name=fields.pop("name", f"Item {n}"), **fields)

    return create


@pytest.fixture
def warehouse(create_warehouse):
    return create_warehouse("MAIN", name="Main warehouse")


@pytest.fixture
def item(create_item):
    return create_item("CAM-1", name="Camera", category="Video", unit_cost=Decimal("8.00"))


@pytest.fixture
def record(user):
    """record(item, warehouse, movement_type, quantity, unit_cost=None, **kwargs) through the service."""

    def do(item, warehouse, movement_type, quantity, unit_cost=None, **kwargs):
        kwargs.setdefault("user", user)
        return services.stock_movement_record(
            item=item, warehouse=warehouse, movement_type=movement_type, quantity=Decimal(str(quantity)),
            unit_cost=None if unit_cost is None else Decimal(str(unit_cost)), **kwargs,
        )

    return do


@pytest.fixture
def purchase(record):
    def do(item, warehouse, quantity, unit_cost, **kwargs):
        return record(item, warehouse, "purchase", quantity, unit_cost, **kwargs)

    return do


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_browser(superuser):
    browser = DjangoTestClient()
    browser.force_login(superuser)
    return browser


@pytest.fixture
def world(item, warehouse, create_warehouse, purchase, user):
    """An item with stock in two warehouses, moved there by a transfer: what every endpoint needs to answer."""
    other = create_warehouse("OTHER", name="Other warehouse")
    purchase(item, warehouse, 10, "8.00")
    reference_id, _ = services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other, quantity=2,
                                              user=user)
    return {"item": item.pk, "warehouse": warehouse.pk, "other": other.pk, "reference": reference_id}
