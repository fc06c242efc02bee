"""Writes to inventory: items, warehouses, and the movements that change stock. The API and the admin call these.

Stock changes lock rows in one order — the item, then its stock levels by warehouse id — so concurrent
movements of one item queue up instead of deadlocking, and the check "enough on hand" cannot be raced.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from timetracker.models import SiteSettings
from timetracker.services import apply_changes, save_changes
from timetracker.webhooks.services import emit

from .models import MAX_QUANTITY, StockItem, StockLevel, StockMovement, Warehouse

WAREHOUSE_FIELDS = {"code", "name", "address", "active"}
ITEM_FIELDS = {"sku", "name", "category", "unit", "unit_cost", "currency_code", "reorder_point", "active"}

Type = StockMovement.Type
# Types stock_movement_record takes; transfers go through stock_transfer, which writes both halves.
RECORDABLE_TYPES = [Type.PURCHASE, Type.SALE, Type.ADJUSTMENT, Type.RETURN, Type.WASTE]
INBOUND_TYPES = {Type.PURCHASE, Type.RETURN}
OUTBOUND_TYPES = {Type.SALE, Type.WASTE}

AVERAGE_COST_PLACES = Decimal("0.0001")
QUANTITY_PLACES = Decimal("0.001")


def _error(field, message):
    return ValidationError({field: [message]})


def format_quantity(value: Decimal) -> str:
    """``11.000`` → ``11``, ``0.500`` → ``0.5``: quantities as people write them in messages."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# Warehouses


@transaction.atomic
def warehouse_create(*, code, name, **fields) -> Warehouse:
    warehouse = Warehouse(code=code, name=name)
    apply_changes(warehouse, fields, WAREHOUSE_FIELDS)
    warehouse.save()
    return warehouse


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, **changes) -> Warehouse:
    save_changes(warehouse, apply_changes(warehouse, changes, WAREHOUSE_FIELDS))
    return warehouse


@transaction.atomic
def warehouse_delete(*, warehouse: Warehouse) -> bool:
    """Delete the warehouse, or deactivate it if stock ever moved there (the history must keep it).

    Returns True if it was deleted, False if it was deactivated.
    """
    if warehouse.movements.exists():
        warehouse_update(warehouse=warehouse, active=False)
        return False
    warehouse.delete()
    return True


# Stock items


@transaction.atomic
def stock_item_create(*, sku, name, currency_code=None, **fields) -> StockItem:
    """A new item; its currency defaults to the site's, its average cost starts at its unit cost."""
    item = StockItem(sku=sku, name=name, currency_code=currency_code or SiteSettings.load().default_currency)
    apply_changes(item, fields, ITEM_FIELDS)
    # Before any purchase the standard cost is the best estimate of what a unit is worth.
    item.average_cost = item.unit_cost
    item.save()
    return item


def stock_item_check(*, item: StockItem, changes: dict):
    """The rules of an item update; raises ValidationError keyed by API field names."""
    if changes.get("currency_code", item.currency_code) != item.currency_code and item.movements.exists():
        # The average cost and every recorded movement cost are in the old currency.
        raise _error("currency_code", "The currency of an item with stock movements cannot change.")


@transaction.atomic
def stock_item_update(*, item: StockItem, **changes) -> StockItem:
    stock_item_check(item=item, changes=changes)
    save_changes(item, apply_changes(item, changes, ITEM_FIELDS))
    return item


@transaction.atomic
def stock_item_delete(*, item: StockItem) -> bool:
    """Delete the item, or deactivate it if it has movements. Returns True if it was deleted."""
    if item.movements.exists():
        stock_item_update(item=item, active=False)
        return False
    item.delete()
    return True


# Movements


def _check_quantity_places(quantity: Decimal):
    if not quantity.is_finite() or quantity != quantity.quantize(QUANTITY_PLACES):
        raise _error("quantity", "Give the quantity as a number with at most 3 decimal places.")


