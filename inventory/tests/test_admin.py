"""The Settings page and the inventory admin, as a superuser uses them."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from inventory.models import StockItem, StockLevel, StockMovement, Warehouse
from timetracker.models import SiteSettings

from .conftest import set_inventory_enabled


def admin_url(model, page, *args, app="inventory"):
    return reverse(f"admin:{app}_{model}_{page}", args=args)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response):
    assert response.status_code == 200, "the form was expected to be shown again with errors"
    return response.context["adminform"].form.errors


# Settings


def test_settings_list_opens_the_one_settings_row(admin_browser):
    SiteSettings.objects.all().delete()

    response = admin_browser.get(admin_url("sitesettings", "changelist", app="timetracker"))

    assert response.status_code == 302
    assert response["Location"] == admin_url("sitesettings", "change", 1, app="timetracker")
    assert SiteSettings.objects.count() == 1


def test_settings_page_switches_the_module_on(admin_browser, inventory_disabled):
    url = admin_url("sitesettings", "change", SiteSettings.load().pk, app="timetracker")
    assert admin_browser.get(url).status_code == 200

    response = admin_browser.post(url, {"inventory_enabled": "on", "default_currency": "USD"})

    assert response.status_code == 302
    settings_row = SiteSettings.load()
    assert (settings_row.inventory_enabled, settings_row.default_currency) == (True, "USD")


def test_settings_page_refuses_a_malformed_currency(admin_browser):
    url = admin_url("sitesettings", "change", SiteSettings.load().pk, app="timetracker")

    response = admin_browser.post(url, {"inventory_enabled": "on", "default_currency": "euro"})

    assert "default_currency" in form_errors(response)


def test_settings_cannot_be_added_twice_or_deleted(admin_browser):
    SiteSettings.load()

    assert admin_browser.get(admin_url("sitesettings", "add", app="timetracker")).status_code == 403
    assert admin_browser.get(admin_url("sitesettings", "delete", 1, app="timetracker")).status_code == 403


def test_settings_page_needs_a_staff_login(client, db):
    response = client.get(admin_url("sitesettings", "changelist", app="timetracker"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# Pages


@pytest.fixture
def one_of_each(world):
    return {
        "warehouse": world["warehouse"],
        "stockitem": world["item"],
        "stockmovement": StockMovement.objects.first().pk,
        "stocklevel": StockLevel.objects.first().pk,
    }


PAGES = [
    ("warehouse", "changelist"), ("warehouse", "add"), ("warehouse", "change"),
    ("stockitem", "changelist"), ("stockitem", "add"), ("stockitem", "change"),
    ("stockmovement", "changelist"), ("stockmovement", "add"), ("stockmovement", "change"),
    ("stocklevel", "changelist"), ("stocklevel", "change"),
]


@pytest.mark.parametrize("model, page", PAGES)
def test_admin_page_renders(admin_browser, one_of_each, model, page):
    args = (one_of_each[model],) if page == "change" else ()

    assert admin_browser.get(admin_url(model, page, *args)).status_code == 200


@pytest.mark.parametrize("model", ["warehouse", "stockitem", "stockmovement", "stocklevel"])
def test_lists_warn_while_the_module_is_off(admin_browser, one_of_each, model):
    set_inventory_enabled(False)
    off = messages_of(admin_browser.get(admin_url(model, "changelist")))
    set_inventory_enabled(True)
    on = messages_of(admin_browser.get(admin_url(model, "changelist")))

    assert any("inventory module is off" in message for message in off)
    assert not any("inventory module is off" in message for message in on)


@pytest.mark.parametrize("model, query, expected", [
    ("stockitem", "camera", ["CAM-1 — Camera"]),
    ("warehouse", "other", ["OTHER — Other warehouse"]),
    ("stockmovement", "CAM-1", 3),
    ("stocklevel", "OTHER", 1),
])
def test_admin_search_finds_matching_rows(admin_browser, one_of_each, create_item, model, query, expected):
    create_item("MIC-1", name="Microphone")

    rows = admin_browser.get(admin_url(model, "changelist"), {"q": query}).context["cl"].result_list

    assert ([str(row) for row in rows] if isinstance(expected, list) else len(rows)) == expected


def test_stock_items_filter_by_category(admin_browser, create_item):
    create_item("A", category="Audio")
    create_item("V", category="Video")

    rows = admin_browser.get(admin_url("stockitem", "changelist"), {"category": "Audio"}).context["cl"].result_list

    assert [row.sku for row in rows] == ["A"]


# Items and warehouses


def test_item_added_in_the_admin_gets_the_sites_currency_and_an_average_cost(admin_browser):
    SiteSettings.objects.filter(pk=1).update(default_currency="CHF")
    page = admin_browser.get(admin_url("stockitem", "add"))
    assert page.context["adminform"].form["currency_code"].value() == "CHF"

    response = admin_browser.post(admin_url("stockitem", "add"), {
        "sku": "TRI-1", "name": "Tripod", "category": "", "unit": "pcs", "unit_cost": "12.50",
        "currency_code": "CHF", "reorder_point": "0", "active": "on",
    })

    assert response.status_code == 302
    item = StockItem.objects.get(sku="TRI-1")
    assert (item.currency_code, item.average_cost) == ("CHF", Decimal("12.50"))


def test_item_currency_cannot_change_in_the_admin_once_it_moved(admin_browser, world):
    item = StockItem.objects.get(pk=world["item"])

    response = admin_browser.post(admin_url("stockitem", "change", item.pk), {
        "sku": item.sku, "name": item.name, "category": item.category, "unit": item.unit,
        "unit_cost": item.unit_cost, "currency_code": "USD", "reorder_point": "0", "active": "on",
    })

    assert "currency_code" in form_errors(response)


def test_warehouse_added_in_the_admin(admin_browser):
    response = admin_browser.post(admin_url("warehouse", "add"), {"code": "N", "name": "North", "active": "on"})

    assert response.status_code == 302
    assert Warehouse.objects.get().code == "N"


# Movements


def movement_form(item, warehouse, **fields):
    return {"item": item.pk, "warehouse": warehouse.pk, "movement_type": "purchase", "quantity": "10",
            "unit_cost": "8.00", "notes": "", **fields}


def test_movement_added_in_the_admin_goes_through_the_service(admin_browser, superuser, item, warehouse):
    response = admin_browser.post(admin_url("stockmovement", "add"), movement_form(item, warehouse))

    assert response.status_code == 302
    movement = StockMovement.objects.get()
    assert (movement.quantity, movement.user, movement.unit_cost) == (Decimal("10"), superuser, Decimal("8.00"))
    assert StockLevel.objects.get().quantity == 10
    assert StockItem.objects.get(pk=item.pk).average_cost == Decimal("8.0000")


def test_sale_added_in_the_admin_is_stored_negative(admin_browser, item, warehouse, purchase):
    purchase(item, warehouse, 10, "8.00")

    admin_browser.post(admin_url("stockmovement", "add"), movement_form(item, warehouse, movement_type="sale",
                                                                         quantity="3", unit_cost=""))

    assert StockMovement.objects.filter(movement_type="sale").get().quantity == Decimal("-3")


def test_admin_sale_of_more_than_on_hand_is_a_form_error(admin_browser, item, warehouse, purchase):
    purchase(item, warehouse, 2, "8.00")

    response = admin_browser.post(
        admin_url("stockmovement", "add"), movement_form(item, warehouse, movement_type="sale", quantity="3")
    )

    assert form_errors(response)["quantity"] == ["Not enough stock in MAIN: 2 available, 3 requested."]
    assert StockMovement.objects.count() == 1


def test_admin_offers_no_transfer_halves_as_movement_types(admin_browser):
    form = admin_browser.get(admin_url("stockmovement", "add")).context["adminform"].form

    assert [value for value, _ in form.fields["movement_type"].choices] == [
        "purchase", "sale", "adjustment", "return", "waste",
    ]


def test_movements_are_read_only_after_creation(admin_browser, one_of_each):
    pk = one_of_each["stockmovement"]
    before = StockMovement.objects.get(pk=pk)

    page = admin_browser.get(admin_url("stockmovement", "change", pk))
    edit = admin_browser.post(admin_url("stockmovement", "change", pk), {"notes": "rewritten", "quantity": "1"})
    delete = admin_browser.post(admin_url("stockmovement", "delete", pk), {"post": "yes"})

    assert page.context["has_change_permission"] is False
    assert (edit.status_code, delete.status_code) == (403, 403)
    after = StockMovement.objects.get(pk=pk)
    assert (after.notes, after.quantity) == (before.notes, before.quantity)


def test_stock_levels_are_read_only(admin_browser, one_of_each):
    pk = one_of_each["stocklevel"]

    assert admin_browser.get(admin_url("stocklevel", "add")).status_code == 403
    assert admin_browser.post(admin_url("stocklevel", "change", pk), {"quantity": "999"}).status_code == 403
    assert admin_browser.post(admin_url("stocklevel", "delete", pk), {"post": "yes"}).status_code == 403
    assert StockLevel.objects.get(pk=pk).quantity != 999


# Transfer action


def transfer_action(browser, items, **form):
    data = {"action": "transfer_stock", "_selected_action": [item.pk for item in items], **form}
    return browser.post(admin_url("stockitem", "changelist"), data)


def test_transfer_action_asks_for_warehouses_and_quantity(admin_browser, item, warehouse, purchase):
    purchase(item, warehouse, 15, "8.00")

    response = transfer_action(admin_browser, [item])

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"from_warehouse", "to_warehouse", "quantity", "notes"}
    assert "Transfer stock of CAM-1" in response.content.decode()


def test_transfer_action_moves_stock_through_the_service(
    admin_browser, superuser, item, warehouse, create_warehouse, purchase
):
    purchase(item, warehouse, 15, "8.00")
    target = create_warehouse("B")

    response = transfer_action(
        admin_browser, [item], apply="1", from_warehouse=warehouse.pk, to_warehouse=target.pk, quantity="4",
        notes="Shelf B",
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Moved 4 pcs of CAM-1 from MAIN to B."]
    levels = dict(StockLevel.objects.filter(item=item).values_list("warehouse__code", "quantity"))
    assert levels == {"MAIN": Decimal("11"), "B": Decimal("4")}
    halves = StockMovement.objects.exclude(movement_type="purchase")
    assert {(m.movement_type, m.user, m.notes) for m in halves} == {
        ("transfer_out", superuser, "Shelf B"), ("transfer_in", superuser, "Shelf B"),
    }


@pytest.mark.parametrize("quantity, same_warehouse, expected", [
    ("20", False, "Not enough stock in MAIN: 15 available, 20 requested."),
    ("1", True, "The warehouses must differ: stock cannot move to where it already is."),
])
def test_transfer_action_reports_refusals_as_messages(
    admin_browser, item, warehouse, create_warehouse, purchase, quantity, same_warehouse, expected
):
    purchase(item, warehouse, 15, "8.00")
    target = warehouse if same_warehouse else create_warehouse()

    response = transfer_action(
        admin_browser, [item], apply="1", from_warehouse=warehouse.pk, to_warehouse=target.pk, quantity=quantity
    )

    assert response.status_code == 200  # the form again, to correct it
    assert expected in messages_of(response)
    assert StockMovement.objects.count() == 1


def test_transfer_action_with_an_invalid_form_shows_it_again(admin_browser, item, warehouse):
    response = transfer_action(admin_browser, [item], apply="1", from_warehouse=warehouse.pk, quantity="-1")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"to_warehouse", "quantity"}


def test_transfer_action_needs_exactly_one_item(admin_browser, item, create_item):
    response = transfer_action(admin_browser, [item, create_item()])

    assert response.status_code == 302
    assert messages_of(response) == ["Select exactly one item to transfer."]
