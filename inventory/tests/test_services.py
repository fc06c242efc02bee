"""The stock rules, where they live: the movement and transfer services."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from inventory import services
from inventory.models import StockItem, StockLevel, StockMovement, Warehouse
from timetracker.models import SiteSettings


def on_hand(item, warehouse):
    level = StockLevel.objects.filter(item=item, warehouse=warehouse).first()
    return level.quantity if level else Decimal(0)


def average_cost(item):
    return StockItem.objects.get(pk=item.pk).average_cost


def errors_of(excinfo):
    return excinfo.value.message_dict


# Purchases and the moving average


def test_purchase_adds_to_the_level_and_sets_the_average_cost(item, warehouse, purchase):
    movement = purchase(item, warehouse, 10, "8.00")

    assert on_hand(item, warehouse) == Decimal("10")
    assert average_cost(item) == Decimal("8.0000")
    assert (movement.movement_type, movement.quantity, movement.unit_cost) == ("purchase", 10, Decimal("8"))
    assert movement.reference_id == ""


def test_second_purchase_at_another_cost_averages_by_quantity(item, warehouse, purchase):
    purchase(item, warehouse, 10, "8.00")
    purchase(item, warehouse, 10, "10.00")

    # (10 × 8.00 + 10 × 10.00) / 20 = 9.00
    assert average_cost(item) == Decimal("9.0000")


def test_average_counts_stock_in_every_warehouse(item, warehouse, create_warehouse, purchase):
    purchase(item, warehouse, 30, "4.00")
    purchase(item, create_warehouse(), 10, "8.00")

    # (30 × 4 + 10 × 8) / 40 = 5
    assert average_cost(item) == Decimal("5.0000")


def test_average_is_rounded_half_up_to_four_places(item, warehouse, purchase):
    purchase(item, warehouse, 3, "1.00")
    purchase(item, warehouse, 3, "2.00")
    purchase(item, warehouse, 3, "2.00")

    # (3 × 1 + 6 × 2) / 9 = 1.6666… → 1.6667
    assert average_cost(item) == Decimal("1.6667")


def test_purchase_without_a_cost_is_booked_at_the_items_unit_cost(create_item, warehouse, record):
    item = create_item(unit_cost=Decimal("12.50"))

    movement = record(item, warehouse, "purchase", 4)

    assert movement.unit_cost == Decimal("12.50")
    assert average_cost(item) == Decimal("12.5000")


def test_return_with_a_cost_recomputes_the_average(item, warehouse, purchase, record):
    purchase(item, warehouse, 10, "8.00")

    record(item, warehouse, "return", 10, "12.00")

    assert average_cost(item) == Decimal("10.0000")
    assert on_hand(item, warehouse) == 20


def test_return_without_a_cost_keeps_the_average(item, warehouse, purchase, record):
    purchase(item, warehouse, 10, "8.00")

    movement = record(item, warehouse, "return", 2)

    assert movement.unit_cost is None
    assert average_cost(item) == Decimal("8.0000")
    assert on_hand(item, warehouse) == 12


def test_positive_adjustment_with_a_cost_recomputes_the_average(item, warehouse, purchase, record):
    purchase(item, warehouse, 10, "8.00")

    record(item, warehouse, "adjustment", 10, "6.00")

    assert average_cost(item) == Decimal("7.0000")


# Outbound movements


def test_sale_is_stored_negative_at_the_average_cost(item, warehouse, purchase, record):
    purchase(item, warehouse, 10, "8.00")
    purchase(item, warehouse, 10, "10.00")

    sale = record(item, warehouse, "sale", 5, unit_cost="99.00")  # a sent cost is not what the goods cost

    assert (sale.quantity, sale.unit_cost) == (Decimal("-5"), Decimal("9.0000"))
    assert on_hand(item, warehouse) == 15
    assert average_cost(item) == Decimal("9.0000")


@pytest.mark.parametrize("movement_type", ["sale", "waste"])
def test_outbound_movement_cannot_take_more_than_is_on_hand(item, warehouse, purchase, record, movement_type):
    purchase(item, warehouse, "2.5", "8.00")

    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, movement_type, 3)

    assert errors_of(excinfo) == {"quantity": ["Not enough stock in MAIN: 2.5 available, 3 requested."]}
    assert on_hand(item, warehouse) == Decimal("2.5")
    assert StockMovement.objects.count() == 1


def test_sale_from_a_warehouse_without_stock_names_zero_available(item, warehouse, record):
    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, "sale", 1)

    assert "0 available" in errors_of(excinfo)["quantity"][0]
    assert not StockLevel.objects.exists()


def test_negative_adjustment_reduces_stock_down_to_zero(item, warehouse, purchase, record):
    purchase(item, warehouse, 4, "8.00")

    movement = record(item, warehouse, "adjustment", -4)

    assert (movement.quantity, movement.unit_cost) == (Decimal("-4"), Decimal("8.0000"))
    assert on_hand(item, warehouse) == 0


def test_negative_adjustment_cannot_go_below_zero(item, warehouse, purchase, record):
    purchase(item, warehouse, 4, "8.00")

    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, "adjustment", -5)

    assert "4 available" in errors_of(excinfo)["quantity"][0]


# Refused movements


@pytest.mark.parametrize("movement_type, quantity", [
    ("purchase", 0), ("purchase", -1), ("sale", -1), ("waste", 0), ("return", -2), ("adjustment", 0),
])
def test_quantity_must_be_positive_or_for_adjustments_non_zero(item, warehouse, record, movement_type, quantity):
    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, movement_type, quantity, "1.00")

    assert "quantity" in errors_of(excinfo)
    assert not StockMovement.objects.exists()


def test_quantity_has_at_most_three_decimal_places(item, warehouse, record):
    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, "purchase", "1.0005", "1.00")

    assert "3 decimal places" in errors_of(excinfo)["quantity"][0]


@pytest.mark.parametrize("movement_type", ["transfer_in", "transfer_out"])
def test_transfer_halves_cannot_be_recorded_alone(item, warehouse, record, movement_type):
    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, movement_type, 1)

    assert "movement_type" in errors_of(excinfo)


def test_negative_unit_cost_is_refused(item, warehouse, record):
    with pytest.raises(ValidationError) as excinfo:
        record(item, warehouse, "purchase", 1, "-0.01")

    assert "unit_cost" in errors_of(excinfo)


def test_stock_on_hand_cannot_exceed_the_column(item, warehouse, purchase):
    purchase(item, warehouse, Decimal("99999999999"), "0")

    with pytest.raises(ValidationError) as excinfo:
        purchase(item, warehouse, 1, "0")

    assert "exceed" in errors_of(excinfo)["quantity"][0]


def test_inactive_warehouse_receives_no_purchase_but_can_be_emptied(item, create_warehouse, purchase, record):
    closing = create_warehouse()
    purchase(item, closing, 5, "8.00")
    Warehouse.objects.filter(pk=closing.pk).update(active=False)
    closing.refresh_from_db()

    with pytest.raises(ValidationError) as excinfo:
        purchase(item, closing, 1, "8.00")
    record(item, closing, "sale", 5)

    assert "inactive" in errors_of(excinfo)["warehouse_id"][0]
    assert on_hand(item, closing) == 0


def test_inactive_item_cannot_be_purchased(create_item, warehouse, purchase):
    item = create_item(active=False)

    with pytest.raises(ValidationError) as excinfo:
        purchase(item, warehouse, 1, "1.00")

    assert "inactive" in errors_of(excinfo)["stock_item_id"][0]


# Transfers


def test_transfer_of_4_from_15_leaves_11_and_4(item, warehouse, create_warehouse, purchase, user):
    other = create_warehouse("B")
    purchase(item, warehouse, 15, "8.00")

    reference_id, (out, into) = services.stock_transfer(
        item=item, from_warehouse=warehouse, to_warehouse=other, quantity=Decimal("4"), notes="Shelf B", user=user
    )

    assert (on_hand(item, warehouse), on_hand(item, other)) == (11, 4)
    assert len(reference_id) == 32
    assert [(m.movement_type, m.warehouse, m.quantity, m.reference_id) for m in (out, into)] == [
        ("transfer_out", warehouse, Decimal("-4"), reference_id),
        ("transfer_in", other, Decimal("4"), reference_id),
    ]
    assert out.unit_cost == into.unit_cost == Decimal("8.0000")
    assert out.moved_at == into.moved_at
    assert average_cost(item) == Decimal("8.0000")


def test_transfer_to_the_same_warehouse_is_refused(item, warehouse, purchase, user):
    purchase(item, warehouse, 15, "8.00")

    with pytest.raises(ValidationError) as excinfo:
        services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=warehouse, quantity=1, user=user)

    assert "must differ" in errors_of(excinfo)["to_warehouse_id"][0]


@pytest.mark.parametrize("quantity", [0, -1])
def test_transfer_quantity_must_be_positive(item, warehouse, create_warehouse, purchase, user, quantity):
    purchase(item, warehouse, 15, "8.00")

    with pytest.raises(ValidationError) as excinfo:
        services.stock_transfer(
            item=item, from_warehouse=warehouse, to_warehouse=create_warehouse(), quantity=quantity, user=user
        )

    assert "quantity" in errors_of(excinfo)


def test_transfer_of_more_than_is_on_hand_names_the_available_quantity(
    item, warehouse, create_warehouse, purchase, user
):
    purchase(item, warehouse, 3, "8.00")
    other = create_warehouse()

    with pytest.raises(ValidationError) as excinfo:
        services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other, quantity=5, user=user)

    assert errors_of(excinfo) == {"quantity": ["Not enough stock in MAIN: 3 available, 5 requested."]}
    assert (on_hand(item, warehouse), on_hand(item, other)) == (3, 0)
    assert StockMovement.objects.count() == 1


def test_transfer_writes_both_movements_or_neither(item, warehouse, create_warehouse, purchase, user):
    purchase(item, warehouse, 15, "8.00")
    other = create_warehouse()
    real_save = StockMovement.save

    def fail_on_transfer_in(movement, *args, **kwargs):
        if movement.movement_type == "transfer_in":
            raise RuntimeError("disk full")
        return real_save(movement, *args, **kwargs)

    with mock.patch.object(StockMovement, "save", fail_on_transfer_in), pytest.raises(RuntimeError):
        services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other, quantity=4, user=user)

    assert list(StockMovement.objects.values_list("movement_type", flat=True)) == ["purchase"]
    assert (on_hand(item, warehouse), on_hand(item, other)) == (15, 0)


def test_transfer_into_an_inactive_warehouse_is_refused(item, warehouse, create_warehouse, purchase, user):
    purchase(item, warehouse, 15, "8.00")

    with pytest.raises(ValidationError) as excinfo:
        services.stock_transfer(
            item=item, from_warehouse=warehouse, to_warehouse=create_warehouse(active=False), quantity=1, user=user
        )

    assert "inactive" in errors_of(excinfo)["to_warehouse_id"][0]


# Items and warehouses


def test_new_item_gets_the_sites_currency_and_its_unit_cost_as_average():
    SiteSettings.objects.filter(pk=1).update(default_currency="USD")

    item = services.stock_item_create(sku="X", name="X", unit_cost=Decimal("3.50"))

    assert (item.currency_code, item.average_cost) == ("USD", Decimal("3.50"))


def test_currency_of_an_item_with_movements_cannot_change(item, warehouse, purchase):
    purchase(item, warehouse, 1, "8.00")

    with pytest.raises(ValidationError) as excinfo:
        services.stock_item_update(item=item, currency_code="USD")

    assert "currency_code" in errors_of(excinfo)


def test_currency_of_an_item_without_movements_can_change(item):
    services.stock_item_update(item=item, currency_code="USD")

    assert StockItem.objects.get(pk=item.pk).currency_code == "USD"


def test_deleting_an_item_with_movements_deactivates_it(item, warehouse, purchase, create_item):
    purchase(item, warehouse, 1, "8.00")
    unused = create_item()

    assert services.stock_item_delete(item=item) is False
    assert services.stock_item_delete(item=unused) is True
    assert list(StockItem.objects.values_list("sku", "active")) == [(item.sku, False)]


def test_deleting_a_warehouse_with_movements_deactivates_it(item, warehouse, purchase, create_warehouse):
    purchase(item, warehouse, 1, "8.00")
    unused = create_warehouse()

    assert services.warehouse_delete(warehouse=warehouse) is False
    assert services.warehouse_delete(warehouse=unused) is True
    assert list(Warehouse.objects.values_list("code", "active")) == [("MAIN", False)]


def test_check_for_a_form_applies_the_same_rules_without_writing(item, warehouse, purchase):
    purchase(item, warehouse, 2, "8.00")

    with pytest.raises(ValidationError) as excinfo:
        services.stock_movement_check(item=item, warehouse=warehouse, movement_type="sale", quantity=Decimal(3))
    signed = services.stock_movement_check(item=item, warehouse=warehouse, movement_type="waste", quantity=Decimal(2))

    assert "2 available" in errors_of(excinfo)["quantity"][0]
    assert signed == Decimal(-2)
    assert StockMovement.objects.count() == 1
