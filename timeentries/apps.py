from django.apps import AppConfig


class TimeEntriesConfig(AppConfig):
    name = "timeentries"
    verbose_name = "Time tracking"
