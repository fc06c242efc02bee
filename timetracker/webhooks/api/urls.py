from django.urls import re_path

from timetracker.api.routers import APIRouter

from . import views

UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

router = APIRouter()
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = [
    re_path(r"^webhooks/events/?$", views.EventListView.as_view(), name="webhook-events"),
    re_path(r"^webhooks/(?P<webhook_id>\d+)/deliveries/?$", views.DeliveryListView.as_view(),
            name="webhook-deliveries"),
    re_path(rf"^webhooks/(?P<webhook_id>\d+)/deliveries/(?P<delivery_id>{UUID})/redeliver/?$",
            views.RedeliverView.as_view(), name="webhook-redeliver"),
    *router.urls,
]
