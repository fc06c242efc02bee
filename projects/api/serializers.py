from django.contrib.auth import get_user_model
from timetracker.api.serializers import APIModelSerializer, related_id_field, required_name_kwargs

from ..models import Client, Project, Task, Tasklist


class ClientSerializer(APIModelSerializer):
    class Meta:
        model = Client
        fields = [
            "id", "name", "email", "company", "phone", "default_hourly_rate", "status", "created_at", "updated_at",
        ]
        extra_kwargs = {"name": required_name_kwargs()}


class ProjectSerializer(APIModelSerializer):
    client_id = related_id_field(
        source="client", queryset=Client.objects.all(), label="Client", allow_null=True, required=False
    )

    class Meta:
        model = Project
        fields = [
            "id", "name", "description", "client_id", "permalink", "hourly_rate", "estimated_hours", "billable",
            "status", "created_at", "updated_at",
        ]
        extra_kwargs = {
            "name": required_name_kwargs(),
            # Uniqueness is checked by the service, which also derives a permalink when none is given.
            "permalink": {"required": False, "allow_blank": True, "validators": []},
        }


class TaskSerializer(APIModelSerializer):
    project_id = related_id_field(source="project", queryset=Project.objects.all(), label="Project")
    tasklist_id = related_id_field(
        source="tasklist", queryset=Tasklist.objects.all(), label="Task list", allow_null=True, required=False
    )
    assignee_id = related_id_field(
        source="assignee", queryset=get_user_model().objects.filter(is_active=True), label="User",
        allow_null=True, required=False,
    )

    class Meta:
        model = Task
        fields = [
            "id", "project_id", "tasklist_id", "name", "description", "status", "priority", "estimated_minutes",
            "assignee_id", "completed_at", "created_at", "updated_at",
        ]
        read_only_fields = ["completed_at"]
        extra_kwargs = {"name": required_name_kwargs()}
