"""The inventory reports, on small histories whose figures are worked out by hand."""

import datetime

import pytest
from django.utils import timezone

from inventory import services
from timetracker.models import SiteSettings

from .endpoints import call

UTC = datetime.timezone.utc


def report(api, name, **params):
    response = call(api, "get", f"/reports/{name}", params)
    assert response.status_code == 200, response.content
    return response.json()


# Valuation


def test_purchase_of_10_at_8_is_valued_at_80(api, item, warehouse, purchase):
    purchase(item, warehouse, 10, "8.00")

    body = report(api, "valuation")

    assert body["total_value"] == 80.0
    assert body["item_details"] == [
        {"stock_item_id": item.pk, "sku": "CAM-1", "name": "Camera", "category": "Video", "unit": "pcs",
         "quantity": 10.0, "average_cost": 8.0, "value": 80.0},
    ]


def test_second_purchase_of_10_at_10_makes_the_average_9(api, item, warehouse, purchase):
    purchase(item, warehouse, 10, "8.00")
    purchase(item, warehouse, 10, "10.00")

    body = report(api, "valuation")

    assert body["item_details"][0]["average_cost"] == 9.0
    assert body["total_value"] == 180.0  # 20 × 9.00


def test_valuation_splits_by_warehouse_and_category(api, item, warehouse, create_item, create_warehouse, purchase):
    north = create_warehouse("NORTH")
    mic = create_item("MIC-1", name="Microphone", category="Audio")
    purchase(item, warehouse, 10, "8.00")  # 80.00
    purchase(item, north, 5, "8.00")  # 40.00
    purchase(mic, north, 3, "2.50")  # 7.50

    body = report(api, "valuation")

    assert body["currency_code"] == "EUR"
    assert body["total_value"] == 127.5
    assert [(r["warehouse_code"], r["item_count"], r["value"]) for r in body["by_warehouse"]] == [
        ("MAIN", 1, 80.0), ("NORTH", 2, 47.5),
    ]
    assert [(r["category"], r["item_count"], r["value"]) for r in body["by_category"]] == [
        ("Audio", 1, 7.5), ("Video", 1, 120.0),
    ]
    assert [(r["sku"], r["quantity"], r["value"]) for r in body["item_details"]] == [
        ("CAM-1", 15.0, 120.0), ("MIC-1", 3.0, 7.5),
    ]
    assert report(api, "valuation", warehouse_id=north.pk)["total_value"] == 47.5
    assert report(api, "valuation", category="Audio")["total_value"] == 7.5


def test_valuation_counts_only_the_requested_currency(api, item, warehouse, create_item, purchase):
    dollars = create_item(currency_code="USD")
    purchase(item, warehouse, 10, "8.00")
    purchase(dollars, warehouse, 2, "100.00")

    assert report(api, "valuation")["total_value"] == 80.0
    in_usd = report(api, "valuation", currency_code="usd")
    assert (in_usd["currency_code"], in_usd["total_value"]) == ("USD", 200.0)


def test_valuation_defaults_to_the_sites_currency(api, create_item, warehouse, purchase):
    SiteSettings.objects.filter(pk=1).update(default_currency="GBP")
    purchase(create_item(currency_code="GBP"), warehouse, 1, "3.00")

    body = report(api, "valuation")

    assert (body["currency_code"], body["total_value"]) == ("GBP", 3.0)


def test_valuation_money_is_rounded_to_cents(api, item, warehouse, purchase):
    purchase(item, warehouse, 3, "1.00")
    purchase(item, warehouse, 6, "2.00")  # average 15 / 9 = 1.6667 (four places)

    body = report(api, "valuation")

    assert body["item_details"][0]["average_cost"] == 1.6667
    assert body["total_value"] == 15.0  # 9 × 1.6667 = 15.0003


def test_empty_valuation_is_zero(api):
    body = report(api, "valuation")

    assert (body["total_value"], body["by_warehouse"], body["by_category"], body["item_details"]) == (0.0, [], [], [])


