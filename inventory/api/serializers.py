from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from timetracker.api.serializers import (
    APIModelSerializer, APISerializer, UTCDateTimeField, related_id_field, required_name_kwargs,
)
from timetracker.models import validate_currency_code

from ..models import QUANTITY, StockItem, StockLevel, StockMovement, Warehouse
from ..services import RECORDABLE_TYPES


@extend_schema_field({"type": "string", "pattern": r"^[A-Za-z]{3}$", "example": "EUR",
                      "description": "ISO 4217 code; sent in any case, stored in capitals."})
class CurrencyCodeField(serializers.CharField):
    """An ISO 4217 code in its format (three letters, any case in, capitals out)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=3, min_length=3, **kwargs)
        self.validators.append(validate_currency_code)

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


def unique_kwargs(model, label):
    """A required field unique among the model's rows, with messages naming it."""
    message = f"{label} is required"
    noun = model._meta.verbose_name
    return {
        "error_messages": {"required": message, "blank": message, "null": message},
        "validators": [UniqueValidator(model.objects.all(), message=f"Another {noun} already has this {label}.")],
    }


class WarehouseSerializer(APIModelSerializer):
    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "address", "active", "created_at", "updated_at"]
        extra_kwargs = {"code": unique_kwargs(Warehouse, "code"), "name": required_name_kwargs()}


class StockItemSerializer(APIModelSerializer):
    currency_code = CurrencyCodeField(required=False)

    class Meta:
        model = StockItem
        fields = [
            "id", "sku", "name", "category", "unit", "unit_cost", "currency_code", "reorder_point", "average_cost",
            "active", "created_at", "updated_at",
        ]
        read_only_fields = ["average_cost"]
        extra_kwargs = {"sku": unique_kwargs(StockItem, "SKU"), "name": required_name_kwargs()}


class StockLevelSerializer(APIModelSerializer):
    stock_item_id = serializers.IntegerField(source="item_id")

    class Meta:
        model = StockLevel
        fields = ["id", "stock_item_id", "warehouse_id", "quantity", "updated_at"]


class MovementSerializer(APIModelSerializer):
    stock_item_id = serializers.IntegerField(source="item_id")
    reference_id = serializers.SerializerMethodField()

    class Meta:
        model = StockMovement
        fields = [
            "id", "stock_item_id", "warehouse_id", "movement_type", "quantity", "unit_cost", "moved_at",
            "reference_id", "notes", "user_id", "created_at",
        ]

    def get_reference_id(self, movement) -> str | None:
        return movement.reference_id or None


def quantity_field(**kwargs):
    return serializers.DecimalField(**QUANTITY, error_messages={"required": "quantity is required"}, **kwargs)


class MovementCreateSerializer(APISerializer):
    """The body of POST /movements; the service decides what the movement may do."""

    stock_item_id = related_id_field(source="stock_item", queryset=StockItem.objects.all(), label="Stock item")
    warehouse_id = related_id_field(source="warehouse", queryset=Warehouse.objects.all(), label="Warehouse")
    movement_type = serializers.ChoiceField(
        choices=RECORDABLE_TYPES,
        error_messages={"invalid_choice": f"Use one of {', '.join(RECORDABLE_TYPES)} (transfers go to /transfers)."},
    )
    quantity = quantity_field()
    unit_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class TransferCreateSerializer(APISerializer):
    stock_item_id = related_id_field(source="stock_item", queryset=StockItem.objects.all(), label="Stock item")
    from_warehouse_id = related_id_field(source="from_warehouse", queryset=Warehouse.objects.all(), label="Warehouse")
    to_warehouse_id = related_id_field(source="to_warehouse", queryset=Warehouse.objects.all(), label="Warehouse")
    quantity = quantity_field()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(serializers.Serializer):
    """A transfer from ``selectors.transfers()``: its transfer_out row annotated with the transfer_in half."""

    reference_id = serializers.CharField()
    moved_at = UTCDateTimeField()
    stock_item_id = serializers.IntegerField(source="item_id")
    from_warehouse_id = serializers.IntegerField(source="warehouse_id")
    to_warehouse_id = serializers.IntegerField()
    quantity = serializers.SerializerMethodField()
    notes = serializers.CharField()
    movement_ids = serializers.SerializerMethodField()

    def get_quantity(self, movement) -> float:
        return float(-movement.quantity)

    def get_movement_ids(self, movement) -> list[int]:
        return [movement.pk, movement.in_movement_id]


# Response bodies of the hand-written endpoints, for the OpenAPI schema (the views build the same shapes).


class MovementRecordedSerializer(serializers.Serializer):
    message = serializers.CharField()
    movement = MovementSerializer()


class TransferRecordedSerializer(serializers.Serializer):
    message = serializers.CharField()
    reference_id = serializers.CharField()
    transfers = MovementSerializer(many=True, help_text="The transfer_out and transfer_in movements.")


class TransferEnvelopeSerializer(serializers.Serializer):
    transfer = TransferSerializer()


class WarehouseValueSerializer(serializers.Serializer):
    warehouse_id = serializers.IntegerField()
    warehouse_code = serializers.CharField()
    warehouse_name = serializers.CharField()
    item_count = serializers.IntegerField()
    value = serializers.FloatField()


class CategoryValueSerializer(serializers.Serializer):
    category = serializers.CharField()
    item_count = serializers.IntegerField()
    value = serializers.FloatField()


class ItemValueSerializer(serializers.Serializer):
    stock_item_id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.FloatField()
    average_cost = serializers.FloatField()
    value = serializers.FloatField()


class ValuationReportSerializer(serializers.Serializer):
    currency_code = serializers.CharField()
    warehouse_id = serializers.IntegerField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    total_value = serializers.FloatField()
    by_warehouse = WarehouseValueSerializer(many=True)
    by_category = CategoryValueSerializer(many=True)
    item_details = ItemValueSerializer(many=True)


class ItemTurnoverSerializer(serializers.Serializer):
    stock_item_id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    currency_code = serializers.CharField()
    units_sold = serializers.FloatField()
    cost_of_goods_sold = serializers.FloatField()
    opening_quantity = serializers.FloatField()
    closing_quantity = serializers.FloatField()
    average_stock_value = serializers.FloatField()
    turnover_ratio = serializers.FloatField(allow_null=True)
    days_of_inventory = serializers.FloatField(allow_null=True)


class TurnoverReportSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    period_days = serializers.IntegerField()
    items = ItemTurnoverSerializer(many=True)


class LowStockItemSerializer(serializers.Serializer):
    stock_item_id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    unit = serializers.CharField()
    quantity_on_hand = serializers.FloatField()
    reorder_point = serializers.FloatField()
    shortfall = serializers.FloatField()


class LowStockReportSerializer(serializers.Serializer):
    warehouse_id = serializers.IntegerField(allow_null=True)
    items = LowStockItemSerializer(many=True)
