from django.urls import path

from timetracker.api.routers import APIRouter

from . import views

router = APIRouter()
router.register("time-entries", views.TimeEntryViewSet, basename="time-entry")

urlpatterns = [
    *router.urls,
    path("timer/status", views.TimerStatusView.as_view(), name="timer-status"),
    path("timer/start", views.TimerStartView.as_view(), name="timer-start"),
    path("timer/stop", views.TimerStopView.as_view(), name="timer-stop"),
]