def test_valuation_reads_the_settings_once_and_the_stock_levels_once(
    api, item, warehouse, create_item, create_warehouse, purchase, django_assert_num_queries
):
    north = create_warehouse("NORTH")
    purchase(item, warehouse, 10, "8.00")
    purchase(item, north, 5, "8.00")
    purchase(create_item(category="Audio"), north, 3, "2.50")
    report(api, "valuation")  # the token's first use is recorded with a write; later requests skip it

    with django_assert_num_queries(3):  # the token, the settings (module switch and currency), the levels
        body = report(api, "valuation")

    assert (len(body["by_warehouse"]), len(body["by_category"]), len(body["item_details"])) == (2, 2, 2)


# Low stock


def test_reorder_point_20_with_5_on_hand_is_short_by_15(api, create_item, warehouse, purchase):
    item = create_item("LOW", name="Batteries", reorder_point=20)
    purchase(item, warehouse, 5, "1.00")

    body = report(api, "low-stock")

    assert body["items"] == [
        {"stock_item_id": item.pk, "sku": "LOW", "name": "Batteries", "category": "", "unit": "pcs",
         "quantity_on_hand": 5.0, "reorder_point": 20.0, "shortfall": 15.0},
    ]


def test_low_stock_sums_warehouses_or_looks_at_one(api, create_item, warehouse, create_warehouse, purchase):
    north = create_warehouse("NORTH")
    item = create_item("LOW", reorder_point=10)
    purchase(item, warehouse, 6, "1.00")
    purchase(item, north, 6, "1.00")

    assert report(api, "low-stock")["items"] == []  # 12 on hand in all
    in_north = report(api, "low-stock", warehouse_id=north.pk)["items"]
    assert [(row["quantity_on_hand"], row["shortfall"]) for row in in_north] == [(6.0, 4.0)]


def test_items_without_stock_count_as_zero_and_inactive_ones_are_left_out(api, create_item):
    never_bought = create_item("NEW", reorder_point=2)
    create_item("OLD", reorder_point=2, active=False)
    create_item("NONE", reorder_point=0)

    items = report(api, "low-stock")["items"]

    assert [(row["stock_item_id"], row["quantity_on_hand"], row["shortfall"]) for row in items] == [
        (never_bought.pk, 0.0, 2.0),
    ]


# Turnover


@pytest.fixture
def sold_cameras(item, warehouse, purchase, record):
    """A year of one item, 2023:

    2022-12-01 purchase 10 @ 8.00   on hand 10, average 8.00   (before the period: opening quantity 10)
    2023-03-01 purchase 10 @ 10.00  on hand 20, average 9.00
    2023-06-01 sale 12 @ 9.00       on hand 8,  COGS 108.00
    2023-09-01 sale 4 @ 9.00        on hand 4,  COGS 36.00     (closing quantity 4)
    2024-02-01 sale 1               after the period

    Over 2023 (365 days): units sold 16, COGS 144.00, average stock value (10 + 4) / 2 × 9.00 = 63.00,
    turnover ratio 144 / 63 = 2.2857… → 2.29, days of inventory 365 / 2.2857… = 159.6875 → 159.69.
    """
    at = lambda *ymd: datetime.datetime(*ymd, 12, tzinfo=UTC)  # noqa: E731
    purchase(item, warehouse, 10, "8.00", moved_at=at(2022, 12, 1))
    purchase(item, warehouse, 10, "10.00", moved_at=at(2023, 3, 1))
    record(item, warehouse, "sale", 12, moved_at=at(2023, 6, 1))
    record(item, warehouse, "sale", 4, moved_at=at(2023, 9, 1))
    record(item, warehouse, "sale", 1, moved_at=at(2024, 2, 1))
    return item


