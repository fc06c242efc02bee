"""Writes to clients, projects and tasks. Every API and the admin go through these functions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from timetracker.errors import Conflict
from timetracker.services import apply_changes, save_changes
from timetracker.webhooks.services import emit

from .models import Client, Project, Task

CLIENT_FIELDS = {"name", "email", "company", "phone", "default_hourly_rate", "status"}
PROJECT_FIELDS = {"name", "description", "client", "permalink", "hourly_rate", "estimated_hours", "billable", "status"}
TASK_FIELDS = {"project", "tasklist", "name", "description", "status", "priority", "estimated_minutes", "assignee"}


# Clients


@transaction.atomic
def client_create(*, name, **fields) -> Client:
    client = Client(name=name)
    apply_changes(client, fields, CLIENT_FIELDS)
    client.save()
    emit("client.created", client)
    return client


@transaction.atomic
def client_update(*, client: Client, **changes) -> Client:
    changed = apply_changes(client, changes, CLIENT_FIELDS)
    save_changes(client, changed)
    if changed:
        emit("client.updated", client)
    return client


@transaction.atomic
def client_delete(*, client: Client) -> bool:
    """Delete the client, or archive it if it has projects (their history must keep its client).

    Returns True if the client was deleted, False if it was archived.
    """
    if client.projects.exists():
        client_update(client=client, status=Client.Status.ARCHIVED)
        return False
    client.delete()
    return True


# Projects


def unique_permalink(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:90] or "project"
    taken = set(
        Project.objects.filter(permalink__startswith=base).exclude(pk=exclude_pk).values_list("permalink", flat=True)
    )
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def _check_permalink_free(permalink, *, exclude_pk=None):
    if Project.objects.filter(permalink=permalink).exclude(pk=exclude_pk).exists():
        raise ValidationError({"permalink": [f"The permalink '{permalink}' is already used by another project."]})


@transaction.atomic
def project_create(*, name, permalink="", **fields) -> Project:
    project = Project(name=name)
    apply_changes(project, fields, PROJECT_FIELDS)
    if permalink:
        _check_permalink_free(permalink)
        project.permalink = permalink
    else:
        project.permalink = unique_permalink(name)
    project.save()
    emit("project.created", project)
    return project


@transaction.atomic
def project_update(*, project: Project, **changes) -> Project:
    if changes.get("permalink"):
        _check_permalink_free(changes["permalink"], exclude_pk=project.pk)
    elif "permalink" in changes:
        changes["permalink"] = unique_permalink(changes.get("name", project.name), exclude_pk=project.pk)
    changed = apply_changes(project, changes, PROJECT_FIELDS)
    save_changes(project, changed)
    if changed:
        emit("project.updated", project)
    if "status" in changed:
        emit("project.status_changed", project)
    return project


def project_archive(*, project: Project) -> Project:
    return project_update(project=project, status=Project.Status.ARCHIVED)


# Tasks


def check_task_placement(*, project, tasklist):
    if project.is_archived:
        raise ValidationError({"project_id": ["The project is archived; it takes no new tasks."]})
    if tasklist is not None and tasklist.project_id != project.pk:
        raise ValidationError({"tasklist_id": ["The task list belongs to another project."]})


def _completed_at(status, current):
    if status == Task.Status.DONE:
        return current or timezone.now()
    return None


@transaction.atomic
def task_create(*, project, name, tasklist=None, **fields) -> Task:
    check_task_placement(project=project, tasklist=tasklist)
    task = Task(project=project, tasklist=tasklist, name=name)
    apply_changes(task, fields, TASK_FIELDS)
    task.completed_at = _completed_at(task.status, None)
    task.save()
    emit("task.created", task)
    if task.status == Task.Status.DONE:
        emit("task.completed", task)
    return task


@transaction.atomic
def task_update(*, task: Task, **changes) -> Task:
    if "project" in changes and changes["project"].pk != task.project_id:
        # Time logged on the task belongs to its project; moving it would split that history.
        raise ValidationError({"project_id": ["A task cannot be moved to another project."]})
    if "tasklist" in changes and changes["tasklist"] != task.tasklist:
        check_task_placement(project=task.project, tasklist=changes["tasklist"])
    changed = apply_changes(task, changes, TASK_FIELDS)
    if "status" in changed:
        task.completed_at = _completed_at(task.status, task.completed_at)
        changed.append("completed_at")
    save_changes(task, changed)
    if changed:
        emit("task.updated", task)
    if "status" in changed and task.status == Task.Status.DONE:
        emit("task.completed", task)
    return task


@transaction.atomic
def task_delete(*, task: Task) -> None:
    try:
        task.delete()
    except ProtectedError:
        raise Conflict(
            "The task has logged time, so it cannot be deleted; set its status to cancelled instead."
        ) from None
