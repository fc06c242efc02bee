from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "timetracker.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
