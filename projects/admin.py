from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from timetracker.admin_site import ServiceAdminMixin

from . import services
from .models import Client, Project, Task, Tasklist


@admin.register(Client)
class ClientAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("name", "company", "email", "phone", "default_hourly_rate", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "company", "email")
    date_hierarchy = "created_at"
    create_service = staticmethod(services.client_create)
    update_service = staticmethod(services.client_update)
    instance_kwarg = "client"


class TasklistInline(admin.TabularInline):
    model = Tasklist
    extra = 0
    fields = ("name", "description")


@admin.register(Project)
class ProjectAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("name", "client", "permalink", "status", "billable", "hourly_rate", "estimated_hours", "created_at")
    list_filter = ("status", "billable", "client")
    list_select_related = ("client",)
    search_fields = ("name", "description", "permalink", "client__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("client",)
    inlines = [TasklistInline]
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)
    instance_kwarg = "project"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["permalink"].required = False
        return form

    actions = ["archive_projects"]

    @admin.action(description="Archive selected projects")
    def archive_projects(self, request, queryset):
        for project in queryset:
            services.project_archive(project=project)
        self.message_user(request, f"Archived {queryset.count()} project(s).")


@admin.register(Tasklist)
class TasklistAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "created_at")
    list_select_related = ("project",)
    list_filter = ("project__status",)
    search_fields = ("name", "project__name")
    autocomplete_fields = ("project",)
    date_hierarchy = "created_at"


class TaskAdminForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project") or getattr(self.instance, "project", None)
        if project is not None and ({"project", "tasklist"} & set(self.changed_data)):
            try:
                services.check_task_placement(project=project, tasklist=cleaned.get("tasklist"))
            except ValidationError as exc:
                raise ValidationError([message for messages in exc.message_dict.values() for message in messages])
        return cleaned


@admin.register(Task)
class TaskAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = TaskAdminForm
    list_display = ("name", "project", "tasklist", "status", "priority", "estimated_minutes", "assignee", "completed_at")
    list_filter = ("status", "priority", "project__status", "assignee")
    list_select_related = ("project", "tasklist", "assignee")
    search_fields = ("name", "description", "project__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("project", "tasklist", "assignee")

    def get_readonly_fields(self, request, obj=None):
        # A task stays in its project (see services.task_update).
        return ("completed_at", "project") if obj else ("completed_at",)
    create_service = staticmethod(services.task_create)
    update_service = staticmethod(services.task_update)
    instance_kwarg = "task"
