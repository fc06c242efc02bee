"""Reads of inventory for the API and the admin. Totals are aggregated in the database, except the valuation's
(see ``valuation``)."""

from decimal import Decimal, localcontext

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, DenseRank

from .models import StockItem, StockLevel, StockMovement

Type = StockMovement.Type

# Products of a quantity (3 places) and a cost (4 places), summed over many rows.
VALUE = DecimalField(max_digits=32, decimal_places=7)
QUANTITY_SUM = DecimalField(max_digits=24, decimal_places=3)
EXACT_DIGITS = 2 * VALUE.max_digits  # a Decimal context that rounds none of those sums


def _sum(expression, output_field, **kwargs):
    """SUM(expression), 0 instead of NULL when there is nothing to add."""
    return Coalesce(Sum(expression, output_field=output_field, **kwargs), Value(0), output_field=output_field)


# Lists


def stock_levels():
    return StockLevel.objects.order_by("item_id", "warehouse_id")


def movement_history():
    """Movements, newest first; the movement-history filterset narrows them."""
    return StockMovement.objects.order_by("-moved_at", "-id")


def transfers():
    """One row per transfer: its transfer_out movement, annotated with the transfer_in half.

    Each transfer has exactly one transfer_out; the other half is found by the shared reference_id in the
    same query (two subqueries on the indexed reference_id), so a page of transfers is one query.
    """
    inbound = StockMovement.objects.filter(reference_id=OuterRef("reference_id"), movement_type=Type.TRANSFER_IN)
    return (
        StockMovement.objects.filter(movement_type=Type.TRANSFER_OUT)
        .annotate(
            in_movement_id=Subquery(inbound.values("id")[:1]),
            to_warehouse_id=Subquery(inbound.values("warehouse_id")[:1]),
        )
        .order_by("-moved_at", "-id")
    )


# Reports


def valuation(*, currency_code, warehouse_id=None, category=None) -> dict:
    """Stock on hand valued at each item's moving average cost, in one currency.

    Returns ``total_value``, ``by_warehouse``, ``by_category`` and ``item_details`` (values as Decimals).
    Only items priced in ``currency_code`` count: values in different currencies cannot be added up.
    One query of the stock levels holding stock (one row per item and warehouse), added up in Python.
    """
    levels = StockLevel.objects.filter(item__currency_code=currency_code).exclude(quantity=0)
    if warehouse_id is not None:
        levels = levels.filter(warehouse_id=warehouse_id)
    if category is not None:
        levels = levels.filter(item__category=category)
    rows = levels.annotate(
        # Warehouses and categories are listed in the database's order (its collation), as the items are.
        warehouse_rank=Window(DenseRank(), order_by=[F("warehouse__code").asc(), F("warehouse_id").asc()]),
        category_rank=Window(DenseRank(), order_by=F("item__category").asc()),
    ).values_list(
        "item_id", "item__sku", "item__name", "item__category", "item__unit", "item__average_cost", "quantity",
        "warehouse_id", "warehouse__code", "warehouse__name", "warehouse_rank", "category_rank",
    ).order_by("item__sku", "item_id", "warehouse_id")

    total, warehouses, categories, items = Decimal(0), {}, {}, {}
    # Sums as exact as the database's: a product alone may have all the 28 digits of the default context.
    with localcontext(prec=EXACT_DIGITS):
        for (item_id, sku, name, category_name, unit, average_cost, quantity,
             level_warehouse_id, warehouse_code, warehouse_name, warehouse_rank, category_rank) in rows:
            value = quantity * average_cost
            total += value
            in_warehouse = warehouses.get(warehouse_rank)
            if in_warehouse is None:
                in_warehouse = warehouses[warehouse_rank] = {
                    "warehouse_id": level_warehouse_id, "warehouse_code": warehouse_code,
                    "warehouse_name": warehouse_name, "item_count": 0, "value": Decimal(0),
                }
            in_warehouse["item_count"] += 1  # an item has one level in a warehouse
            in_warehouse["value"] += value
            in_category = categories.get(category_rank)
            if in_category is None:
                in_category = categories[category_rank] = {
                    "category_name": category_name, "item_count": 0, "value": Decimal(0),
                }
            in_category["value"] += value
            item = items.get(item_id)
            if item is None:  # the item's first level
                in_category["item_count"] += 1
                item = items[item_id] = {
                    "item_id": item_id, "sku": sku, "name": name, "category_name": category_name, "unit": unit,
                    "average_cost": average_cost, "on_hand": Decimal(0), "value": Decimal(0),
                }
            item["on_hand"] += quantity
            item["value"] += value
    return {
        "total_value": total,
        "by_warehouse": [warehouses[rank] for rank in sorted(warehouses)],
        "by_category": [categories[rank] for rank in sorted(categories)],
        "item_details": list(items.values()),
    }


def turnover(*, start, end, item_id=None):
    """Per item, over [start, end): units sold, cost of goods sold, and the stock at both ends. One query.

    Rows are StockItems annotated with ``units_sold``, ``cost_of_goods_sold``, ``opening_quantity`` and
    ``closing_quantity``; items that had no movement before ``end`` are left out.
    """
    moved = "movements__moved_at"
    quantity = F("movements__quantity")
    sold = Q(movements__movement_type=Type.SALE, **{f"{moved}__gte": start, f"{moved}__lt": end})
    items = StockItem.objects.all() if item_id is None else StockItem.objects.filter(pk=item_id)
    return (
        items.annotate(
            # Sales are stored negative; their unit_cost is the average cost when they were made.
            units_sold=_sum(ExpressionWrapper(-quantity, output_field=QUANTITY_SUM), QUANTITY_SUM, filter=sold),
            cost_of_goods_sold=_sum(
                ExpressionWrapper(-quantity * F("movements__unit_cost"), output_field=VALUE), VALUE, filter=sold
            ),
            opening_quantity=_sum(quantity, QUANTITY_SUM, filter=Q(**{f"{moved}__lt": start})),
            closing_quantity=_sum(quantity, QUANTITY_SUM, filter=Q(**{f"{moved}__lt": end})),
            movements_before_end=Count("movements", filter=Q(**{f"{moved}__lt": end})),
        )
        .filter(movements_before_end__gt=0)
        .order_by("sku", "id")
    )


def low_stock(*, warehouse_id=None):
    """Active items with less on hand than their reorder point, annotated ``quantity_on_hand`` and
    ``shortfall``. On hand is summed over all warehouses, or taken in one; an item with no stock has 0."""
    in_scope = Q() if warehouse_id is None else Q(levels__warehouse_id=warehouse_id)
    return (
        StockItem.objects.filter(active=True)
        .annotate(quantity_on_hand=_sum("levels__quantity", QUANTITY_SUM, filter=in_scope))
        .filter(quantity_on_hand__lt=F("reorder_point"))
        .annotate(shortfall=ExpressionWrapper(F("reorder_point") - F("quantity_on_hand"), output_field=QUANTITY_SUM))
        .order_by("sku", "id")
    )
