import django_filters

from .models import Client, Project, Task


class ClientFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Client.Status.choices)

    class Meta:
        model = Client
        fields = ["status"]


class ProjectFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    client_id = django_filters.NumberFilter(field_name="client_id")

    class Meta:
        model = Project
        fields = ["status", "client_id"]


class TaskFilterSet(django_filters.FilterSet):
    project_id = django_filters.NumberFilter(field_name="project_id")
    tasklist_id = django_filters.NumberFilter(field_name="tasklist_id")
    assignee_id = django_filters.NumberFilter(field_name="assignee_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)

    class Meta:
        model = Task
        fields = ["project_id", "tasklist_id", "assignee_id", "status"]
