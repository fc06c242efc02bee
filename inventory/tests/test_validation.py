"""Every bad input is a 400 in the v1 shape naming the field, and changes nothing; never a 500."""

import pytest

from inventory.models import StockItem, StockLevel, StockMovement, Warehouse

from .endpoints import call

HUGE = 10**30


def db_state():
    return [list(model.objects.order_by("pk").values()) for model in (StockItem, Warehouse, StockLevel, StockMovement)]


def assert_400_on(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["error"], body["error_code"]) == ("Validation failed", "validation_error")
    assert field in body["errors"], body["errors"]
    return body["errors"][field]


def movement(world, **changes):
    body = {"stock_item_id": world["item"], "warehouse_id": world["warehouse"], "movement_type": "purchase",
            "quantity": 1, "unit_cost": 8}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def transfer(world, **changes):
    body = {"stock_item_id": world["item"], "from_warehouse_id": world["warehouse"],
            "to_warehouse_id": world["other"], "quantity": 1}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


MOVEMENT_CASES = [
    ("stock_item_id", {"stock_item_id": 999999}),
    ("stock_item_id", {"stock_item_id": "abc"}),
    ("stock_item_id", {"stock_item_id": HUGE}),
    ("stock_item_id", {"stock_item_id": None}),
    ("stock_item_id", {"stock_item_id": ...}),
    ("warehouse_id", {"warehouse_id": 999999}),
    ("warehouse_id", {"warehouse_id": [1]}),
    ("movement_type", {"movement_type": "theft"}),
    ("movement_type", {"movement_type": "transfer_in"}),
    ("movement_type", {"movement_type": ...}),
    ("quantity", {"quantity": 0}),
    ("quantity", {"quantity": -1}),
    ("quantity", {"quantity": "ten"}),
    ("quantity", {"quantity": "NaN"}),
    ("quantity", {"quantity": "Infinity"}),
    ("quantity", {"quantity": HUGE}),
    ("quantity", {"quantity": "1e20"}),
    ("quantity", {"quantity": "0.0001"}),
    ("quantity", {"quantity": True}),
    ("quantity", {"quantity": ...}),
    ("quantity", {"movement_type": "sale", "quantity": 0}),
    ("quantity", {"movement_type": "sale", "quantity": 1000}),
    ("quantity", {"movement_type": "waste", "quantity": -1}),
    ("quantity", {"movement_type": "adjustment", "quantity": 0}),
    ("quantity", {"movement_type": "adjustment", "quantity": -1000}),
    ("quantity", {"quantity": "99999999999.999"}),  # fits the column, but not on top of the stock there
    ("unit_cost", {"unit_cost": -1}),
    ("unit_cost", {"unit_cost": "8.001"}),
    ("unit_cost", {"unit_cost": HUGE}),
    ("unit_cost", {"unit_cost": "cheap"}),
]


@pytest.mark.parametrize("field, changes", MOVEMENT_CASES, ids=[f"{f}={c}" for f, c in MOVEMENT_CASES])
def test_bad_movement_is_400_on_the_field(api, world, field, changes):
    before = db_state()

    response = call(api, "post", "/movements", movement(world, **changes))

    assert_400_on(response, field)
    assert db_state() == before


TRANSFER_CASES = [
    ("stock_item_id", {"stock_item_id": 999999}),
    ("stock_item_id", {"stock_item_id": "x"}),
    ("from_warehouse_id", {"from_warehouse_id": 999999}),
    ("from_warehouse_id", {"from_warehouse_id": ...}),
    ("to_warehouse_id", {"to_warehouse_id": 999999}),
    ("to_warehouse_id", {"to_warehouse_id": HUGE}),
    ("quantity", {"quantity": 0}),
    ("quantity", {"quantity": -4}),
    ("quantity", {"quantity": "lots"}),
    ("quantity", {"quantity": HUGE}),
    ("quantity", {"quantity": "0.0005"}),
    ("quantity", {"quantity": 9}),  # 8 on hand
]


@pytest.mark.parametrize("field, changes", TRANSFER_CASES, ids=[f"{f}={c}" for f, c in TRANSFER_CASES])
def test_bad_transfer_is_400_on_the_field(api, world, field, changes):
    before = db_state()

    response = call(api, "post", "/transfers", transfer(world, **changes))

    assert_400_on(response, field)
    assert db_state() == before


def test_transfer_to_the_same_warehouse_says_the_warehouses_must_differ(api, world):
    response = call(api, "post", "/transfers", transfer(world, to_warehouse_id=world["warehouse"]))

    assert assert_400_on(response, "to_warehouse_id") == [
        "The warehouses must differ: stock cannot move to where it already is."
    ]


