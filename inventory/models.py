"""Stock items, warehouses, the stock on hand, and the movements that change it (see docs/inventory.md)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from timetracker.models import TimeStampedModel, default_currency, validate_currency_code

NON_NEGATIVE = [MinValueValidator(0)]

# Quantities have three decimal places (0.125 kg); unit costs two, the moving average four.
QUANTITY = {"max_digits": 14, "decimal_places": 3}
MAX_QUANTITY = 10 ** (QUANTITY["max_digits"] - QUANTITY["decimal_places"]) - 1


class Warehouse(TimeStampedModel):
    """A place stock is kept. An inactive warehouse receives no new stock, but stock can still leave it."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["code", "id"]

    def __str__(self):
        return f"{self.code} — {self.name}"


class StockItem(TimeStampedModel):
    """Something kept in stock. ``average_cost`` is the moving weighted-average cost, kept by the services."""

    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True, db_index=True)
    unit = models.CharField(max_length=20, default="pcs", help_text="Unit of measure, e.g. pcs, kg, m.")
    unit_cost = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, validators=NON_NEGATIVE,
        help_text="Standard purchase cost; a purchase recorded without a cost is booked at it.",
    )
    currency_code = models.CharField(
        max_length=3, default=default_currency, validators=[validate_currency_code],
        help_text="ISO 4217 code of unit_cost and average_cost (three capital letters).",
    )
    reorder_point = models.DecimalField(
        max_digits=14, decimal_places=3, default=0, validators=NON_NEGATIVE,
        help_text="The low-stock report lists the item when less than this is on hand.",
    )
    average_cost = models.DecimalField(
        max_digits=14, decimal_places=4, default=0, editable=False,
        help_text="Moving weighted-average cost per unit, recomputed by every inbound movement with a cost.",
    )
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["sku", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="stock_item_unit_cost_non_negative"),
            models.CheckConstraint(
                condition=models.Q(reorder_point__gte=0), name="stock_item_reorder_point_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.sku} — {self.name}"


class StockLevel(models.Model):
    """The quantity of an item on hand in a warehouse. Changed only by the movement services, row locked."""

    item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="levels")
    quantity = models.DecimalField(**QUANTITY, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item_id", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse"], name="stock_level_unique_item_warehouse"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_level_quantity_non_negative"),
        ]

    def __str__(self):
        return f"{self.item_id} in {self.warehouse_id}: {self.quantity}"


class StockMovement(models.Model):
    """One change of stock, never edited or deleted: a correction is a new (adjustment) movement.

    ``quantity`` is signed: positive into the warehouse, negative out of it.
    """

    class Type(models.TextChoices):
        PURCHASE = "purchase", "Purchase"
        SALE = "sale", "Sale"
        ADJUSTMENT = "adjustment", "Adjustment"
        TRANSFER_OUT = "transfer_out", "Transfer out"
        TRANSFER_IN = "transfer_in", "Transfer in"
        RETURN = "return", "Return"
        WASTE = "waste", "Waste"

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="movements")
    movement_type = models.CharField(max_length=20, choices=Type.choices)
    quantity = models.DecimalField(**QUANTITY, help_text="Positive into the warehouse, negative out of it.")
    unit_cost = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True,
        help_text="Cost per unit: as given for inbound movements, the average cost for outbound ones.",
    )
    moved_at = models.DateTimeField(default=timezone.now)
    reference_id = models.CharField(
        max_length=32, blank=True, help_text="Shared by the two halves of a transfer; blank otherwise."
    )
    notes = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="stock_movements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quantity=0), name="stock_movement_quantity_not_zero",
                violation_error_message="The quantity must not be zero.",
            ),
        ]
        indexes = [
            models.Index(fields=["moved_at"], name="stockmovement_moved_at"),
            models.Index(fields=["item", "moved_at"], name="stockmovement_item_moved_at"),
            models.Index(fields=["warehouse", "moved_at"], name="stockmovement_warehouse_moved"),
            models.Index(fields=["reference_id"], name="stockmovement_reference_id"),
            # The transfers list (transfer_out, newest first) and movement_type filters.
            models.Index(fields=["movement_type", "moved_at"], name="stockmovement_type_moved"),
        ]

    def __str__(self):
        return f"{self.get_movement_type_display()} of {self.quantity} × {self.item_id} in {self.warehouse_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Stock movements are append-only; record a correcting movement instead.")
        super().save(*args, **kwargs)
