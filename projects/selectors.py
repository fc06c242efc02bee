"""Reads of clients, projects and tasks shared by the APIs."""

from django.db.models import Q, Sum

from .models import Client, Project, Task


def task_estimates(tasks) -> dict:
    """Estimated minutes of these tasks: all, active (not done) and completed (done). One query."""
    done = Q(status=Task.Status.DONE)
    return tasks.aggregate(
        total=Sum("estimated_minutes", default=0),
        active=Sum("estimated_minutes", filter=~done, default=0),
        completed=Sum("estimated_minutes", filter=done, default=0),
    )


def search_projects(query: str, limit: int):
    """Active projects whose name or description contains the query."""
    return Project.objects.filter(
        Q(name__icontains=query) | Q(description__icontains=query), status=Project.Status.ACTIVE
    ).order_by("name", "id")[:limit]


def search_tasks(query: str, limit: int):
    """Tasks of active projects whose name or description contains the query."""
    return (
        Task.objects.filter(Q(name__icontains=query) | Q(description__icontains=query))
        .filter(project__status=Project.Status.ACTIVE)
        .select_related("project")
        .order_by("name", "id")[:limit]
    )


def search_clients(query: str, limit: int):
    """Clients whose name, email or company contains the query."""
    return Client.objects.filter(
        Q(name__icontains=query) | Q(email__icontains=query) | Q(company__icontains=query)
    ).order_by("name", "id")[:limit]
