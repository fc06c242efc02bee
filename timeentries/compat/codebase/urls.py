from django.urls import path, re_path

from . import views

app_name = "codebase"

urlpatterns = [
    path("<slug:project>/time_sessions", views.SessionsView.as_view(), name="time-sessions"),
    path("<slug:project>/time_sessions/day", views.SessionPeriodView.as_view(period="day"), name="day"),
    path("<slug:project>/time_sessions/week", views.SessionPeriodView.as_view(period="week"), name="week"),
    path("<slug:project>/time_sessions/month", views.SessionPeriodView.as_view(period="month"), name="month"),
    path("<slug:project>/time_sessions/<int:session_id>", views.SessionView.as_view(), name="time-session"),
    re_path(r"^", views.UnknownRouteView.as_view()),
]
