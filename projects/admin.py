from django.contrib import admin

from timetracker.admin_site import ServiceAdminMixin, ServiceCheckedForm

from . import services
from .models import Client, Project, Task, Tasklist


@admin.register(Client)
class ClientAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("name", "company", "email", "phone", "default_hourly_rate", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "company", "email")
    date_hierarchy = "created_at"

    def create_via_service(self, request, data):
        return services.client_create(**data)

    def update_via_service(self, request, instance, changes):
        services.client_update(client=instance, **changes)


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

    def create_via_service(self, request, data):
        return services.project_create(**data)

    def update_via_service(self, request, instance, changes):
        services.project_update(project=instance, **changes)

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


class TaskAdminForm(ServiceCheckedForm):
    class Meta:
        model = Task
        fields = "__all__"

    def service_check(self, cleaned):
        project = cleaned.get("project") or self.instance.project
        if {"project", "tasklist"} & set(self.changed_data):
            services.check_task_placement(project=project, tasklist=cleaned.get("tasklist"))


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

    def create_via_service(self, request, data):
        return services.task_create(**data)

    def update_via_service(self, request, instance, changes):
        services.task_update(task=instance, **changes)
