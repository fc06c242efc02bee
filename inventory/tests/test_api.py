"""The v1 inventory endpoints as an API client meets them: envelopes, writes, transfers, pagination, queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory import services
from inventory.models import StockItem, StockLevel, Warehouse

from .endpoints import call

UTC = datetime.timezone.utc

ITEM_FIELDS = {
    "id", "sku", "name", "category", "unit", "unit_cost", "currency_code", "reorder_point", "average_cost", "active",
    "created_at", "updated_at",
}
WAREHOUSE_FIELDS = {"id", "code", "name", "address", "active", "created_at", "updated_at"}
MOVEMENT_FIELDS = {
    "id", "stock_item_id", "warehouse_id", "movement_type", "quantity", "unit_cost", "moved_at", "reference_id",
    "notes", "user_id", "created_at",
}
TRANSFER_FIELDS = {
    "reference_id", "moved_at", "stock_item_id", "from_warehouse_id", "to_warehouse_id", "quantity", "notes",
    "movement_ids",
}


# Items and warehouses


def test_item_renders_every_field(api, create_item):
    item = create_item(
        "CAM-1", name="Camera", category="Video", unit="pcs", unit_cost=Decimal("8.50"), currency_code="EUR",
        reorder_point=Decimal("2.500"), average_cost=Decimal("8.1234"),
    )
    StockItem.objects.filter(pk=item.pk).update(
        created_at=datetime.datetime(2024, 1, 15, 14, 30, tzinfo=UTC),
        updated_at=datetime.datetime(2024, 1, 15, 14, 30, tzinfo=UTC),
    )

    response = call(api, "get", f"/items/{item.pk}")

    assert response.json() == {
        "item": {
            "id": item.pk, "sku": "CAM-1", "name": "Camera", "category": "Video", "unit": "pcs", "unit_cost": 8.5,
            "currency_code": "EUR", "reorder_point": 2.5, "average_cost": 8.1234, "active": True,
            "created_at": "2024-01-15T14:30:00Z", "updated_at": "2024-01-15T14:30:00Z",
        }
    }


def test_item_create_answers_201_with_defaults(api):
    response = call(api, "post", "/items", {"sku": "TRI-1", "name": "Tripod", "unit_cost": "12.50"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"message", "item"}
    assert body["message"] == "Item created successfully"
    assert set(body["item"]) == ITEM_FIELDS
    assert {key: body["item"][key] for key in ("unit", "currency_code", "average_cost", "reorder_point")} == {
        "unit": "pcs", "currency_code": "EUR", "average_cost": 12.5, "reorder_point": 0.0,
    }


def test_item_currency_code_is_read_in_any_case(api):
    response = call(api, "post", "/items", {"sku": "TRI-1", "name": "Tripod", "currency_code": "usd"})

    assert response.json()["item"]["currency_code"] == "USD"


def test_item_update_is_partial_and_keeps_the_average_cost(api, item, warehouse, purchase):
    purchase(item, warehouse, 10, "9.00")

    response = call(api, "put", f"/items/{item.pk}", {"name": "Camera body", "unit_cost": "10.00"})

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Item updated successfully"
    assert (body["item"]["name"], body["item"]["sku"], body["item"]["unit_cost"]) == ("Camera body", "CAM-1", 10.0)
    assert body["item"]["average_cost"] == 9.0  # the purchase's, not the new unit cost


def test_average_cost_cannot_be_written_through_the_api(api, item, warehouse, purchase):
    purchase(item, warehouse, 1, "8.00")

    call(api, "patch", f"/items/{item.pk}", {"average_cost": 1})

    assert StockItem.objects.get(pk=item.pk).average_cost == Decimal("8.00")


def test_item_list_is_by_sku_and_filters_by_category_and_active(api, create_item):
    create_item("B", category="Audio")
    create_item("A", category="Video")
    create_item("C", category="Video", active=False)

    skus = lambda **params: [row["sku"] for row in call(api, "get", "/items", params).json()["items"]]  # noqa: E731

    assert skus() == ["A", "B", "C"]
    assert skus(category="Video") == ["A", "C"]
    assert skus(active="true", category="Video") == ["A"]


def test_deleting_an_item_without_movements_removes_it(api, create_item):
    item = create_item()

    response = call(api, "delete", f"/items/{item.pk}")

    assert response.json() == {"message": "Item deleted successfully"}
    assert not StockItem.objects.exists()


def test_deleting_an_item_with_movements_deactivates_it(api, item, warehouse, purchase):
    purchase(item, warehouse, 1, "8.00")

    response = call(api, "delete", f"/items/{item.pk}")

    assert response.json() == {"message": "Item deactivated: it has stock movements, so it was kept"}
    assert StockItem.objects.get(pk=item.pk).active is False


def test_warehouse_crud_uses_the_v1_envelopes(api):
    created = call(api, "post", "/warehouses", {"code": "NORTH", "name": "North", "address": "1 Dock Road"})
    pk = created.json()["warehouse"]["id"]
    updated = call(api, "patch", f"/warehouses/{pk}", {"name": "North store"})
    listed = call(api, "get", "/warehouses")
    deleted = call(api, "delete", f"/warehouses/{pk}")

    assert created.status_code == 201
    assert created.json()["message"] == "Warehouse created successfully"
    assert set(created.json()["warehouse"]) == WAREHOUSE_FIELDS
    assert updated.json()["warehouse"]["name"] == "North store"
    assert updated.json()["warehouse"]["address"] == "1 Dock Road"
    assert [row["code"] for row in listed.json()["warehouses"]] == ["NORTH"]
    assert listed.json()["pagination"]["total"] == 1
    assert deleted.json() == {"message": "Warehouse deleted successfully"}
    assert not Warehouse.objects.exists()


def test_deleting_a_warehouse_with_movements_deactivates_it(api, item, warehouse, purchase):
    purchase(item, warehouse, 1, "8.00")

    response = call(api, "delete", f"/warehouses/{warehouse.pk}")

    assert response.json()["message"].startswith("Warehouse deactivated")
    assert Warehouse.objects.get(pk=warehouse.pk).active is False


@pytest.mark.parametrize("path", ["/items", "/warehouses", "/stock-levels", "/transfers", "/reports/low-stock"])
def test_paths_answer_with_and_without_a_trailing_slash(api, path):
    assert call(api, "get", path).status_code == 200
    assert call(api, "get", path + "/").status_code == 200


# Stock levels


def test_stock_levels_list_quantities_and_filter_by_item_and_warehouse(
    api, item, warehouse, create_item, create_warehouse, purchase
):
    other_item, other_warehouse = create_item(), create_warehouse()
    purchase(item, warehouse, "1.5", "8.00")
    purchase(item, other_warehouse, 2, "8.00")
    purchase(other_item, warehouse, 3, "8.00")

    rows = lambda **params: [  # noqa: E731
        (row["stock_item_id"], row["warehouse_id"], row["quantity"])
        for row in call(api, "get", "/stock-levels", params).json()["stock_levels"]
    ]

    assert rows(stock_item_id=item.pk) == [(item.pk, warehouse.pk, 1.5), (item.pk, other_warehouse.pk, 2.0)]
    assert rows(warehouse_id=warehouse.pk, stock_item_id=other_item.pk) == [(other_item.pk, warehouse.pk, 3.0)]
    assert rows(warehouse_id=999999) == []
    level = call(api, "get", "/stock-levels").json()["stock_levels"][0]
    assert set(level) == {"id", "stock_item_id", "warehouse_id", "quantity", "updated_at"}


# Movements


def test_purchase_through_the_api_answers_201_with_the_movement(api, user, item, warehouse):
    response = call(api, "post", "/movements", {
        "stock_item_id": item.pk, "warehouse_id": warehouse.pk, "movement_type": "purchase", "quantity": 10,
        "unit_cost": 8, "notes": "Order 17",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"message", "movement"}
    assert body["message"] == "Movement recorded successfully"
    movement = body["movement"]
    assert set(movement) == MOVEMENT_FIELDS
    assert {key: movement[key] for key in ("stock_item_id", "warehouse_id", "movement_type", "quantity")} == {
        "stock_item_id": item.pk, "warehouse_id": warehouse.pk, "movement_type": "purchase", "quantity": 10.0,
    }
    assert (movement["unit_cost"], movement["notes"], movement["user_id"]) == (8.0, "Order 17", user.pk)
    assert movement["reference_id"] is None
    assert StockLevel.objects.get(item=item, warehouse=warehouse).quantity == 10


def test_sale_through_the_api_is_stored_negative_at_the_average_cost(api, item, warehouse, purchase):
    purchase(item, warehouse, 10, "8.00")
    purchase(item, warehouse, 10, "10.00")

    response = call(api, "post", "/movements", {
        "stock_item_id": item.pk, "warehouse_id": warehouse.pk, "movement_type": "sale", "quantity": "2.5",
    })

    assert response.status_code == 201
    assert (response.json()["movement"]["quantity"], response.json()["movement"]["unit_cost"]) == (-2.5, 9.0)


def test_adjustment_takes_a_signed_quantity(api, item, warehouse, purchase):
    purchase(item, warehouse, 10, "8.00")

    response = call(api, "post", "/movements", {
        "stock_item_id": item.pk, "warehouse_id": warehouse.pk, "movement_type": "adjustment", "quantity": -3,
    })

    assert response.json()["movement"]["quantity"] == -3.0
    assert StockLevel.objects.get(item=item, warehouse=warehouse).quantity == 7


def test_movements_cannot_be_listed_changed_or_deleted_at_that_url(api):
    assert call(api, "get", "/movements").status_code == 405
    assert call(api, "delete", "/movements").status_code == 405


# Transfers


def transfer_body(item, source, target, quantity=4, **extra):
    return {"stock_item_id": item.pk, "from_warehouse_id": source.pk, "to_warehouse_id": target.pk,
            "quantity": quantity, **extra}


def test_transfer_of_4_from_15_answers_201_with_both_halves(api, item, warehouse, create_warehouse, purchase):
    target = create_warehouse("B")
    purchase(item, warehouse, 15, "8.00")

    response = call(api, "post", "/transfers", transfer_body(item, warehouse, target, notes="Shelf B"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"message", "reference_id", "transfers"}
    assert body["message"] == "Transfer recorded successfully"
    out, into = body["transfers"]
    assert set(out) == set(into) == MOVEMENT_FIELDS
    assert [(m["movement_type"], m["warehouse_id"], m["quantity"], m["reference_id"]) for m in (out, into)] == [
        ("transfer_out", warehouse.pk, -4.0, body["reference_id"]),
        ("transfer_in", target.pk, 4.0, body["reference_id"]),
    ]
    levels = dict(StockLevel.objects.filter(item=item).values_list("warehouse__code", "quantity"))
    assert levels == {"MAIN": Decimal("11"), "B": Decimal("4")}


def test_transfer_is_fetched_by_its_reference_id(api, item, warehouse, create_warehouse, purchase):
    target = create_warehouse("B")
    purchase(item, warehouse, 15, "8.00")
    created = call(api, "post", "/transfers", transfer_body(item, warehouse, target, notes="Shelf B")).json()

    response = call(api, "get", f"/transfers/{created['reference_id']}")

    assert response.status_code == 200
    assert response.json() == {
        "transfer": {
            "reference_id": created["reference_id"],
            "moved_at": created["transfers"][0]["moved_at"],
            "stock_item_id": item.pk,
            "from_warehouse_id": warehouse.pk,
            "to_warehouse_id": target.pk,
            "quantity": 4.0,
            "notes": "Shelf B",
            "movement_ids": [created["transfers"][0]["id"], created["transfers"][1]["id"]],
        }
    }


@pytest.mark.parametrize("reference_id", ["0" * 32, "not-a-reference", "%20"])
def test_unknown_transfer_is_404(api, world, reference_id):
    response = call(api, "get", f"/transfers/{reference_id}")

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_movement_that_is_not_a_transfer_is_not_found_as_one(api, item, warehouse, purchase):
    purchase(item, warehouse, 1, "8.00")

    assert call(api, "get", "/transfers/").json()["transfers"] == []
    assert call(api, "get", "/transfers/%20").status_code == 404


def make_transfers(item, source, target, user, moments):
    for moment in moments:
        services.stock_transfer(
            item=item, from_warehouse=source, to_warehouse=target, quantity=1, user=user, moved_at=moment
        )


def test_transfer_list_is_newest_first_and_paginated(api, user, item, warehouse, create_warehouse, purchase):
    target = create_warehouse()
    purchase(item, warehouse, 10, "8.00")
    days = [datetime.datetime(2024, 3, day, 12, tzinfo=UTC) for day in (1, 2, 3)]
    make_transfers(item, warehouse, target, user, days)

    first = call(api, "get", "/transfers", {"per_page": 2}).json()
    second = call(api, "get", "/transfers", {"per_page": 2, "page": 2}).json()

    assert set(first) == {"transfers", "pagination"}
    assert set(first["transfers"][0]) == TRANSFER_FIELDS
    assert [t["moved_at"] for t in first["transfers"] + second["transfers"]] == [
        "2024-03-03T12:00:00Z", "2024-03-02T12:00:00Z", "2024-03-01T12:00:00Z",
    ]
    assert first["pagination"] == {
        "page": 1, "per_page": 2, "total": 3, "pages": 2, "has_next": True, "has_prev": False, "next_page": 2,
        "prev_page": None,
    }


def test_transfer_dates_are_local_days_of_the_user(make_client, make_user, item, warehouse, create_warehouse,
                                                    purchase):
    tokyo = make_user(timezone="Asia/Tokyo")
    target = create_warehouse()
    purchase(item, warehouse, 10, "8.00")
    # 2024-03-01 16:00 UTC is already 2024-03-02 01:00 in Tokyo.
    make_transfers(item, warehouse, target, tokyo, [
        datetime.datetime(2024, 3, 1, 14, 0, tzinfo=UTC),  # 23:00 on the 1st in Tokyo
        datetime.datetime(2024, 3, 1, 16, 0, tzinfo=UTC),  # 01:00 on the 2nd in Tokyo
    ])
    api = make_client(tokyo)

    def moments(**params):
        return [t["moved_at"] for t in call(api, "get", "/transfers", params).json()["transfers"]]

    assert moments(date_from="2024-03-02") == ["2024-03-01T16:00:00Z"]
    assert moments(date_to="2024-03-01") == ["2024-03-01T14:00:00Z"]
    assert moments(date_from="2024-03-01", date_to="2024-03-02") == ["2024-03-01T16:00:00Z", "2024-03-01T14:00:00Z"]
    assert moments(date_from="2024-03-03") == []


# Query counts


def _add_rows(kind, count, *, user, item, warehouse, target, create_item, create_warehouse):
    for _ in range(count):
        if kind == "items":
            create_item()
        elif kind == "warehouses":
            create_warehouse()
        elif kind == "stock-levels":
            services.stock_movement_record(
                item=create_item(), warehouse=warehouse, movement_type="purchase", quantity=1, unit_cost=1, user=user
            )
        else:  # a transfer: two movements, one transfer, and stock for the reports
            services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=target, quantity=1, user=user)
            low = create_item(reorder_point=5)
            services.stock_movement_record(
                item=low, warehouse=warehouse, movement_type="purchase", quantity=2, unit_cost=1, user=user
            )
            services.stock_movement_record(
                item=low, warehouse=warehouse, movement_type="sale", quantity=1, user=user
            )


LISTS = [
    ("items", "/items", "items"),
    ("warehouses", "/warehouses", "warehouses"),
    ("stock-levels", "/stock-levels", "stock_levels"),
    ("transfers", "/transfers", "transfers"),
    ("transfers", "/reports/movement-history?per_page=100", "movements"),  # one page: no count at either size
    ("transfers", "/reports/valuation", "item_details"),
    ("transfers", "/reports/turnover", "items"),
    ("transfers", "/reports/low-stock", "items"),
]


@pytest.mark.parametrize("kind, path, key", LISTS, ids=[path for _, path, _ in LISTS])
def test_list_query_count_does_not_grow_with_rows(
    api, user, item, warehouse, create_item, create_warehouse, purchase, django_assert_num_queries, kind, path, key
):
    target = create_warehouse("ZZ-TARGET")
    purchase(item, warehouse, 100, "8.00")
    add = lambda n: _add_rows(  # noqa: E731
        kind, n, user=user, item=item, warehouse=warehouse, target=target, create_item=create_item,
        create_warehouse=create_warehouse,
    )
    add(1)
    call(api, "get", path)  # the token's first use is recorded with a write; later requests skip it
    with CaptureQueriesContext(connection) as at_one_row:
        rows_at_one = len(call(api, "get", path).json()[key])
    add(19)

    with django_assert_num_queries(len(at_one_row.captured_queries)):
        rows_at_twenty = len(call(api, "get", path).json()[key])

    assert rows_at_twenty > rows_at_one
