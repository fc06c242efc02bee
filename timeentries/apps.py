from django.apps import AppConfig


class TimeEntriesConfig(AppConfig):
    name = "timeentries"
    verbose_name = "Time tracking"

    def ready(self):
        from . import signals

        signals.connect()