def test_turnover_of_a_known_year(api, sold_cameras):
    body = report(api, "turnover", start_date="2023-01-01", end_date="2023-12-31")

    assert (body["start_date"], body["end_date"], body["period_days"]) == ("2023-01-01", "2023-12-31", 365)
    assert body["items"] == [
        {
            "stock_item_id": sold_cameras.pk, "sku": "CAM-1", "name": "Camera", "currency_code": "EUR",
            "units_sold": 16.0, "cost_of_goods_sold": 144.0, "opening_quantity": 10.0, "closing_quantity": 4.0,
            "average_stock_value": 63.0, "turnover_ratio": 2.29, "days_of_inventory": 159.69,
        }
    ]


def test_turnover_filters_by_item(api, sold_cameras, create_item, warehouse, purchase):
    other = create_item()
    purchase(other, warehouse, 1, "1.00", moved_at=datetime.datetime(2023, 1, 5, tzinfo=UTC))

    everything = report(api, "turnover", start_date="2023-01-01", end_date="2023-12-31")["items"]
    only = report(api, "turnover", start_date="2023-01-01", end_date="2023-12-31", item_id=other.pk)["items"]

    assert [row["stock_item_id"] for row in everything] == [sold_cameras.pk, other.pk]
    assert [(row["stock_item_id"], row["units_sold"], row["turnover_ratio"]) for row in only] == [(other.pk, 0.0, 0.0)]


def test_turnover_without_stock_has_no_ratio(api, create_item, warehouse, purchase, record):
    item = create_item()
    moment = datetime.datetime(2023, 5, 1, tzinfo=UTC)
    purchase(item, warehouse, 2, "5.00", moved_at=moment)
    record(item, warehouse, "sale", 2, moved_at=moment)

    row = report(api, "turnover", start_date="2023-01-01", end_date="2023-12-31")["items"][0]

    assert (row["cost_of_goods_sold"], row["average_stock_value"]) == (10.0, 0.0)
    assert (row["turnover_ratio"], row["days_of_inventory"]) == (None, None)


def test_turnover_defaults_to_the_last_365_days(api, item, warehouse, purchase, record):
    purchase(item, warehouse, 10, "8.00", moved_at=timezone.now() - datetime.timedelta(days=400))
    record(item, warehouse, "sale", 5, moved_at=timezone.now() - datetime.timedelta(days=10))
    record(item, warehouse, "sale", 1, moved_at=timezone.now() - datetime.timedelta(days=370))

    body = report(api, "turnover")

    today = timezone.now().date()
    assert body["end_date"] == today.isoformat()
    assert body["start_date"] == (today - datetime.timedelta(days=364)).isoformat()
    assert body["period_days"] == 365
    assert body["items"][0]["units_sold"] == 5.0
    assert body["items"][0]["cost_of_goods_sold"] == 40.0


# Movement history


def test_movement_history_is_newest_first_and_filters(api, item, warehouse, create_warehouse, purchase, record, user):
    north = create_warehouse("NORTH")
    day = lambda d: datetime.datetime(2024, 3, d, 12, tzinfo=UTC)  # noqa: E731
    purchase(item, warehouse, 10, "8.00", moved_at=day(1))
    record(item, warehouse, "sale", 2, moved_at=day(2))
    services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=north, quantity=3, user=user,
                            moved_at=day(3))

    def types(**params):
        return [m["movement_type"] for m in report(api, "movement-history", **params)["movements"]]

    assert types() == ["transfer_in", "transfer_out", "sale", "purchase"]
    assert types(movement_type="sale") == ["sale"]
    assert types(warehouse_id=north.pk) == ["transfer_in"]
    assert types(stock_item_id=item.pk, date_from="2024-03-02", date_to="2024-03-02") == ["sale"]
    assert types(stock_item_id=999999) == []
    body = report(api, "movement-history", per_page=1)
    assert (len(body["movements"]), body["pagination"]["total"], body["pagination"]["pages"]) == (1, 4, 4)
