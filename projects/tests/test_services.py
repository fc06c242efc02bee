"""The rules of projects/services.py, called directly where they live."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Client, Project, Task
from timetracker.errors import Conflict
from timeentries.models import TimeEntry

UTC = datetime.timezone.utc


def error_fields(excinfo):
    return set(excinfo.value.message_dict)


# Clients


def test_client_create_sets_the_given_fields(db):
    client = services.client_create(name="Acme", email="contact@acme.com", status=Client.Status.ARCHIVED)

    client.refresh_from_db()
    assert (client.name, client.email, client.status) == ("Acme", "contact@acme.com", "archived")


def test_client_update_rejects_unknown_fields(create_client):
    with pytest.raises(TypeError):
        services.client_update(client=create_client(), nickname="A")


def test_client_update_saves_only_real_changes(create_client):
    client = create_client(name="Acme")
    stamp = Client.objects.get(pk=client.pk).updated_at

    services.client_update(client=client, name="Acme")

    assert Client.objects.get(pk=client.pk).updated_at == stamp


def test_client_delete_removes_a_client_without_projects(create_client):
    client = create_client()

    assert services.client_delete(client=client) is True
    assert not Client.objects.filter(pk=client.pk).exists()


def test_client_delete_archives_a_client_with_projects(create_client, create_project):
    client = create_client()
    create_project(client=client, status=Project.Status.ARCHIVED)

    assert services.client_delete(client=client) is False
    client.refresh_from_db()
    assert client.status == Client.Status.ARCHIVED


# Permalinks


def test_unique_permalink_is_the_slug_of_the_name(db):
    assert services.unique_permalink("Website Redesign: Phase 2!") == "website-redesign-phase-2"


def test_unique_permalink_adds_the_first_free_suffix(create_project):
    create_project(permalink="website")
    create_project(permalink="website-2")

    assert services.unique_permalink("Website") == "website-3"


def test_unique_permalink_ignores_permalinks_that_only_share_a_prefix(create_project):
    create_project(permalink="website-redesign")

    assert services.unique_permalink("Website") == "website"


def test_unique_permalink_does_not_count_the_project_itself(create_project):
    project = create_project(permalink="website")

    assert services.unique_permalink("Website", exclude_pk=project.pk) == "website"


def test_unique_permalink_falls_back_when_the_name_has_no_slug(create_project):
    assert services.unique_permalink("!!!") == "project"
    create_project(permalink="project")
    assert services.unique_permalink("???") == "project-2"


def test_unique_permalink_fits_the_field_even_with_a_suffix(create_project):
    name = "x" * 150
    create_project(permalink="x" * 90)

    permalink = services.unique_permalink(name)

    assert permalink == "x" * 90 + "-2"
    assert len(permalink) <= Project._meta.get_field("permalink").max_length


def test_project_create_derives_a_unique_permalink(create_project):
    create_project(permalink="website")

    assert services.project_create(name="Website").permalink == "website-2"


def test_project_create_refuses_a_taken_permalink(create_project):
    create_project(permalink="website")

    with pytest.raises(ValidationError) as excinfo:
        services.project_create(name="Other", permalink="website")

    assert error_fields(excinfo) == {"permalink"}
    assert Project.objects.count() == 1


def test_project_update_regenerates_a_blank_permalink_from_the_name(create_project):
    project = create_project(name="Website", permalink="custom")

    services.project_update(project=project, permalink="")

    project.refresh_from_db()
    assert project.permalink == "website"


def test_project_update_regenerates_from_the_new_name_and_stays_unique(create_project):
    create_project(permalink="online-shop")
    project = create_project(name="Website", permalink="custom")

    services.project_update(project=project, name="Online Shop", permalink="")

    project.refresh_from_db()
    assert (project.name, project.permalink) == ("Online Shop", "online-shop-2")


def test_project_update_keeps_its_own_permalink(create_project):
    project = create_project(permalink="website")

    services.project_update(project=project, permalink="website", name="Renamed")

    project.refresh_from_db()
    assert (project.name, project.permalink) == ("Renamed", "website")


def test_project_update_refuses_a_permalink_of_another_project(create_project):
    create_project(permalink="taken")
    project = create_project(permalink="mine")

    with pytest.raises(ValidationError) as excinfo:
        services.project_update(project=project, permalink="taken")

    assert error_fields(excinfo) == {"permalink"}


def test_project_archive_keeps_the_row(create_project):
    project = create_project()

    services.project_archive(project=project)

    assert Project.objects.get(pk=project.pk).status == Project.Status.ARCHIVED


# Tasks


def test_task_create_refuses_an_archived_project(create_project):
    project = create_project(status=Project.Status.ARCHIVED)

    with pytest.raises(ValidationError) as excinfo:
        services.task_create(project=project, name="T")

    assert error_fields(excinfo) == {"project_id"}
    assert not Task.objects.exists()


def test_task_create_refuses_a_tasklist_of_another_project(create_project, create_tasklist):
    with pytest.raises(ValidationError) as excinfo:
        services.task_create(project=create_project(), name="T", tasklist=create_tasklist())

    assert error_fields(excinfo) == {"tasklist_id"}


def test_task_create_accepts_a_tasklist_of_its_project(create_tasklist):
    tasklist = create_tasklist()

    task = services.task_create(project=tasklist.project, name="T", tasklist=tasklist)

    assert Task.objects.get(pk=task.pk).tasklist == tasklist


def test_task_create_done_sets_completed_at(create_project):
    task = services.task_create(project=create_project(), name="T", status=Task.Status.DONE)

    assert Task.objects.get(pk=task.pk).completed_at is not None


def test_task_create_not_done_has_no_completed_at(create_project):
    task = services.task_create(project=create_project(), name="T", status=Task.Status.REVIEW)

    assert task.completed_at is None


def test_task_update_refuses_moving_to_another_project(create_task, create_project):
    task = create_task()

    with pytest.raises(ValidationError) as excinfo:
        services.task_update(task=task, project=create_project())

    assert error_fields(excinfo) == {"project_id"}


def test_task_update_accepts_its_own_project(create_task):
    task = create_task()

    services.task_update(task=task, project=task.project, name="Renamed")

    assert Task.objects.get(pk=task.pk).name == "Renamed"


def test_task_update_refuses_a_tasklist_of_another_project(create_task, create_tasklist):
    task = create_task()

    with pytest.raises(ValidationError) as excinfo:
        services.task_update(task=task, tasklist=create_tasklist())

    assert error_fields(excinfo) == {"tasklist_id"}
    assert Task.objects.get(pk=task.pk).tasklist is None


def test_task_update_to_done_sets_completed_at_once(create_task):
    task = create_task()

    services.task_update(task=task, status=Task.Status.DONE)
    completed_at = Task.objects.get(pk=task.pk).completed_at
    services.task_update(task=task, name="Renamed", status=Task.Status.DONE)

    assert completed_at is not None
    assert Task.objects.get(pk=task.pk).completed_at == completed_at


def test_task_update_leaving_done_clears_completed_at(create_task):
    task = create_task(status=Task.Status.DONE, completed_at=datetime.datetime(2024, 1, 1, tzinfo=UTC))

    services.task_update(task=task, status=Task.Status.TODO)

    assert Task.objects.get(pk=task.pk).completed_at is None


def test_task_update_of_other_fields_keeps_completed_at(create_task):
    completed_at = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    task = create_task(status=Task.Status.DONE, completed_at=completed_at)

    services.task_update(task=task, priority=1)

    assert Task.objects.get(pk=task.pk).completed_at == completed_at


def test_task_delete_removes_the_task(create_task):
    task = create_task()

    services.task_delete(task=task)

    assert not Task.objects.filter(pk=task.pk).exists()


def test_task_delete_with_logged_time_is_a_conflict(user, create_task):
    task = create_task()
    start = datetime.datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    TimeEntry.objects.create(
        user=user, project=task.project, task=task, start_time=start, end_time=start + datetime.timedelta(hours=1)
    )

    with pytest.raises(Conflict):
        services.task_delete(task=task)

    assert Task.objects.filter(pk=task.pk).exists()
