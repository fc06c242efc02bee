from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Read-only views across the other apps: the time summary report and global search."""

    name = "reports"
    verbose_name = "Reports"
