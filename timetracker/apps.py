from django.apps import AppConfig


class TimeTrackerConfig(AppConfig):
    name = "timetracker"
    verbose_name = "Accounts"

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the checks; creates a profile for every new user)