def _signed_quantity(movement_type, quantity: Decimal) -> Decimal:
    _check_quantity_places(quantity)
    if movement_type not in RECORDABLE_TYPES:
        if movement_type in (Type.TRANSFER_OUT, Type.TRANSFER_IN):
            raise _error("movement_type", "Transfers are recorded with a transfer (both warehouses at once).")
        raise _error("movement_type", f"Use one of {', '.join(RECORDABLE_TYPES)}.")
    if movement_type == Type.ADJUSTMENT:
        if quantity == 0:
            raise _error("quantity", "An adjustment needs a quantity other than zero (negative to reduce stock).")
        return quantity
    if quantity <= 0:
        raise _error("quantity", "The quantity must be greater than zero; the movement type gives the direction.")
    return -quantity if movement_type in OUTBOUND_TYPES else quantity


def _check_can_receive(*, warehouse, item=None, field="warehouse_id"):
    # Purchases, returns and transfers in; an adjustment records what is there, so it is always allowed.
    if not warehouse.active:
        raise _error(field, f"Warehouse {warehouse.code} is inactive; it receives no new stock.")
    if item is not None and not item.active:
        raise _error("stock_item_id", f"Item {item.sku} is inactive; no new stock of it can be received.")


def _check_unit_cost(unit_cost):
    if unit_cost is not None and not Decimal(unit_cost) >= 0:
        raise _error("unit_cost", "The unit cost must be zero or more.")


def _check_available(on_hand: Decimal, needed: Decimal, warehouse):
    if needed > on_hand:
        raise _error(
            "quantity",
            f"Not enough stock in {warehouse.code}: {format_quantity(on_hand)} available, "
            f"{format_quantity(needed)} requested.",
        )


def _check_fits(new_quantity: Decimal):
    if new_quantity > MAX_QUANTITY:
        raise _error("quantity", f"The stock on hand would exceed {MAX_QUANTITY}.")


def stock_movement_check(*, item, warehouse, movement_type, quantity) -> Decimal:
    """The rules of one movement against the current stock (unlocked: a form's early check).

    Returns the signed quantity; raises ValidationError keyed by API field names.
    """
    signed = _signed_quantity(movement_type, quantity)
    if movement_type in INBOUND_TYPES:
        _check_can_receive(item=item, warehouse=warehouse)
    level = StockLevel.objects.filter(item=item, warehouse=warehouse).first()
    on_hand = level.quantity if level else Decimal(0)
    _check_available(on_hand, -signed, warehouse)
    _check_fits(on_hand + signed)
    return signed


def _locked_item(item) -> StockItem:
    return StockItem.objects.select_for_update().get(pk=item.pk)


def _locked_level(item, warehouse) -> StockLevel:
    """The item's level in the warehouse, row locked; created (at zero) when stock first goes there."""
    levels = StockLevel.objects.select_for_update()
    try:
        return levels.get(item=item, warehouse=warehouse)
    except StockLevel.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            StockLevel.objects.create(item=item, warehouse=warehouse, quantity=0)
    except IntegrityError:
        pass  # created concurrently (by a caller that did not lock the item first); read it below
    return levels.get(item=item, warehouse=warehouse)


def _on_hand_total(item) -> Decimal:
    return item.levels.aggregate(total=Sum("quantity", default=Decimal(0)))["total"]


