import django_filters

from timetracker.api.filters import IdFilter

from .models import Client, Project, Task


class ClientFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Client.Status.choices)

    class Meta:
        model = Client
        fields = ["status"]


class ProjectFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    client_id = IdFilter(field_name="client_id")

    class Meta:
        model = Project
        fields = ["status", "client_id"]


class TaskFilterSet(django_filters.FilterSet):
    project_id = IdFilter(field_name="project_id")
    tasklist_id = IdFilter(field_name="tasklist_id")
    assignee_id = IdFilter(field_name="assignee_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)

    class Meta:
        model = Task
        fields = ["project_id", "tasklist_id", "assignee_id", "status"]
