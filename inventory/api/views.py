"""The v1 inventory endpoints (``/api/v1/inventory/``). Each needs the module switched on (Settings in the admin)
and ``read:projects``/``write:projects`` as the spec says, or ``read:inventory``/``write:inventory``."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from timetracker.api.base import APIView, APIViewMixin
from timetracker.api.params import int_param
from timetracker.api.permissions import HasScope
from timetracker.api.schema import ID_PARAMETER_SCHEMA
from timetracker.api.viewsets import ResourceViewSet
from timetracker.models import user_timezone, validate_currency_code

from .. import selectors, services
from ..filtersets import (
    MovementHistoryFilterSet, StockItemFilterSet, StockLevelFilterSet, TransferFilterSet, WarehouseFilterSet,
    day_start, parse_iso_date,
)
from ..models import StockItem, Warehouse
from .permissions import InventoryEnabled, site_settings
from .serializers import (
    LowStockReportSerializer, MovementCreateSerializer, MovementRecordedSerializer, MovementSerializer,
    StockItemSerializer, StockLevelSerializer, TransferCreateSerializer, TransferEnvelopeSerializer,
    TransferRecordedSerializer, TransferSerializer, TurnoverReportSerializer, ValuationReportSerializer,
    WarehouseSerializer,
)

DEFAULT_TURNOVER_DAYS = 365
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


def money(value) -> float:
    """Money as a JSON number rounded half-up to cents (``80.0``, ``12.35``)."""
    return float(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def quantity(value) -> float:
    return float(Decimal(value).quantize(MILLI, rounding=ROUND_HALF_UP))


class InventoryAPI(APIViewMixin):
    """What every inventory view shares: rate limits, the module switch first, then the scopes."""

    permission_classes = [InventoryEnabled, HasScope]
    scope_resource = "projects"
    scope_resource_aliases = ("inventory",)


# Items, warehouses, stock levels


class WarehouseViewSet(InventoryAPI, ResourceViewSet):
    """Warehouses, ordered by code. DELETE removes one no stock moved through, and deactivates the others."""

    queryset = Warehouse.objects.order_by("code", "id")
    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilterSet
    item_key, list_key = "warehouse", "warehouses"

    def create_instance(self, data):
        return services.warehouse_create(**data)

    def update_instance(self, instance, data):
        return services.warehouse_update(warehouse=instance, **data)

    def destroy_instance(self, instance):
        if services.warehouse_delete(warehouse=instance):
            return "Warehouse deleted successfully"
        return "Warehouse deactivated: stock has moved through it, so it was kept"


class StockItemViewSet(InventoryAPI, ResourceViewSet):
    """Stock items, ordered by SKU. DELETE removes an item without movements, and deactivates the others."""

    queryset = StockItem.objects.order_by("sku", "id")
    serializer_class = StockItemSerializer
    filterset_class = StockItemFilterSet
    item_key, list_key = "item", "items"

    def create_instance(self, data):
        return services.stock_item_create(**data)

    def update_instance(self, instance, data):
        return services.stock_item_update(item=instance, **data)

    def destroy_instance(self, instance):
        if services.stock_item_delete(item=instance):
            return "Item deleted successfully"
        return "Item deactivated: it has stock movements, so it was kept"


class StockLevelListView(InventoryAPI, generics.ListAPIView):
    """Quantity on hand per item and warehouse."""

    queryset = selectors.stock_levels()
    serializer_class = StockLevelSerializer
    filterset_class = StockLevelFilterSet
    list_key = "stock_levels"


# Movements and transfers


class MovementCreateView(InventoryAPI, generics.GenericAPIView):
    """Record a purchase, sale, adjustment, return or waste."""

    serializer_class = MovementCreateSerializer

    @extend_schema(summary="Record a stock movement", responses={201: MovementRecordedSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        movement = services.stock_movement_record(
            item=data["stock_item"], warehouse=data["warehouse"], movement_type=data["movement_type"],
            quantity=data["quantity"], unit_cost=data.get("unit_cost"), notes=data["notes"], user=request.user,
        )
        return Response(
            {"message": "Movement recorded successfully", "movement": MovementSerializer(movement).data},
            status=status.HTTP_201_CREATED,
        )


class TransferListView(InventoryAPI, generics.GenericAPIView):
    """Transfers between warehouses, newest first; POST moves stock."""

    queryset = selectors.transfers()
    serializer_class = TransferCreateSerializer
    filterset_class = TransferFilterSet
    list_key = "transfers"

    @extend_schema(summary="List transfers", responses=TransferSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TransferSerializer(page, many=True).data)

    @extend_schema(summary="Transfer stock between warehouses", responses={201: TransferRecordedSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reference_id, halves = services.stock_transfer(
            item=data["stock_item"], from_warehouse=data["from_warehouse"], to_warehouse=data["to_warehouse"],
            quantity=data["quantity"], notes=data["notes"], user=request.user,
        )
        return Response(
            {
                "message": "Transfer recorded successfully",
                "reference_id": reference_id,
                "transfers": MovementSerializer(halves, many=True).data,
            },
            status=status.HTTP_201_CREATED,
        )


class TransferDetailView(InventoryAPI, APIView):
    """One transfer: its transfer_out and transfer_in movements."""

    @extend_schema(summary="Get a transfer", responses=TransferEnvelopeSerializer)
    def get(self, request, reference_id):
        transfer = selectors.transfers().filter(reference_id=reference_id).first()
        if transfer is None:
            raise NotFound(f"No transfer has the reference_id '{reference_id}'.")
        return Response({"transfer": TransferSerializer(transfer).data})


# Reports


class ValuationReportView(InventoryAPI, APIView):
    """Stock on hand at moving average cost, in one currency (the site's default unless ``currency_code``)."""

    @extend_schema(
        summary="Valuation report",
        parameters=[
            OpenApiParameter("warehouse_id", ID_PARAMETER_SCHEMA, description="Only stock in this warehouse."),
            OpenApiParameter("category", str, description="Only items of this category."),
            OpenApiParameter("currency_code", {"type": "string", "pattern": r"^\s*[A-Za-z]{3}\s*$"},
                             description="ISO 4217 code (any case); default the Settings' currency. Only items "
                                         "priced in it count."),
        ],
        responses=ValuationReportSerializer,
    )
    def get(self, request):
        currency_code = request.query_params.get("currency_code", "").strip().upper()
        if currency_code:
            try:
                validate_currency_code(currency_code)
            except DjangoValidationError as exc:
                raise ValidationError({"currency_code": exc.messages}) from None
        else:
            currency_code = site_settings(request).default_currency
        warehouse_id = int_param(request, "warehouse_id")
        category = request.query_params.get("category") or None
        report = selectors.valuation(currency_code=currency_code, warehouse_id=warehouse_id, category=category)
        return Response(
            {
                "currency_code": currency_code,
                "warehouse_id": warehouse_id,
                "category": category,
                "total_value": money(report["total_value"]),
                "by_warehouse": [
                    {
                        "warehouse_id": row["warehouse_id"],
                        "warehouse_code": row["warehouse_code"],
                        "warehouse_name": row["warehouse_name"],
                        "item_count": row["item_count"],
                        "value": money(row["value"]),
                    }
                    for row in report["by_warehouse"]
                ],
                "by_category": [
                    {"category": row["category_name"], "item_count": row["item_count"], "value": money(row["value"])}
                    for row in report["by_category"]
                ],
                "item_details": [
                    {
                        "stock_item_id": row["item_id"],
                        "sku": row["sku"],
                        "name": row["name"],
                        "category": row["category_name"],
                        "unit": row["unit"],
                        "quantity": quantity(row["on_hand"]),
                        "average_cost": float(row["average_cost"]),
                        "value": money(row["value"]),
                    }
                    for row in report["item_details"]
                ],
            }
        )


class MovementHistoryReportView(InventoryAPI, generics.ListAPIView):
    """Every movement, newest first, filtered by period, item, warehouse and type."""

    queryset = selectors.movement_history()
    serializer_class = MovementSerializer
    filterset_class = MovementHistoryFilterSet
    list_key = "movements"


def _date_param(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return parse_iso_date(raw)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None


class TurnoverReportView(InventoryAPI, APIView):
    """Per item: units sold, cost of goods sold, average stock value, turnover ratio and days of inventory.

    The period is ``start_date``..``end_date`` (whole local days, both included), by default the last 365 days.
    """

    @extend_schema(
        summary="Turnover report",
        parameters=[
            OpenApiParameter("start_date", {"type": "string", "format": "date"},
                             description="First day (YYYY-MM-DD, user's timezone); default 364 days before end_date."),
            OpenApiParameter("end_date", {"type": "string", "format": "date"},
                             description="Last day, included; default today. Not before start_date."),
            OpenApiParameter("item_id", ID_PARAMETER_SCHEMA, description="Only this stock item."),
        ],
        responses=TurnoverReportSerializer,
    )
    def get(self, request):
        tz = user_timezone(request.user)
        end_date = _date_param(request, "end_date") or datetime.datetime.now(tz).date()
        start_date = _date_param(request, "start_date")
        if start_date is None:
            start_date = end_date - datetime.timedelta(days=DEFAULT_TURNOVER_DAYS - 1)
        if end_date < start_date:
            raise ValidationError({"end_date": ["end_date must not be before start_date."]})
        start = day_start(start_date, tz, field="start_date")
        end = day_start(end_date, tz, field="end_date", next_day=True)
        period_days = (end_date - start_date).days + 1

        items = []
        for item in selectors.turnover(start=start, end=end, item_id=int_param(request, "item_id")):
            average_stock_value = (item.opening_quantity + item.closing_quantity) / 2 * item.average_cost
            ratio = item.cost_of_goods_sold / average_stock_value if average_stock_value else None
            items.append(
                {
                    "stock_item_id": item.pk,
                    "sku": item.sku,
                    "name": item.name,
                    "currency_code": item.currency_code,
                    "units_sold": quantity(item.units_sold),
                    "cost_of_goods_sold": money(item.cost_of_goods_sold),
                    "opening_quantity": quantity(item.opening_quantity),
                    "closing_quantity": quantity(item.closing_quantity),
                    "average_stock_value": money(average_stock_value),
                    "turnover_ratio": money(ratio) if ratio is not None else None,
                    "days_of_inventory": money(period_days / ratio) if ratio else None,
                }
            )
        return Response(
            {
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat(),
                "period_days": period_days,
                "items": items,
            }
        )


class LowStockReportView(InventoryAPI, APIView):
    """Active items with less on hand than their reorder point, in all warehouses or in ``warehouse_id``."""

    @extend_schema(
        summary="Low-stock report",
        parameters=[OpenApiParameter("warehouse_id", ID_PARAMETER_SCHEMA,
                                     description="Stock on hand in this warehouse (default: all warehouses).")],
        responses=LowStockReportSerializer,
    )
    def get(self, request):
        warehouse_id = int_param(request, "warehouse_id")
        items = [
            {
                "stock_item_id": item.pk,
                "sku": item.sku,
                "name": item.name,
                "category": item.category,
                "unit": item.unit,
                "quantity_on_hand": quantity(item.quantity_on_hand),
                "reorder_point": quantity(item.reorder_point),
                "shortfall": quantity(item.shortfall),
            }
            for item in selectors.low_stock(warehouse_id=warehouse_id)
        ]
        return Response({"warehouse_id": warehouse_id, "items": items})