def _new_average_cost(*, item, quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """The moving weighted average after ``quantity`` units arrive at ``unit_cost`` (all warehouses)."""
    on_hand = max(_on_hand_total(item), Decimal(0))
    average = (on_hand * item.average_cost + quantity * unit_cost) / (on_hand + quantity)
    return average.quantize(AVERAGE_COST_PLACES, rounding=ROUND_HALF_UP)


def _apply(level: StockLevel, signed: Decimal):
    level.quantity += signed
    level.save(update_fields=["quantity", "updated_at"])


@transaction.atomic
def stock_movement_record(
    *, item, warehouse, movement_type, quantity, unit_cost=None, notes="", user, moved_at=None
) -> StockMovement:
    """Record a purchase, sale, adjustment, return or waste and change the stock level with it.

    ``quantity`` is positive, except for an adjustment, whose sign gives the direction. An inbound
    movement with a unit cost (a purchase without one is booked at the item's unit cost) recomputes the
    item's moving average cost; outbound movements are booked at that average (their cost of goods).
    """
    signed = _signed_quantity(movement_type, Decimal(quantity))
    _check_unit_cost(unit_cost)
    item = _locked_item(item)
    if movement_type in INBOUND_TYPES:
        _check_can_receive(item=item, warehouse=warehouse)
    level = _locked_level(item, warehouse)
    if signed > 0:
        _check_fits(level.quantity + signed)
        if movement_type == Type.PURCHASE and unit_cost is None:
            unit_cost = item.unit_cost
        if unit_cost is not None:
            # Computed before this movement's quantity is added to the level.
            item.average_cost = _new_average_cost(item=item, quantity=signed, unit_cost=Decimal(unit_cost))
            item.save(update_fields=["average_cost", "updated_at"])
    else:
        _check_available(level.quantity, -signed, warehouse)
        unit_cost = item.average_cost
    # Stock on hand over all warehouses, as the low-stock report counts it; the item row is locked.
    on_hand_before = _on_hand_total(item) if signed < 0 and item.active and item.reorder_point > 0 else None
    _apply(level, signed)
    movement = StockMovement.objects.create(
        item=item, warehouse=warehouse, movement_type=movement_type, quantity=signed, unit_cost=unit_cost,
        notes=notes, user=user, moved_at=moved_at or timezone.now(),
    )
    if on_hand_before is not None and on_hand_before >= item.reorder_point > on_hand_before + signed:
        emit("inventory.low_stock", item)  # once per crossing: it was at or above the point before
    return movement


@transaction.atomic
def stock_transfer(*, item, from_warehouse, to_warehouse, quantity, notes="", user, moved_at=None):
    """Move stock between warehouses: a transfer_out and a transfer_in sharing a reference_id, or neither.

    Both halves are booked at the item's average cost, which a transfer does not change.
    Returns ``(reference_id, [out_movement, in_movement])``.
    """
    quantity = Decimal(quantity)
    if from_warehouse.pk == to_warehouse.pk:
        raise _error("to_warehouse_id", "The warehouses must differ: stock cannot move to where it already is.")
    _check_quantity_places(quantity)
    if quantity <= 0:
        raise _error("quantity", "The quantity must be greater than zero.")
    _check_can_receive(warehouse=to_warehouse, field="to_warehouse_id")

    item = _locked_item(item)
    levels = {
        warehouse.pk: _locked_level(item, warehouse)
        for warehouse in sorted((from_warehouse, to_warehouse), key=lambda warehouse: warehouse.pk)
    }
    source, target = levels[from_warehouse.pk], levels[to_warehouse.pk]
    _check_available(source.quantity, quantity, from_warehouse)
    _check_fits(target.quantity + quantity)
    _apply(source, -quantity)
    _apply(target, quantity)

    reference_id = uuid.uuid4().hex
    moved_at = moved_at or timezone.now()
    halves = [
        StockMovement(
            item=item, warehouse=warehouse, movement_type=movement_type, quantity=signed,
            unit_cost=item.average_cost, reference_id=reference_id, notes=notes, user=user, moved_at=moved_at,
        )
        for warehouse, movement_type, signed in (
            (from_warehouse, Type.TRANSFER_OUT, -quantity),
            (to_warehouse, Type.TRANSFER_IN, quantity),
        )
    ]
    for movement in halves:
        movement.save()
    emit("inventory.transfer.created", halves[0])
    return reference_id, halves
