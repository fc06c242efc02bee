from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from timetracker.admin_site import ServiceAdminMixin, ServiceCheckedForm
from timetracker.errors import DomainError

from . import services
from .models import Tag, TimeEntry


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "color", "created_at")
    search_fields = ("name",)
    date_hierarchy = "created_at"


class TimeEntryAdminForm(ServiceCheckedForm):
    class Meta:
        model = TimeEntry
        fields = [
            "user", "project", "task", "start_time", "end_time", "has_start_time", "notes", "tags", "billable",
            "invoice_number", "ticket_id",
        ]

    def service_check(self, cleaned):
        # Compare with the stored row: the form has already copied its values onto self.instance.
        stored = TimeEntry.all_objects.get(pk=self.instance.pk) if self.instance.pk else None
        services.time_entry_check(
            user=cleaned["user"], project=cleaned["project"], task=cleaned.get("task"),
            start_time=cleaned["start_time"], end_time=cleaned.get("end_time"), entry=stored,
        )


class InvoicedFilter(admin.SimpleListFilter):
    title = "invoiced"
    parameter_name = "invoiced"

    def lookups(self, request, model_admin):
        return [("yes", "Invoiced"), ("no", "Not invoiced")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(invoice_number="")
        if self.value() == "no":
            return queryset.filter(invoice_number="")
        return queryset


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class InvoiceNumberForm(forms.Form):
    invoice_number = forms.CharField(max_length=100, strip=True)


@admin.register(TimeEntry)
class TimeEntryAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = TimeEntryAdminForm
    list_display = (
        "start_time", "user", "project", "task", "duration", "billable", "invoice_number", "source", "is_deleted",
    )
    list_filter = ("user", "project", "billable", InvoicedFilter, DeletedFilter, "source")
    list_select_related = ("user", "project", "task")
    search_fields = ("notes", "project__name", "task__name", "user__username", "invoice_number")
    date_hierarchy = "start_time"
    autocomplete_fields = ("project", "task", "user")
    filter_horizontal = ("tags",)
    readonly_fields = ("duration_seconds", "source", "created_at", "updated_at", "deleted_at")
    actions = ["mark_invoiced", "restore_entries"]

    def get_queryset(self, request):
        # Admins see deleted entries too, so they can restore them.
        return TimeEntry.all_objects.select_related("user", "project", "task")

    @admin.display(description="Duration", ordering="duration_seconds")
    def duration(self, entry):
        if entry.duration_seconds is None:
            return "running"
        hours, rest = divmod(entry.duration_seconds, 3600)
        return f"{hours}:{rest // 60:02d}"

    @admin.display(description="Deleted", boolean=True)
    def is_deleted(self, entry):
        return entry.is_deleted

    def create_via_service(self, request, data):
        data["tags"] = [tag.name for tag in data.get("tags", [])]
        return services.time_entry_create(source=TimeEntry.Source.ADMIN, **data)

    def update_via_service(self, request, instance, changes):
        if "tags" in changes:
            changes["tags"] = [tag.name for tag in changes["tags"]]
        services.time_entry_update(entry=instance, **changes)

    def delete_model(self, request, obj):
        services.time_entry_delete(entry=obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.time_entry_delete(entry=entry)

    @admin.action(description="Mark selected entries invoiced…")
    def mark_invoiced(self, request, queryset):
        form = InvoiceNumberForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = services.time_entries_mark_invoiced(
                entries=queryset, invoice_number=form.cleaned_data["invoice_number"]
            )
            self.message_user(request, f"Marked {count} entries as invoiced ({form.cleaned_data['invoice_number']}).")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Mark entries invoiced",
            "opts": self.model._meta,
            "entries": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/timeentries/timeentry/mark_invoiced.html", context)

    @admin.action(description="Restore selected deleted entries")
    def restore_entries(self, request, queryset):
        restored = 0
        for entry in queryset.filter(deleted_at__isnull=False):
            try:
                services.time_entry_restore(entry=entry)
                restored += 1
            except DomainError as exc:
                self.message_user(request, f"Entry {entry.pk}: {exc.message}", level=messages.ERROR)
        self.message_user(request, f"Restored {restored} entries.")
