from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from timetracker.admin_site import ServiceAdminMixin, ServiceCheckedForm
from timetracker.errors import DomainError
from timetracker.models import SiteSettings

from . import services
from .models import QUANTITY, StockItem, StockLevel, StockMovement, Warehouse


class ModuleSwitchNoticeMixin:
    """Inventory lists say so when the module is off (the API then refuses every inventory request)."""

    def changelist_view(self, request, extra_context=None):
        if not SiteSettings.load().inventory_enabled:
            settings_url = reverse(f"{self.admin_site.name}:timetracker_sitesettings_changelist")
            self.message_user(
                request,
                format_html(
                    'The inventory module is off: the API answers 403 module_disabled. '
                    'Switch it on under <a href="{}">Settings</a>.',
                    settings_url,
                ),
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(Warehouse)
class WarehouseAdmin(ModuleSwitchNoticeMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("code", "name", "address")

    def create_via_service(self, request, data):
        return services.warehouse_create(**data)

    def update_via_service(self, request, instance, changes):
        services.warehouse_update(warehouse=instance, **changes)


class StockItemAdminForm(ServiceCheckedForm):
    class Meta:
        model = StockItem
        fields = ["sku", "name", "category", "unit", "unit_cost", "currency_code", "reorder_point", "active"]

    def service_check(self, cleaned):
        if self.instance.pk:
            # The rules compare with the stored row, whatever the form has set on self.instance.
            stored = StockItem.objects.get(pk=self.instance.pk)
            services.stock_item_check(item=stored, changes={name: cleaned[name] for name in self.changed_data})


class TransferForm(forms.Form):
    from_warehouse = forms.ModelChoiceField(Warehouse.objects.order_by("code"), label="From")
    to_warehouse = forms.ModelChoiceField(Warehouse.objects.filter(active=True).order_by("code"), label="To")
    quantity = forms.DecimalField(**QUANTITY, min_value=Decimal("0.001"))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(StockItem)
class StockItemAdmin(ModuleSwitchNoticeMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = StockItemAdminForm
    list_display = (
        "sku", "name", "category", "unit", "unit_cost", "average_cost", "currency_code", "reorder_point", "active",
    )
    list_filter = ("active", "category", "currency_code")
    search_fields = ("sku", "name", "category")
    readonly_fields = ("average_cost", "created_at", "updated_at")
    actions = ["transfer_stock"]

    def get_changeform_initial_data(self, request):
        return {"currency_code": SiteSettings.load().default_currency, **super().get_changeform_initial_data(request)}

    def create_via_service(self, request, data):
        return services.stock_item_create(**data)

    def update_via_service(self, request, instance, changes):
        services.stock_item_update(item=instance, **changes)

    @admin.action(description="Transfer stock…", permissions=["change"])
    def transfer_stock(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one item to transfer.", level=messages.ERROR)
            return None
        item = queryset.get()
        form = TransferForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.stock_transfer(
                    item=item, from_warehouse=data["from_warehouse"], to_warehouse=data["to_warehouse"],
                    quantity=data["quantity"], notes=data["notes"], user=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, level=messages.ERROR)
            except DomainError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Moved {services.format_quantity(data['quantity'])} {item.unit} of {item.sku} from "
                    f"{data['from_warehouse'].code} to {data['to_warehouse'].code}.",
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Transfer stock of {item}",
            "opts": self.model._meta,
            "item": item,
            "levels": item.levels.select_related("warehouse").order_by("warehouse__code"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/inventory/stockitem/transfer_stock.html", context)


class StockMovementAdminForm(ServiceCheckedForm):
    """Adds a movement through the service; the quantity is positive, an adjustment's sign gives its direction."""

    movement_type = forms.ChoiceField(choices=[(t.value, t.label) for t in services.RECORDABLE_TYPES])
    unit_cost = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False,
        help_text="For purchases (the item's unit cost if empty), returns and positive adjustments; "
        "outbound movements are booked at the average cost.",
    )

    class Meta:
        model = StockMovement
        fields = ["item", "warehouse", "movement_type", "quantity", "unit_cost", "notes"]
        help_texts = {"quantity": "Positive; for an adjustment, negative reduces the stock."}

    # The service names fields as the API does.
    API_FIELDS = {"stock_item_id": "item", "warehouse_id": "warehouse"}

    def service_check(self, cleaned):
        try:
            services.stock_movement_check(
                item=cleaned["item"], warehouse=cleaned["warehouse"], movement_type=cleaned["movement_type"],
                quantity=cleaned["quantity"],
            )
        except ValidationError as exc:
            raise ValidationError(
                {self.API_FIELDS.get(key, key): errors for key, errors in exc.message_dict.items()}
            ) from None


@admin.register(StockMovement)
class StockMovementAdmin(ModuleSwitchNoticeMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Movements are added here through the service and never changed or deleted (append-only)."""

    form = StockMovementAdminForm
    list_display = ("moved_at", "item", "warehouse", "movement_type", "quantity", "unit_cost", "reference_id", "user")
    list_filter = ("movement_type", "warehouse", "moved_at")
    list_select_related = ("item", "warehouse", "user")
    search_fields = ("item__sku", "item__name", "warehouse__code", "reference_id", "notes")
    date_hierarchy = "moved_at"
    autocomplete_fields = ("item", "warehouse")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def create_via_service(self, request, data):
        return services.stock_movement_record(
            item=data["item"], warehouse=data["warehouse"], movement_type=data["movement_type"],
            quantity=data["quantity"], unit_cost=data.get("unit_cost"), notes=data.get("notes", ""),
            user=request.user,
        )

    def update_via_service(self, request, instance, changes):
        raise PermissionError("Stock movements are append-only.")


@admin.register(StockLevel)
class StockLevelAdmin(ModuleSwitchNoticeMixin, admin.ModelAdmin):
    """Read-only: stock levels change only with movements."""

    list_display = ("item", "warehouse", "quantity", "updated_at")
    list_filter = ("warehouse",)
    list_select_related = ("item", "warehouse")
    search_fields = ("item__sku", "item__name", "warehouse__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
