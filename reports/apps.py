from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Time reports and summaries (issue 3)."""

    name = "reports"
    verbose_name = "Reports"
