from django.apps import AppConfig


class TimeTrackerConfig(AppConfig):
    name = "timetracker"
    verbose_name = "Accounts"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks, signals  # noqa: F401  (registers the checks; creates a profile for every new user)
        from .postgres import use_c_timestamp_loader

        connection_created.connect(use_c_timestamp_loader, dispatch_uid="timetracker-c-timestamp-loader")
