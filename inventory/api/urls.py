from django.urls import re_path

from timetracker.api.routers import APIRouter

from . import views

router = APIRouter()
router.register("items", views.StockItemViewSet, basename="inventory-item")
router.register("warehouses", views.WarehouseViewSet, basename="inventory-warehouse")

# Like the router's routes, these answer with or without a trailing slash.
urlpatterns = [
    *router.urls,
    re_path(r"^stock-levels/?$", views.StockLevelListView.as_view(), name="inventory-stock-levels"),
    re_path(r"^movements/?$", views.MovementCreateView.as_view(), name="inventory-movements"),
    re_path(r"^transfers/?$", views.TransferListView.as_view(), name="inventory-transfers"),
    re_path(
        r"^transfers/(?P<reference_id>[^/]+)/?$", views.TransferDetailView.as_view(), name="inventory-transfer"
    ),
    re_path(r"^reports/valuation/?$", views.ValuationReportView.as_view(), name="inventory-valuation"),
    re_path(
        r"^reports/movement-history/?$", views.MovementHistoryReportView.as_view(),
        name="inventory-movement-history",
    ),
    re_path(r"^reports/turnover/?$", views.TurnoverReportView.as_view(), name="inventory-turnover"),
    re_path(r"^reports/low-stock/?$", views.LowStockReportView.as_view(), name="inventory-low-stock"),
]
