from timetracker.api.viewsets import ResourceViewSet

from .. import services
from ..filtersets import ClientFilterSet, ProjectFilterSet, TaskFilterSet
from ..models import Client, Project, Task
from .serializers import ClientSerializer, ProjectSerializer, TaskSerializer


class ClientViewSet(ResourceViewSet):
    """Clients, ordered by name. DELETE removes a client without projects and archives one with projects."""

    queryset = Client.objects.order_by("name", "id")
    serializer_class = ClientSerializer
    filterset_class = ClientFilterSet
    scope_resource = "clients"
    item_key, list_key = "client", "clients"

    def create_instance(self, data):
        return services.client_create(**data)

    def update_instance(self, instance, data):
        return services.client_update(client=instance, **data)

    def destroy_instance(self, instance):
        if services.client_delete(client=instance):
            return "Client deleted successfully"
        return "Client archived: it has projects, so it was kept"


class ProjectViewSet(ResourceViewSet):
    """Projects, ordered by name. DELETE archives the project (its time stays); `permalink` is derived from the
    name unless given."""

    queryset = Project.objects.order_by("name", "id")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    scope_resource = "projects"
    item_key, list_key = "project", "projects"

    def create_instance(self, data):
        return services.project_create(**data)

    def update_instance(self, instance, data):
        return services.project_update(project=instance, **data)

    def destroy_instance(self, instance):
        services.project_archive(project=instance)
        return "Project archived successfully"


class TaskViewSet(ResourceViewSet):
    """Tasks, ordered by id. `priority` runs from 1 (highest) to 5; reaching `done` sets `completed_at`. A task
    cannot move to another project."""

    queryset = Task.objects.order_by("id")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    scope_resource = "tasks"
    item_key, list_key = "task", "tasks"

    def create_instance(self, data):
        return services.task_create(**data)

    def update_instance(self, instance, data):
        return services.task_update(task=instance, **data)

    def destroy_instance(self, instance):
        services.task_delete(task=instance)
        return "Task deleted successfully"
