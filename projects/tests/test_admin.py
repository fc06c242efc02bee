"""The admin of clients, projects, tasklists and tasks, as a superuser uses it."""

import pytest
from django.urls import reverse

from projects.models import Client, Project, Task, Tasklist

MODELS = ["client", "project", "tasklist", "task"]


def admin_url(model, page, *args):
    return reverse(f"admin:projects_{model}_{page}", args=args)


def form_data(response, **overrides):
    """The POST body the admin page would send unchanged, with ``overrides`` applied (False unticks)."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "" if value is None else value
    return data


def submit(browser, url, **overrides):
    return browser.post(url, form_data(browser.get(url), **overrides))


def form_errors(response):
    assert response.status_code == 200, "the form was expected to be shown again with errors"
    return response.context["adminform"].form.errors


@pytest.fixture
def one_of_each(create_client, create_project, create_tasklist, create_task):
    project = create_project(name="Website", client=create_client(name="Acme"))
    tasklist = create_tasklist(project=project)
    task = create_task(project=project, tasklist=tasklist)
    return {"client": project.client, "project": project, "tasklist": tasklist, "task": task}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_admin_page_renders(admin_browser, one_of_each, model, page):
    args = (one_of_each[model].pk,) if page == "change" else ()

    assert admin_browser.get(admin_url(model, page, *args)).status_code == 200


def test_admin_pages_need_a_staff_login(db, client, one_of_each):
    response = client.get(admin_url("project", "changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    "model, query, expected",
    [
        ("client", "acme", ["Acme"]),
        ("project", "acme", ["Website"]),  # by client name
        ("tasklist", "website", ["Design"]),  # by project name
        ("task", "website", ["Homepage"]),  # by project name
    ],
)
def test_admin_search_finds_matching_rows(
    admin_browser, create_client, create_project, create_tasklist, create_task, model, query, expected
):
    website = create_project(name="Website", client=create_client(name="Acme"))
    shop = create_project(name="Shop", client=create_client(name="Globex"))
    create_tasklist(project=website, name="Design")
    create_tasklist(project=shop, name="Checkout")
    create_task(project=website, name="Homepage")
    create_task(project=shop, name="Cart")

    response = admin_browser.get(admin_url(model, "changelist"), {"q": query})

    assert [str(row) for row in response.context["cl"].result_list] == expected


@pytest.mark.parametrize(
    "model, status, matching",
    [
        ("client", "archived", "Old client"),
        ("project", "on_hold", "Paused project"),
        ("task", "done", "Finished task"),
    ],
)
def test_admin_status_filter_keeps_matching_rows(
    admin_browser, create_client, create_project, create_task, model, status, matching
):
    create_client(name="Old client", status=Client.Status.ARCHIVED)
    create_client(name="Current client")
    create_project(name="Paused project", status=Project.Status.ON_HOLD)
    create_project(name="Running project")
    create_task(name="Finished task", status=Task.Status.DONE)
    create_task(name="Open task")

    response = admin_browser.get(admin_url(model, "changelist"), {"status__exact": status})

    assert [str(row) for row in response.context["cl"].result_list] == [matching]


def test_admin_project_add_without_permalink_derives_it(admin_browser, create_project):
    create_project(permalink="website-redesign")

    response = submit(admin_browser, admin_url("project", "add"), name="Website Redesign", permalink="")

    assert response.status_code == 302
    assert Project.objects.get(name="Website Redesign").permalink == "website-redesign-2"


def test_admin_project_add_with_taken_permalink_shows_a_form_error(admin_browser, create_project):
    create_project(permalink="website")

    response = submit(admin_browser, admin_url("project", "add"), name="Other", permalink="website")

    assert "permalink" in form_errors(response)
    assert not Project.objects.filter(name="Other").exists()


def test_admin_project_add_saves_its_tasklists(admin_browser):
    url = admin_url("project", "add")
    data = form_data(admin_browser.get(url), name="Website")
    data.update({"tasklists-TOTAL_FORMS": "1", "tasklists-0-name": "Design", "tasklists-0-description": ""})

    response = admin_browser.post(url, data)

    assert response.status_code == 302
    assert list(Tasklist.objects.values_list("project__name", "name")) == [("Website", "Design")]


def test_admin_project_change_saves_the_edits(admin_browser, create_project):
    project = create_project(name="Website", permalink="website")

    response = submit(admin_browser, admin_url("project", "change", project.pk), name="Shop", billable=False)

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.billable, project.permalink) == ("Shop", False, "website")


def test_admin_project_change_with_blank_permalink_rederives_it(admin_browser, create_project):
    project = create_project(name="Website", permalink="custom")

    response = submit(admin_browser, admin_url("project", "change", project.pk), name="Shop", permalink="")

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.permalink) == ("Shop", "shop")


def test_admin_client_change_saves_the_edits(admin_browser, create_client):
    client = create_client(name="Acme")

    response = submit(admin_browser, admin_url("client", "change", client.pk), name="Acme Corp", phone="+1-555")

    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.name, client.phone) == ("Acme Corp", "+1-555")


def test_admin_archive_action_archives_the_selected_projects(admin_browser, create_project):
    chosen, other = create_project(), create_project()

    response = admin_browser.post(
        admin_url("project", "changelist"), {"action": "archive_projects", "_selected_action": [chosen.pk]}
    )

    assert response.status_code == 302
    assert Project.objects.get(pk=chosen.pk).status == Project.Status.ARCHIVED
    assert Project.objects.get(pk=other.pk).status == Project.Status.ACTIVE


def test_admin_task_add_with_tasklist_of_another_project_shows_a_form_error(
    admin_browser, create_project, create_tasklist
):
    project = create_project()
    foreign = create_tasklist()

    response = submit(admin_browser, admin_url("task", "add"), name="T", project=project.pk, tasklist=foreign.pk)

    assert form_errors(response)["tasklist"] == ["The task list belongs to another project."]
    assert not Task.objects.exists()


def test_admin_task_add_in_archived_project_shows_a_form_error(admin_browser, create_project):
    project = create_project(status=Project.Status.ARCHIVED)

    response = submit(admin_browser, admin_url("task", "add"), name="T", project=project.pk)

    assert "project" in form_errors(response)
    assert not Task.objects.exists()


def test_admin_task_add_done_sets_completed_at(admin_browser, create_tasklist):
    tasklist = create_tasklist()

    response = submit(
        admin_browser, admin_url("task", "add"), name="T", project=tasklist.project_id, tasklist=tasklist.pk,
        status="done",
    )

    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.tasklist, task.completed_at is not None) == (tasklist, True)


def test_admin_task_change_to_done_sets_completed_at(admin_browser, create_task):
    task = create_task()

    response = submit(admin_browser, admin_url("task", "change", task.pk), status="done", name="Renamed")

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.name, task.completed_at is not None) == ("done", "Renamed", True)


def test_admin_task_change_to_tasklist_of_another_project_shows_a_form_error(
    admin_browser, create_task, create_tasklist
):
    task = create_task()

    response = submit(admin_browser, admin_url("task", "change", task.pk), tasklist=create_tasklist().pk)

    assert "tasklist" in form_errors(response)
    task.refresh_from_db()
    assert task.tasklist is None


def test_admin_task_project_is_read_only_once_created(admin_browser, create_task, create_project):
    task = create_task()
    other = create_project()

    response = submit(admin_browser, admin_url("task", "change", task.pk), project=other.pk, name="Renamed")

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.name, task.project_id) == ("Renamed", task.project_id)
    assert task.project != other
