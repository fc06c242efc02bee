"""GET /api/v1/search: shapes, scopes, and what each user may find."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

UTC = datetime.timezone.utc
URL = "/api/v1/search"
RESULT_KEYS = {"type", "category", "id", "title", "description", "url", "badge"}


@pytest.fixture
def data(user, make_user, make_project, make_task, make_entry):
    from projects.models import Client

    client = Client.objects.create(name="Website Owners Ltd", email="hi@owners.example", company="Owners")
    active = make_project("Website Redesign", description="Complete website overhaul", client=client)
    archived = make_project("Old Website")
    task = make_task(active, "Update homepage", description="website hero", status="in_progress")
    make_task(archived, "Website archive task")
    archived.status = "archived"
    archived.save()
    mine = make_entry(user, active, datetime.datetime(2024, 1, 1, 9, tzinfo=UTC), notes="website fixes")
    tagged = make_entry(user, active, datetime.datetime(2024, 1, 2, 9, tzinfo=UTC), notes="misc", tags="WebsiteOps")
    theirs = make_entry(make_user("bob"), active, datetime.datetime(2024, 1, 1, 9, tzinfo=UTC), notes="website secret")
    return {"client": client, "active": active, "archived": archived, "task": task, "mine": mine, "tagged": tagged,
            "theirs": theirs}


def found(body, kind):
    return {item["id"] for item in body["results"] if item["type"] == kind}


def test_finds_every_type_in_the_spec_shape(api, data):
    body = api.get(URL, {"q": "website"}).json()
    assert body["query"] == "website"
    assert body["count"] == len(body["results"])
    assert all(set(item) == RESULT_KEYS for item in body["results"])
    assert found(body, "project") == {data["active"].pk}  # active projects only
    assert found(body, "task") == {data["task"].pk}  # tasks of active projects only
    assert found(body, "client") == {data["client"].pk}
    assert found(body, "entry") == {data["mine"].pk, data["tagged"].pk}  # notes and tags; own entries only
    task = next(item for item in body["results"] if item["type"] == "task")
    assert task == {"type": "task", "category": "task", "id": data["task"].pk, "title": "Update homepage",
                    "description": "Website Redesign", "url": f"/tasks/{data['task'].pk}", "badge": "In Progress"}


def test_an_admin_finds_everyones_entries(admin_api, data):
    body = admin_api.get(URL, {"q": "website", "types": "entry"}).json()
    assert found(body, "entry") == {data["mine"].pk, data["tagged"].pk, data["theirs"].pk}


def test_types_and_limit(api, data):
    body = api.get(URL, {"q": "website", "types": "project,client", "limit": 1}).json()
    assert {item["type"] for item in body["results"]} == {"project", "client"}
    assert body["count"] == 2


def test_clients_are_found_by_email_and_company(api, data):
    assert found(api.get(URL, {"q": "owners.example"}).json(), "client") == {data["client"].pk}


@pytest.mark.parametrize("params", [{}, {"q": "w"}, {"q": " w "}, {"q": "web", "types": "project,invoice"},
                                    {"q": "web", "limit": "0"}, {"q": "web", "limit": "many"}])
def test_bad_queries_are_400s(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"


def test_limit_is_capped_at_50(api, user, make_project):
    for index in range(55):
        make_project(f"Website {index}")
    body = api.get(URL, {"q": "website", "types": "project", "limit": 500}).json()
    assert body["count"] == 50


def test_needs_read_projects_and_searches_only_readable_types(make_client, user, data):
    assert make_client(user, ["read:time_entries"]).get(URL, {"q": "website"}).status_code == 403
    body = make_client(user, ["read:projects"]).get(URL, {"q": "website"}).json()
    assert {item["type"] for item in body["results"]} == {"project"}


def test_entry_search_queries_do_not_grow_with_matches(api, user, project, make_entry, django_assert_num_queries):
    two_months_ago = timezone.now().replace(microsecond=0) - datetime.timedelta(days=60)
    make_entry(user, project, two_months_ago, notes="deploy", tags="deploy")
    params = {"q": "deploy", "types": "entry"}
    api.get(URL, params)  # the token's first use is recorded with a write; later requests skip it
    with CaptureQueriesContext(connection) as at_one_match:
        assert api.get(URL, params).json()["count"] == 1
    for day in range(1, 20):
        make_entry(user, project, two_months_ago - datetime.timedelta(days=day), notes="deploy", tags="deploy")

    with django_assert_num_queries(len(at_one_match.captured_queries)):
        body = api.get(URL, params).json()
    assert body["count"] == 10


def test_entries_come_newest_first_and_once_each(api, user, project, make_entry):
    now = timezone.now().replace(microsecond=0)
    older = make_entry(user, project, now - datetime.timedelta(days=90), notes="Reviewed the API", tags="review")
    recent = make_entry(user, project, now - datetime.timedelta(days=2), notes="misc", tags="Review")
    newest = make_entry(user, project, now - datetime.timedelta(days=1), notes="REVIEWED again")
    body = api.get(URL, {"q": "review", "types": "entry"}).json()
    assert [item["id"] for item in body["results"]] == [newest.pk, recent.pk, older.pk]
