from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView, SpectacularJSONAPIView, SpectacularRedocView, SpectacularSwaggerView,
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("teamwork/", include("timeentries.compat.teamwork.urls")),
    path("codebase/", include("timeentries.compat.codebase.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/", include("timetracker.api.urls")),
]

handler404 = "timetracker.api.views.handler404"
handler500 = "timetracker.api.views.handler500"
