"""The filtersets alone: which rows each filter keeps, and which values are refused."""

import pytest

from projects.filtersets import ClientFilterSet, ProjectFilterSet, TaskFilterSet
from projects.models import Client, Project, Task


def filtered(filterset_class, model, **params):
    filterset = filterset_class(params, queryset=model.objects.order_by("id"))
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_no_filters_keep_every_row(create_project):
    projects = [create_project(), create_project(status=Project.Status.ARCHIVED)]

    assert filtered(ProjectFilterSet, Project) == projects


def test_empty_filter_values_are_ignored(create_project):
    project = create_project()

    assert filtered(ProjectFilterSet, Project, status="", client_id="") == [project]


def test_client_status_filter(create_client):
    active = create_client()
    archived = create_client(status=Client.Status.ARCHIVED)

    assert filtered(ClientFilterSet, Client, status="active") == [active]
    assert filtered(ClientFilterSet, Client, status="archived") == [archived]


@pytest.mark.parametrize("status", ["active", "on_hold", "archived"])
def test_project_status_filter(create_project, status):
    projects = {s: create_project(status=s) for s in ("active", "on_hold", "archived")}

    assert filtered(ProjectFilterSet, Project, status=status) == [projects[status]]


def test_project_client_filter(create_client, create_project):
    client = create_client()
    mine = create_project(client=client)
    create_project(client=create_client())
    create_project()

    assert filtered(ProjectFilterSet, Project, client_id=str(client.pk)) == [mine]


def test_project_filters_combine(create_client, create_project):
    client = create_client()
    active = create_project(client=client)
    create_project(client=client, status=Project.Status.ARCHIVED)

    assert filtered(ProjectFilterSet, Project, client_id=str(client.pk), status="active") == [active]


def test_task_filters_by_project_tasklist_assignee_and_status(user, create_project, create_tasklist, create_task):
    project = create_project()
    tasklist = create_tasklist(project=project)
    mine = create_task(project=project, tasklist=tasklist, assignee=user, status=Task.Status.REVIEW)
    other = create_task(project=project)
    create_task()

    assert filtered(TaskFilterSet, Task, project_id=str(project.pk)) == [mine, other]
    assert filtered(TaskFilterSet, Task, tasklist_id=str(tasklist.pk)) == [mine]
    assert filtered(TaskFilterSet, Task, assignee_id=str(user.pk)) == [mine]
    assert filtered(TaskFilterSet, Task, status="review") == [mine]
    assert filtered(TaskFilterSet, Task, project_id=str(project.pk), status="todo") == [other]


@pytest.mark.parametrize(
    "filterset_class, params",
    [
        (ClientFilterSet, {"status": "on_hold"}),
        (ProjectFilterSet, {"status": "closed"}),
        (ProjectFilterSet, {"client_id": "acme"}),
        (TaskFilterSet, {"status": "blocked"}),
        (TaskFilterSet, {"project_id": "one"}),
        (TaskFilterSet, {"tasklist_id": "x"}),
        (TaskFilterSet, {"assignee_id": "me"}),
    ],
)
def test_invalid_filter_values_are_refused(db, filterset_class, params):
    filterset = filterset_class(params, queryset=filterset_class._meta.model.objects.all())

    assert not filterset.is_valid()
    assert set(filterset.errors) == set(params)
