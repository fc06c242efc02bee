from django.urls import path

from . import views

urlpatterns = [
    path("reports/summary", views.SummaryReportView.as_view(), name="reports-summary"),
    path("search", views.SearchView.as_view(), name="search"),
]
