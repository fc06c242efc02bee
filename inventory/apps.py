from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Stock items, warehouses and movements (issue 6)."""

    name = "inventory"
    verbose_name = "Inventory"
