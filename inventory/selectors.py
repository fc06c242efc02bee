"""Reads of inventory for the API and the admin. Every total is aggregated in the database."""

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import StockItem, StockLevel, StockMovement

Type = StockMovement.Type

# Products of a quantity (3 places) and a cost (4 places), summed over many rows.
VALUE = DecimalField(max_digits=32, decimal_places=7)
QUANTITY_SUM = DecimalField(max_digits=24, decimal_places=3)


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
    """
    levels = StockLevel.objects.filter(item__currency_code=currency_code).exclude(quantity=0)
    if warehouse_id is not None:
        levels = levels.filter(warehouse_id=warehouse_id)
    if category is not None:
        levels = levels.filter(item__category=category)
    value = _sum(ExpressionWrapper(F("quantity") * F("item__average_cost"), output_field=VALUE), VALUE)

    total = levels.aggregate(total_value=value)["total_value"]
    by_warehouse = (
        levels.values("warehouse_id", warehouse_code=F("warehouse__code"), warehouse_name=F("warehouse__name"))
        .annotate(item_count=Count("item_id", distinct=True), value=value)
        .order_by("warehouse_code", "warehouse_id")
    )
    by_category = (
        levels.values(category_name=F("item__category"))
        .annotate(item_count=Count("item_id", distinct=True), value=value)
        .order_by("category_name")
    )
    item_details = (
        levels.values(
            "item_id", sku=F("item__sku"), name=F("item__name"), category_name=F("item__category"),
            unit=F("item__unit"), average_cost=F("item__average_cost"),
        )
        .annotate(on_hand=_sum("quantity", QUANTITY_SUM), value=value)
        .order_by("sku", "item_id")
    )
    return {
        "total_value": total,
        "by_warehouse": list(by_warehouse),
        "by_category": list(by_category),
        "item_details": list(item_details),
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
