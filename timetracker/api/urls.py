from django.urls import include, path, re_path

from . import views

v1 = [
    path("info", views.InfoView.as_view(), name="info"),
    path("health", views.HealthView.as_view(), name="health"),
    path("users/me", views.CurrentUserView.as_view(), name="users-me"),
    path("", include("projects.api.urls")),
    path("", include("timeentries.api.urls")),
    path("", include("reports.api.urls")),
    path("inventory/", include("inventory.api.urls")),
    path("", include("timetracker.webhooks.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "v1"))),
    re_path(r"^", views.api_not_found),  # any other path, even one with a newline
]
