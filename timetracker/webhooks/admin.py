import json

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from timetracker.admin_site import ServiceAdminMixin, ServiceCheckedForm
from timetracker.errors import DomainError

from . import events, services, targets
from .models import Webhook, WebhookDelivery

EVENT_CHOICES = [
    (events.ALL, "* — every event, also those added later"),
    *[(event.name, f"{event.name} — {event.description}") for event in events.EVENTS.values()],
]


class WebhookForm(ServiceCheckedForm):
    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https",
                         help_text="http(s) address that receives the POSTs; it must resolve to public addresses.")
    events = forms.MultipleChoiceField(choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "active", "owner"]

    def service_check(self, cleaned):
        if "url" in self.changed_data:
            targets.check_url(cleaned["url"])


@admin.register(Webhook)
class WebhookAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = WebhookForm
    list_display = ("name", "url", "owner", "status", "event_list", "consecutive_failures", "created_at")
    list_filter = ("active",)
    list_select_related = ("owner",)
    search_fields = ("name", "url", "owner__username")
    autocomplete_fields = ("owner",)
    actions = ["rotate_secret"]
    readonly_on_change = (
        "owner", "status", "deactivated_at", "deactivated_reason", "consecutive_failures", "delivery_log",
        "created_at", "updated_at",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("name", "url", "events", "active", "owner")}),)
        return (
            (None, {"fields": ("name", "url", "events", "active", "owner")}),
            ("Deliveries", {"fields": ("status", "deactivated_reason", "deactivated_at", "consecutive_failures",
                                       "delivery_log", "created_at", "updated_at")}),
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_on_change if obj else ()

    def get_changeform_initial_data(self, request):
        return {"owner": request.user.pk, "active": True, **super().get_changeform_initial_data(request)}

    @admin.display(description="Status")
    def status(self, webhook):
        if webhook.active:
            return "Active"
        return f"Deactivated: {webhook.deactivated_reason}" if webhook.deactivated_reason else "Inactive"

    @admin.display(description="Events")
    def event_list(self, webhook):
        return ", ".join(webhook.events)

    @admin.display(description="Delivery log")
    def delivery_log(self, webhook):
        url = reverse("admin:webhooks_webhookdelivery_changelist") + f"?webhook__id__exact={webhook.pk}"
        return format_html('<a href="{}">{} deliveries</a>', url, webhook.deliveries.count())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        webhook = self.get_object(request, object_id)
        if webhook is not None and not webhook.active and webhook.deactivated_reason and request.method == "GET":
            messages.warning(request, webhook.deactivated_reason + " Tick Active to switch it on again.")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        webhook, secret = services.webhook_create(
            owner=data["owner"], name=data["name"], url=data["url"], events=data["events"], active=data["active"],
        )
        obj.pk = webhook.pk
        obj.refresh_from_db()
        obj.new_secret = secret  # lives only in this request's memory

    def update_via_service(self, request, instance, changes):
        services.webhook_update(webhook=instance, **changes)

    def response_add(self, request, obj, post_url_continue=None):
        return self._secret_page(request, obj, obj.new_secret, "Webhook created")

    def _secret_page(self, request, webhook, secret, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "webhook": webhook,
            "secret": secret,
        }
        response = TemplateResponse(request, "admin/webhooks/webhook/secret.html", context)
        add_never_cache_headers(response)  # the page holds a secret: no browser or proxy may cache it
        return response

    @admin.action(description="Rotate the secret of the selected webhook", permissions=["change"])
    def rotate_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one webhook to rotate its secret.", level=messages.WARNING)
            return None
        webhook = queryset.get()
        secret = services.webhook_rotate_secret(webhook=webhook)
        return self._secret_page(request, webhook, secret, "Webhook secret rotated")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with a redeliver action."""

    list_display = ("created_at", "event", "webhook", "status", "attempts", "last_status_code", "last_error",
                    "next_attempt_at", "delivered_at")
    list_filter = ("status", "event", "webhook")
    list_select_related = ("webhook",)
    search_fields = ("=id", "event", "webhook__name")
    date_hierarchy = "created_at"
    actions = ["redeliver"]
    fields = ("id", "webhook", "event", "status", "attempts", "next_attempt_at", "last_attempt_at",
              "last_status_code", "last_error", "delivered_at", "created_at", "formatted_payload")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return request.user.has_perm("webhooks.change_webhook")

    @admin.display(description="Payload")
    def formatted_payload(self, delivery):
        return format_html("<pre>{}</pre>", json.dumps(json.loads(delivery.payload), indent=2, ensure_ascii=False))

    @admin.action(description="Redeliver the selected deliveries", permissions=["redeliver"])
    def redeliver(self, request, queryset):
        count = 0
        for delivery in queryset.select_related("webhook"):
            try:
                services.delivery_redeliver(delivery=delivery)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"Delivery {delivery.pk}: {exc.message}", level=messages.ERROR)
        self.message_user(request, f"Queued {count} deliveries again.")
