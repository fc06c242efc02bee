"""The v1 clients, projects and tasks endpoints, as an API client meets them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Client, Project, Task
from timeentries.models import TimeEntry

UTC = datetime.timezone.utc

CLIENT_FIELDS = {"id", "name", "email", "company", "phone", "default_hourly_rate", "status", "created_at", "updated_at"}
PROJECT_FIELDS = {
    "id", "name", "description", "client_id", "permalink", "hourly_rate", "estimated_hours", "billable", "status",
    "created_at", "updated_at",
}
TASK_FIELDS = {
    "id", "project_id", "tasklist_id", "name", "description", "status", "priority", "estimated_minutes",
    "assignee_id", "completed_at", "created_at", "updated_at",
}
PAGINATION_KEYS = {"page", "per_page", "total", "pages", "has_next", "has_prev", "next_page", "prev_page"}

# resource -> (item key, list key, fields, noun used in messages)
RESOURCES = {
    "clients": ("client", "clients", CLIENT_FIELDS, "Client"),
    "projects": ("project", "projects", PROJECT_FIELDS, "Project"),
    "tasks": ("task", "tasks", TASK_FIELDS, "Task"),
}

ENDPOINTS = [
    pytest.param(resource, method, detail, id=f"{method.upper()} {resource}{'/<id>' if detail else ''}")
    for resource in RESOURCES
    for method, detail in (("get", False), ("get", True), ("post", False), ("put", True), ("patch", True),
                           ("delete", True))
]
READ_ENDPOINTS = [p for p in ENDPOINTS if p.values[1] == "get"]
WRITE_ENDPOINTS = [p for p in ENDPOINTS if p.values[1] != "get"]


def url(resource, pk=None):
    return f"/api/v1/{resource}" if pk is None else f"/api/v1/{resource}/{pk}"


def call(api, method, path, data=None):
    if method == "get":
        return api.get(path, data)
    return getattr(api, method)(path, data, format="json")


def db_state():
    return [list(model.objects.order_by("pk").values()) for model in (Client, Project, Task)]


def assert_validation_error(response, *fields):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error_code"] == "validation_error"
    for field in fields:
        assert field in body["errors"], body["errors"]
    return body["errors"]


@pytest.fixture
def one_of_each(create_client, create_project, create_task):
    """A client, a project of that client and a task in it; resource name -> pk."""
    client = create_client()
    project = create_project(client=client)
    task = create_task(project=project)
    return {"clients": client.pk, "projects": project.pk, "tasks": task.pk}


def valid_body(resource, method, one_of_each):
    """A body the endpoint accepts, so a refusal can only come from authentication or scopes."""
    if method == "post":
        return {
            "clients": {"name": "New client"},
            "projects": {"name": "New project"},
            "tasks": {"name": "New task", "project_id": one_of_each["projects"]},
        }[resource]
    if method in ("put", "patch"):
        return {"description": "Changed"} if resource != "clients" else {"phone": "+1-555-0100"}
    return None


def request_endpoint(api, resource, method, detail, one_of_each):
    path = url(resource, one_of_each[resource] if detail else None)
    return call(api, method, path, valid_body(resource, method, one_of_each))


# Authentication and scopes


@pytest.mark.parametrize("resource, method, detail", ENDPOINTS)
def test_request_without_token_is_unauthorized(anon, one_of_each, resource, method, detail):
    before = db_state()

    response = request_endpoint(anon, resource, method, detail, one_of_each)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error_code"] == "unauthorized"
    assert db_state() == before


@pytest.mark.parametrize("resource, method, detail", ENDPOINTS)
def test_token_for_other_resources_is_forbidden_and_names_the_scope(
    make_client, user, one_of_each, resource, method, detail
):
    api = make_client(user, ["write:time_entries", "read:time_entries"])
    before = db_state()

    response = request_endpoint(api, resource, method, detail, one_of_each)

    assert response.status_code == 403
    body = response.json()
    action = "read" if method == "get" else "write"
    assert body["error_code"] == "forbidden"
    assert body["required_scope"] == f"{action}:{resource}"
    assert body["available_scopes"] == ["read:time_entries", "write:time_entries"]
    assert f"'{action}:{resource}'" in body["message"]
    assert db_state() == before


@pytest.mark.parametrize("resource, method, detail", WRITE_ENDPOINTS)
def test_read_scope_does_not_allow_writes(make_client, user, one_of_each, resource, method, detail):
    api = make_client(user, [f"read:{resource}"])
    before = db_state()

    response = request_endpoint(api, resource, method, detail, one_of_each)

    assert response.status_code == 403
    assert response.json()["required_scope"] == f"write:{resource}"
    assert response.json()["available_scopes"] == [f"read:{resource}"]
    assert db_state() == before


@pytest.mark.parametrize("resource, method, detail", READ_ENDPOINTS)
@pytest.mark.parametrize("action", ["read", "write"])
def test_read_or_write_scope_allows_reading(make_client, user, one_of_each, resource, method, detail, action):
    api = make_client(user, [f"{action}:{resource}"])

    response = request_endpoint(api, resource, method, detail, one_of_each)

    assert response.status_code == 200


@pytest.mark.parametrize("resource, method, detail", WRITE_ENDPOINTS)
def test_write_scope_allows_writing(make_client, user, one_of_each, resource, method, detail):
    api = make_client(user, [f"write:{resource}"])

    response = request_endpoint(api, resource, method, detail, one_of_each)

    assert response.status_code == (201 if method == "post" else 200), response.content


# Envelopes


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_returns_resource_named_list_and_pagination(api, one_of_each, resource):
    item_key, list_key, fields, _ = RESOURCES[resource]

    body = api.get(url(resource)).json()

    assert set(body) == {list_key, "pagination"}
    assert set(body["pagination"]) == PAGINATION_KEYS
    assert [item["id"] for item in body[list_key]] == [one_of_each[resource]]
    assert set(body[list_key][0]) == fields


@pytest.mark.parametrize("resource", RESOURCES)
def test_retrieve_returns_the_item_under_its_singular_key(api, one_of_each, resource):
    item_key, _, fields, _ = RESOURCES[resource]

    response = api.get(url(resource, one_of_each[resource]))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {item_key}
    assert set(body[item_key]) == fields
    assert body[item_key]["id"] == one_of_each[resource]


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_answers_201_with_message_and_item(api, one_of_each, resource):
    item_key, _, fields, noun = RESOURCES[resource]

    response = api.post(url(resource), valid_body(resource, "post", one_of_each), format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"message", item_key}
    assert body["message"] == f"{noun} created successfully"
    assert set(body[item_key]) == fields
    assert api.get(url(resource, body[item_key]["id"])).json()[item_key] == body[item_key]


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_update_is_partial_for_put_and_patch(api, one_of_each, resource, method):
    item_key, _, fields, noun = RESOURCES[resource]
    path = url(resource, one_of_each[resource])
    before = api.get(path).json()[item_key]
    changes = valid_body(resource, method, one_of_each)

    response = call(api, method, path, changes)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"message", item_key}
    assert body["message"] == f"{noun} updated successfully"
    assert set(body[item_key]) == fields
    untouched = {key: value for key, value in before.items() if key not in changes and key != "updated_at"}
    assert {key: body[item_key][key] for key in untouched} == untouched
    for key, value in changes.items():
        assert body[item_key][key] == value


@pytest.mark.parametrize("resource", RESOURCES)
def test_delete_answers_200_with_message_only(make_client, user, create_client, create_project, create_task, resource):
    pk = {"clients": create_client, "projects": create_project, "tasks": create_task}[resource]().pk
    api = make_client(user, [f"write:{resource}"])

    response = api.delete(url(resource, pk))

    assert response.status_code == 200
    assert set(response.json()) == {"message"}


def test_project_renders_every_field_with_utc_datetimes_and_numeric_decimals(
    api, settings, create_client, create_project
):
    settings.TIME_ZONE = "America/New_York"
    client = create_client()
    project = create_project(
        name="Website Redesign", description="Complete website overhaul", client=client,
        permalink="website-redesign", hourly_rate=Decimal("75.00"), estimated_hours=Decimal("120"),
    )
    Project.objects.filter(pk=project.pk).update(
        created_at=datetime.datetime(2024, 1, 1, 10, 0, tzinfo=UTC),
        updated_at=datetime.datetime(2024, 1, 2, 11, 30, 15, tzinfo=UTC),
    )

    response = api.get(url("projects", project.pk))

    assert response.json()["project"] == {
        "id": project.pk,
        "name": "Website Redesign",
        "description": "Complete website overhaul",
        "client_id": client.pk,
        "permalink": "website-redesign",
        "hourly_rate": 75.0,
        "estimated_hours": 120.0,
        "billable": True,
        "status": "active",
        "created_at": "2024-01-01T10:00:00Z",
        "updated_at": "2024-01-02T11:30:15Z",
    }
    assert b'"hourly_rate":75.0' in response.content


def test_client_renders_every_field(api, create_client):
    client = create_client(
        name="Acme Corp", email="contact@acme.com", company="Acme Corporation", phone="+1-555-0123",
        default_hourly_rate=Decimal("80.50"),
    )
    Client.objects.filter(pk=client.pk).update(
        created_at=datetime.datetime(2024, 1, 15, 14, 30, tzinfo=UTC),
        updated_at=datetime.datetime(2024, 1, 15, 14, 30, tzinfo=UTC),
    )

    assert api.get(url("clients", client.pk)).json()["client"] == {
        "id": client.pk,
        "name": "Acme Corp",
        "email": "contact@acme.com",
        "company": "Acme Corporation",
        "phone": "+1-555-0123",
        "default_hourly_rate": 80.5,
        "status": "active",
        "created_at": "2024-01-15T14:30:00Z",
        "updated_at": "2024-01-15T14:30:00Z",
    }


def test_task_renders_every_field(api, user, create_tasklist, create_task):
    tasklist = create_tasklist()
    task = create_task(
        tasklist=tasklist, name="Implement login", description="Add authentication", status=Task.Status.DONE,
        priority=1, estimated_minutes=90, assignee=user,
        completed_at=datetime.datetime(2024, 1, 15, 17, 0, tzinfo=UTC),
    )
    Task.objects.filter(pk=task.pk).update(
        created_at=datetime.datetime(2024, 1, 15, 9, 0, tzinfo=UTC),
        updated_at=datetime.datetime(2024, 1, 15, 17, 0, tzinfo=UTC),
    )

    assert api.get(url("tasks", task.pk)).json()["task"] == {
        "id": task.pk,
        "project_id": tasklist.project_id,
        "tasklist_id": tasklist.pk,
        "name": "Implement login",
        "description": "Add authentication",
        "status": "done",
        "priority": 1,
        "estimated_minutes": 90,
        "assignee_id": user.pk,
        "completed_at": "2024-01-15T17:00:00Z",
        "created_at": "2024-01-15T09:00:00Z",
        "updated_at": "2024-01-15T17:00:00Z",
    }


# Pagination


def bulk_projects(count):
    Project.objects.bulk_create(Project(name=f"P{i:03}", permalink=f"p-{i}") for i in range(count))


def test_list_defaults_to_50_per_page(api):
    bulk_projects(51)

    first = api.get(url("projects")).json()
    second = api.get(url("projects"), {"page": 2}).json()

    assert len(first["projects"]) == 50
    assert first["pagination"] == {
        "page": 1, "per_page": 50, "total": 51, "pages": 2,
        "has_next": True, "has_prev": False, "next_page": 2, "prev_page": None,
    }
    assert [p["name"] for p in second["projects"]] == ["P050"]
    assert second["pagination"]["has_prev"] is True
    assert second["pagination"]["has_next"] is False


def test_per_page_is_clamped_to_100(api):
    bulk_projects(101)

    body = api.get(url("projects"), {"per_page": 1000}).json()

    assert len(body["projects"]) == 100
    assert body["pagination"]["per_page"] == 100
    assert body["pagination"]["pages"] == 2


def test_pages_split_the_rows_in_name_order(api):
    bulk_projects(5)

    pages = [api.get(url("projects"), {"per_page": 2, "page": page}).json()["projects"] for page in (1, 2, 3)]

    assert [[p["name"] for p in page] for page in pages] == [["P000", "P001"], ["P002", "P003"], ["P004"]]


def test_page_past_the_end_is_empty_with_truthful_pagination(api):
    bulk_projects(3)

    response = api.get(url("projects"), {"per_page": 2, "page": 5})

    assert response.status_code == 200
    assert response.json() == {
        "projects": [],
        "pagination": {
            "page": 5, "per_page": 2, "total": 3, "pages": 2,
            "has_next": False, "has_prev": True, "next_page": None, "prev_page": 4,
        },
    }


def test_a_page_beyond_any_database_offset_is_empty_not_an_error(api):
    bulk_projects(3)  # page × per_page overflows the 64-bit OFFSET both databases take

    response = api.get(url("projects"), {"per_page": 100, "page": 144115188075855873})

    assert response.status_code == 200
    assert response.json()["projects"] == []
    assert response.json()["pagination"]["total"] == 3


def test_empty_list_has_zero_pages(api):
    assert api.get(url("projects")).json() == {
        "projects": [],
        "pagination": {
            "page": 1, "per_page": 50, "total": 0, "pages": 0,
            "has_next": False, "has_prev": False, "next_page": None, "prev_page": None,
        },
    }


@pytest.mark.parametrize(
    "param, value",
    [("page", "0"), ("page", "-1"), ("page", "abc"), ("page", "1.5"), ("per_page", "0"), ("per_page", "-5"),
     ("per_page", "abc")],
)
def test_invalid_page_parameter_is_a_validation_error_naming_it(api, create_project, param, value):
    create_project()

    errors = assert_validation_error(api.get(url("projects"), {param: value}), param)

    assert list(errors) == [param]


# Projects


def test_projects_filter_by_status(api, create_project):
    active = create_project(status=Project.Status.ACTIVE)
    on_hold = create_project(status=Project.Status.ON_HOLD)
    create_project(status=Project.Status.ARCHIVED)

    assert [p["id"] for p in api.get(url("projects"), {"status": "active"}).json()["projects"]] == [active.pk]
    assert [p["id"] for p in api.get(url("projects"), {"status": "on_hold"}).json()["projects"]] == [on_hold.pk]


def test_projects_filter_by_client(api, create_client, create_project):
    client = create_client()
    mine = create_project(client=client)
    create_project(client=create_client())
    create_project()

    body = api.get(url("projects"), {"client_id": client.pk}).json()

    assert [p["id"] for p in body["projects"]] == [mine.pk]
    assert body["pagination"]["total"] == 1


@pytest.mark.parametrize("param, value", [("status", "closed"), ("client_id", "abc")])
def test_invalid_project_filter_is_a_validation_error(api, param, value):
    assert_validation_error(api.get(url("projects"), {param: value}), param)


def test_delete_archives_the_project(api, create_project):
    project = create_project()

    response = api.delete(url("projects", project.pk))

    assert response.status_code == 200
    assert response.json() == {"message": "Project archived successfully"}
    project.refresh_from_db()
    assert project.status == Project.Status.ARCHIVED
    assert api.get(url("projects", project.pk)).json()["project"]["status"] == "archived"


def test_create_derives_permalink_from_name(api):
    response = api.post(url("projects"), {"name": "Website Redesign 2024!"}, format="json")

    assert response.json()["project"]["permalink"] == "website-redesign-2024"


def test_create_makes_derived_permalink_unique_with_a_suffix(api):
    permalinks = [
        api.post(url("projects"), {"name": "Website"}, format="json").json()["project"]["permalink"]
        for _ in range(3)
    ]

    assert permalinks == ["website", "website-2", "website-3"]


def test_create_keeps_a_given_permalink(api):
    response = api.post(url("projects"), {"name": "Website", "permalink": "acme-site"}, format="json")

    assert response.status_code == 201
    assert response.json()["project"]["permalink"] == "acme-site"


def test_create_with_taken_permalink_is_rejected(api, create_project):
    create_project(permalink="acme-site")

    assert_validation_error(
        api.post(url("projects"), {"name": "Website", "permalink": "acme-site"}, format="json"), "permalink"
    )
    assert Project.objects.count() == 1


def test_update_to_taken_permalink_is_rejected(api, create_project):
    create_project(permalink="taken")
    project = create_project(permalink="mine")

    assert_validation_error(api.patch(url("projects", project.pk), {"permalink": "taken"}, format="json"), "permalink")
    project.refresh_from_db()
    assert project.permalink == "mine"


def test_renaming_keeps_the_permalink(api, create_project):
    project = create_project(name="Website", permalink="website")

    response = api.patch(url("projects", project.pk), {"name": "Shop"}, format="json")

    assert response.json()["project"]["permalink"] == "website"


def test_update_with_blank_permalink_derives_it_from_the_name(api, create_project):
    project = create_project(name="Website", permalink="custom")

    response = api.patch(url("projects", project.pk), {"name": "Online Shop", "permalink": ""}, format="json")

    assert response.json()["project"]["permalink"] == "online-shop"


def test_create_trims_the_name(api):
    response = api.post(url("projects"), {"name": "  Website  "}, format="json")

    assert response.json()["project"]["name"] == "Website"


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": None}], ids=["missing", "empty", "blank", "null"]
)
def test_create_without_name_says_name_is_required(api, body):
    errors = assert_validation_error(api.post(url("projects"), {"description": "x", **body}, format="json"), "name")

    assert errors["name"] == ["Name is required"]
    assert not Project.objects.exists()


def test_update_to_blank_name_is_rejected(api, create_project):
    project = create_project(name="Website")

    errors = assert_validation_error(api.patch(url("projects", project.pk), {"name": " "}, format="json"), "name")

    assert errors["name"] == ["Name is required"]


@pytest.mark.parametrize("field", ["hourly_rate", "estimated_hours"])
@pytest.mark.parametrize("value", [-1, "-0.01", "10.123"])
def test_create_rejects_negative_or_over_precise_amounts(api, field, value):
    assert_validation_error(api.post(url("projects"), {"name": "Website", field: value}, format="json"), field)
    assert not Project.objects.exists()


def test_create_accepts_amounts_and_returns_them_as_numbers(api):
    response = api.post(
        url("projects"), {"name": "Website", "hourly_rate": 75, "estimated_hours": "12.5"}, format="json"
    )

    project = response.json()["project"]
    assert (project["hourly_rate"], project["estimated_hours"]) == (75.0, 12.5)


def test_create_with_unknown_client_is_rejected(api):
    errors = assert_validation_error(
        api.post(url("projects"), {"name": "Website", "client_id": 999}, format="json"), "client_id"
    )

    assert errors["client_id"] == ["Client 999 does not exist."]


def test_create_with_client_links_it(api, create_client):
    client = create_client()

    response = api.post(url("projects"), {"name": "Website", "client_id": client.pk}, format="json")

    assert response.json()["project"]["client_id"] == client.pk
    assert Project.objects.get().client == client


@pytest.mark.parametrize("method", ["post", "patch"])
def test_unknown_project_status_is_rejected(api, create_project, method):
    project = create_project()
    path = url("projects") if method == "post" else url("projects", project.pk)

    assert_validation_error(call(api, method, path, {"name": "Website", "status": "closed"}), "status")


# Clients


def test_client_crud_round_trip(api):
    created = api.post(
        url("clients"), {"name": "Acme Corp", "email": "contact@acme.com", "company": "Acme Corporation"},
        format="json",
    ).json()["client"]
    pk = created["id"]

    updated = api.put(url("clients", pk), {"phone": "+1-555-0123"}, format="json").json()["client"]
    listed = api.get(url("clients")).json()["clients"]

    assert (created["name"], created["status"]) == ("Acme Corp", "active")
    assert (updated["name"], updated["phone"]) == ("Acme Corp", "+1-555-0123")
    assert listed == [updated]


def test_client_name_must_be_unique(api, create_client):
    create_client(name="Acme")

    assert_validation_error(api.post(url("clients"), {"name": "Acme"}, format="json"), "name")
    assert Client.objects.count() == 1


def test_renaming_client_to_a_taken_name_is_rejected(api, create_client):
    create_client(name="Acme")
    other = create_client(name="Globex")

    assert_validation_error(api.patch(url("clients", other.pk), {"name": "Acme"}, format="json"), "name")


def test_client_can_keep_its_own_name_on_update(api, create_client):
    client = create_client(name="Acme")

    response = api.patch(url("clients", client.pk), {"name": "Acme", "phone": "1"}, format="json")

    assert response.status_code == 200


def test_client_without_name_is_rejected(api):
    errors = assert_validation_error(api.post(url("clients"), {"email": "a@example.com"}, format="json"), "name")

    assert errors["name"] == ["Name is required"]


def test_delete_removes_a_client_without_projects(api, create_client):
    client = create_client()

    response = api.delete(url("clients", client.pk))

    assert response.status_code == 200
    assert response.json() == {"message": "Client deleted successfully"}
    assert not Client.objects.filter(pk=client.pk).exists()
    assert api.get(url("clients", client.pk)).status_code == 404


def test_delete_archives_a_client_with_projects(api, create_client, create_project):
    client = create_client()
    project = create_project(client=client)

    response = api.delete(url("clients", client.pk))

    assert response.status_code == 200
    assert "archived" in response.json()["message"]
    client.refresh_from_db()
    assert client.status == Client.Status.ARCHIVED
    project.refresh_from_db()
    assert project.client == client


def test_clients_filter_by_status(api, create_client):
    create_client(status=Client.Status.ACTIVE)
    archived = create_client(status=Client.Status.ARCHIVED)

    body = api.get(url("clients"), {"status": "archived"}).json()

    assert [c["id"] for c in body["clients"]] == [archived.pk]


def test_invalid_client_status_filter_is_rejected(api):
    assert_validation_error(api.get(url("clients"), {"status": "gone"}), "status")


# Tasks


def test_tasks_filter_by_project_status_and_tasklist(api, create_project, create_tasklist, create_task):
    project = create_project()
    tasklist = create_tasklist(project=project)
    in_list = create_task(project=project, tasklist=tasklist, status=Task.Status.DONE)
    loose = create_task(project=project, status=Task.Status.TODO)
    elsewhere = create_task(status=Task.Status.DONE)

    def ids(**params):
        return [t["id"] for t in api.get(url("tasks"), params).json()["tasks"]]

    assert ids(project_id=project.pk) == [in_list.pk, loose.pk]
    assert ids(status="done") == [in_list.pk, elsewhere.pk]
    assert ids(tasklist_id=tasklist.pk) == [in_list.pk]
    assert ids(project_id=project.pk, status="todo") == [loose.pk]


@pytest.mark.parametrize("param, value", [("status", "blocked"), ("project_id", "x"), ("tasklist_id", "x")])
def test_invalid_task_filter_is_rejected(api, param, value):
    assert_validation_error(api.get(url("tasks"), {param: value}), param)


ID_FILTERS = [("projects", "client_id"), ("tasks", "project_id"), ("tasks", "tasklist_id"), ("tasks", "assignee_id")]


@pytest.mark.parametrize("resource, param", ID_FILTERS)
def test_fractional_id_filter_is_rejected(api, user, create_client, create_project, create_tasklist, create_task,
                                          resource, param):
    project = create_project(client=create_client())
    task = create_task(project=project, tasklist=create_tasklist(project=project), assignee=user)
    target = {"client_id": project.client_id, "project_id": project.pk, "tasklist_id": task.tasklist_id,
              "assignee_id": user.pk}[param]

    # Without the fix, "<id>.5" is truncated to <id> and the list shows that row.
    assert_validation_error(api.get(url(resource), {param: f"{target}.5"}), param)


@pytest.mark.parametrize("resource, param", ID_FILTERS)
def test_out_of_range_id_filter_is_a_400_not_a_500(api, one_of_each, resource, param):
    response = api.get(url(resource), {param: "99999999999999999999"})

    assert response.status_code == 400
    assert param in response.json()["errors"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_filters_do_not_hide_a_resource_fetched_by_id(api, create_client, create_project, create_task, resource):
    pk = {
        "clients": lambda: create_client(status=Client.Status.ARCHIVED),
        "projects": lambda: create_project(status=Project.Status.ARCHIVED),
        "tasks": lambda: create_task(status=Task.Status.CANCELLED),
    }[resource]().pk

    assert api.get(url(resource, pk), {"status": "active"}).status_code == 200


def test_create_task_defaults_to_todo_with_middle_priority(api, create_project):
    project = create_project()

    task = api.post(url("tasks"), {"name": "Write docs", "project_id": project.pk}, format="json").json()["task"]

    assert (task["project_id"], task["status"], task["priority"], task["completed_at"]) == (
        project.pk, "todo", 3, None
    )


def test_create_task_in_unknown_project_is_rejected(api):
    response = api.post(url("tasks"), {"name": "T", "project_id": 999}, format="json")

    errors = assert_validation_error(response, "project_id")
    assert errors["project_id"] == ["Project 999 does not exist."]


def test_create_task_in_archived_project_is_rejected(api, create_project):
    project = create_project(status=Project.Status.ARCHIVED)

    response = api.post(url("tasks"), {"name": "T", "project_id": project.pk}, format="json")

    assert_validation_error(response, "project_id")
    assert not Task.objects.exists()


def test_create_task_without_project_is_rejected(api):
    errors = assert_validation_error(api.post(url("tasks"), {"name": "T"}, format="json"), "project_id")

    assert errors["project_id"] == ["project_id is required"]


def test_create_task_with_tasklist_of_another_project_is_rejected(api, create_project, create_tasklist):
    project = create_project()
    foreign = create_tasklist()

    assert_validation_error(
        api.post(url("tasks"), {"name": "T", "project_id": project.pk, "tasklist_id": foreign.pk}, format="json"),
        "tasklist_id",
    )
    assert not Task.objects.exists()


def test_moving_task_to_tasklist_of_another_project_is_rejected(api, create_task, create_tasklist):
    task = create_task()

    assert_validation_error(
        api.patch(url("tasks", task.pk), {"tasklist_id": create_tasklist().pk}, format="json"), "tasklist_id"
    )
    task.refresh_from_db()
    assert task.tasklist is None


@pytest.mark.parametrize("status", ["blocked", "DONE", ""])
def test_task_status_outside_the_workflow_is_rejected(api, create_project, status):
    body = {"name": "T", "project_id": create_project().pk, "status": status}

    assert_validation_error(api.post(url("tasks"), body, format="json"), "status")


@pytest.mark.parametrize("status", ["todo", "in_progress", "review", "done", "cancelled"])
def test_task_accepts_every_workflow_status(api, create_project, status):
    body = {"name": "T", "project_id": create_project().pk, "status": status}

    assert api.post(url("tasks"), body, format="json").json()["task"]["status"] == status


@pytest.mark.parametrize("priority", [0, 6, -1])
def test_task_priority_outside_1_to_5_is_rejected(api, create_task, priority):
    task = create_task()

    assert_validation_error(api.patch(url("tasks", task.pk), {"priority": priority}, format="json"), "priority")
    body = {"name": "T", "project_id": task.project_id, "priority": priority}
    assert_validation_error(api.post(url("tasks"), body, format="json"), "priority")


def test_moving_task_to_another_project_is_rejected(api, create_task, create_project):
    task = create_task()
    other = create_project()

    assert_validation_error(api.patch(url("tasks", task.pk), {"project_id": other.pk}, format="json"), "project_id")
    task.refresh_from_db()
    assert task.project != other


def test_reaching_done_sets_completed_at_and_leaving_done_clears_it(api, create_task):
    task = create_task()
    path = url("tasks", task.pk)

    done = api.patch(path, {"status": "done"}, format="json").json()["task"]
    renamed = api.patch(path, {"name": "Renamed"}, format="json").json()["task"]
    reopened = api.patch(path, {"status": "in_progress"}, format="json").json()["task"]

    assert done["completed_at"] is not None
    assert renamed["completed_at"] == done["completed_at"]
    assert reopened["completed_at"] is None


def test_task_created_done_is_completed(api, create_project):
    body = {"name": "T", "project_id": create_project().pk, "status": "done"}

    assert api.post(url("tasks"), body, format="json").json()["task"]["completed_at"] is not None


def test_completed_at_cannot_be_written(api, create_task):
    task = create_task()

    response = api.patch(url("tasks", task.pk), {"completed_at": "2024-01-01T10:00:00Z"}, format="json")

    assert response.json()["task"]["completed_at"] is None


def test_delete_removes_the_task(api, create_task):
    task = create_task()

    response = api.delete(url("tasks", task.pk))

    assert response.json() == {"message": "Task deleted successfully"}
    assert not Task.objects.filter(pk=task.pk).exists()


def test_delete_of_task_with_logged_time_conflicts_and_keeps_it(api, user, create_task):
    task = create_task()
    start = datetime.datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    TimeEntry.objects.create(
        user=user, project=task.project, task=task, start_time=start, end_time=start + datetime.timedelta(hours=1)
    )

    response = api.delete(url("tasks", task.pk))

    assert response.status_code == 409
    assert response.json()["error_code"] == "conflict"
    assert Task.objects.filter(pk=task.pk).exists()


def test_resending_unchanged_tasklist_of_task_in_archived_project_is_accepted(api, create_tasklist, create_task):
    tasklist = create_tasklist()
    task = create_task(tasklist=tasklist)
    Project.objects.filter(pk=tasklist.project_id).update(status=Project.Status.ARCHIVED)

    response = api.put(url("tasks", task.pk), {"tasklist_id": tasklist.pk, "status": "done"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["task"]["status"] == "done"


# Errors


@pytest.mark.parametrize("method, detail", [("post", False), ("put", True), ("patch", True)])
def test_malformed_json_body_is_a_json_400(api, create_project, method, detail):
    path = url("projects", create_project().pk if detail else None)

    response = getattr(api, method)(path, '{"name": ', content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error_code"] == "bad_request"
    assert body["message"]


@pytest.mark.parametrize("method, detail", [("post", False), ("put", True), ("patch", True)])
def test_json_list_body_is_a_validation_error(api, create_project, method, detail):
    path = url("projects", create_project().pk if detail else None)

    errors = assert_validation_error(call(api, method, path, [{"name": "Website"}]))

    assert list(errors) == ["non_field_errors"]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_id_is_a_json_404(api, resource, method):
    response = call(api, method, url(resource, 999), {"name": "x"} if method == "patch" else None)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error_code"] == "not_found"


@pytest.mark.parametrize("resource", RESOURCES)
def test_non_numeric_id_is_a_json_404(api, resource):
    response = api.get(url(resource, "abc"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error_code"] == "not_found"


@pytest.mark.parametrize("resource", RESOURCES)
def test_trailing_slash_is_accepted(api, one_of_each, resource):
    assert api.get(url(resource) + "/").status_code == 200
    assert api.get(url(resource, one_of_each[resource]) + "/").status_code == 200


# Query counts


@pytest.fixture
def add_rows(make_user, create_client, create_project, create_tasklist, create_task):
    """add_rows(resource, n): n rows, each with the relations its serializer renders."""
    assignee = None

    def add(resource, count):
        nonlocal assignee
        for _ in range(count):
            if resource == "clients":
                create_client()
            elif resource == "projects":
                create_project(client=create_client())
            else:
                assignee = assignee or make_user()
                create_task(tasklist=create_tasklist(), assignee=assignee)

    return add


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_query_count_does_not_grow_with_rows(api, add_rows, django_assert_num_queries, resource):
    add_rows(resource, 1)
    api.get(url(resource))  # the token's first use is recorded with a write; later requests skip it
    with CaptureQueriesContext(connection) as at_one_row:
        assert len(api.get(url(resource)).json()[resource]) == 1
    add_rows(resource, 19)

    with django_assert_num_queries(len(at_one_row.captured_queries)):
        assert len(api.get(url(resource)).json()[resource]) == 20