def test_transfer_of_more_than_on_hand_names_the_available_quantity(api, world):
    response = call(api, "post", "/transfers", transfer(world, quantity="8.5"))

    assert assert_400_on(response, "quantity") == ["Not enough stock in MAIN: 8 available, 8.5 requested."]


ITEM_CASES = [
    ("sku", {"sku": ""}),
    ("sku", {"sku": "CAM-1"}),  # taken
    ("sku", {"sku": "x" * 65}),
    ("name", {"name": ""}),
    ("unit_cost", {"unit_cost": -1}),
    ("unit_cost", {"unit_cost": "1.234"}),
    ("unit_cost", {"unit_cost": HUGE}),
    ("currency_code", {"currency_code": "EURO"}),
    ("currency_code", {"currency_code": "E1R"}),
    ("currency_code", {"currency_code": "€"}),
    ("reorder_point", {"reorder_point": -1}),
    ("reorder_point", {"reorder_point": "many"}),
    ("active", {"active": "perhaps"}),
]


@pytest.mark.parametrize("field, changes", ITEM_CASES, ids=[f"{f}={c}" for f, c in ITEM_CASES])
def test_bad_item_is_400_on_the_field(api, world, field, changes):
    before = db_state()

    created = call(api, "post", "/items", {"sku": "NEW", "name": "New", **changes})
    updated = call(api, "patch", f"/items/{world['item']}", {"name": "Renamed", **changes}) if field != "sku" else None

    assert_400_on(created, field)
    if updated is not None:
        assert_400_on(updated, field)
    assert db_state() == before


def test_currency_of_an_item_with_movements_cannot_change(api, world):
    assert_400_on(call(api, "patch", f"/items/{world['item']}", {"currency_code": "USD"}), "currency_code")


@pytest.mark.parametrize("field, changes", [
    ("code", {"code": ""}), ("code", {"code": "MAIN"}), ("code", {"code": "x" * 33}), ("name", {"name": ""}),
])
def test_bad_warehouse_is_400_on_the_field(api, world, field, changes):
    assert_400_on(call(api, "post", "/warehouses", {"code": "NEW", "name": "New", **changes}), field)


QUERY_CASES = [
    ("/transfers", "date_from", "2024-13-01"),
    ("/transfers", "date_to", "yesterday"),
    ("/transfers", "date_from", "2024-01-01T10:00:00"),
    ("/transfers", "date_to", "9999-12-31"),
    ("/transfers", "page", "0"),
    ("/transfers", "per_page", "many"),
    ("/stock-levels", "stock_item_id", "abc"),
    ("/stock-levels", "warehouse_id", str(HUGE)),
    ("/items", "active", "maybe"),
    ("/reports/valuation", "currency_code", "EURO"),
    ("/reports/valuation", "currency_code", "12"),
    ("/reports/valuation", "warehouse_id", "one"),
    ("/reports/movement-history", "date_from", "01/02/2024"),
    ("/reports/movement-history", "date_to", "0000-01-01"),
    ("/reports/movement-history", "movement_type", "theft"),
    ("/reports/movement-history", "stock_item_id", "1.5"),
    ("/reports/movement-history", "warehouse_id", "x"),
    ("/reports/turnover", "start_date", "2024-02-30"),
    ("/reports/turnover", "end_date", "soon"),
    ("/reports/turnover", "end_date", "9999-12-31"),
    ("/reports/turnover", "item_id", "x"),
    ("/reports/turnover", "item_id", str(HUGE)),
    ("/reports/low-stock", "warehouse_id", "main"),
]


@pytest.mark.parametrize("path, name, value", QUERY_CASES, ids=[f"{p}?{n}={v}" for p, n, v in QUERY_CASES])
def test_bad_query_parameter_is_400_naming_it(api, world, path, name, value):
    assert_400_on(call(api, "get", path, {name: value}), name)


def test_turnover_end_before_start_is_400(api):
    response = call(api, "get", "/reports/turnover", {"start_date": "2024-02-01", "end_date": "2024-01-31"})

    assert_400_on(response, "end_date")


def test_far_dates_east_of_utc_are_400_not_500(make_client, make_user):
    api = make_client(make_user(timezone="Asia/Tokyo"))

    assert_400_on(call(api, "get", "/transfers", {"date_from": "0001-01-01"}), "date_from")
    assert_400_on(call(api, "get", "/reports/turnover", {"start_date": "0001-01-01"}), "start_date")


def test_malformed_json_is_400_bad_request(api, world):
    response = api.post("/api/v1/inventory/movements", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "bad_request"
