from django.apps import AppConfig


class TimeTrackerConfig(AppConfig):
    name = "timetracker"
    verbose_name = "Accounts"

    def ready(self):
        from . import signals  # noqa: F401  (creates a profile for every new user)
