"""The OpenAPI schema (/api/schema/) and the interactive docs (/api/docs, /api/redoc)."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
V1_OPEN_PATHS = {"/api/v1/info", "/api/v1/health"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema, prefix=""):
    for path, item in schema["paths"].items():
        if path.startswith(prefix):
            for method, operation in item.items():
                if method in METHODS:
                    yield path, method, operation


def resolve(schema, ref):
    kind, name = ref["$ref"].split("/")[-2:]
    return schema["components"][kind][name]


def response_schema(schema, operation, status="200", media_type="application/json"):
    return operation["responses"][status]["content"][media_type]["schema"]


def test_validate_command_passes_without_warnings(tmp_path):
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr


def test_schema_is_served_as_json_at_both_addresses(anon, db):
    for url in ("/api/schema/", "/api/openapi.json"):
        response = anon.get(url)
        assert response.status_code == 200
        assert response.json()["openapi"].startswith("3.")
        assert "/api/v1/projects" in response.json()["paths"]


def test_every_reference_resolves_however_often_the_schema_is_generated(anon, db):
    for _ in range(2):  # the second generation once lost the enum components the first had rewritten
        schema = anon.get("/api/schema/").json()
        text = json.dumps(schema)
        for kind, name in set(re.findall(r'"#/components/(\w+)/([\w.-]+)"', text)):
            assert name in schema["components"][kind], (kind, name)


def test_every_v1_operation_names_the_scope_it_needs(schema):
    seen = 0
    for path, method, operation in operations(schema, "/api/v1/"):
        if path in V1_OPEN_PATHS:
            assert "x-required-scope" not in operation and operation["security"] == [{}]
            continue
        scope = operation["x-required-scope"]
        assert scope.split(":")[0] == ("read" if method == "get" else "write"), (path, method, scope)
        assert f"`{scope}`" in operation["description"]
        seen += 1
    assert seen > 30
    paths = schema["paths"]
    assert paths["/api/v1/projects"]["get"]["x-required-scope"] == "read:projects"
    assert paths["/api/v1/time-entries/{id}"]["delete"]["x-required-scope"] == "write:time_entries"
    assert paths["/api/v1/search"]["get"]["x-required-scope"] == "read:projects"
    inventory = paths["/api/v1/inventory/items"]["post"]
    assert inventory["x-required-scope"] == "write:projects"
    assert inventory["x-accepted-scopes"] == ["write:projects", "write:inventory"]


def test_resource_envelopes_wrap_the_resource(schema):
    projects, project = schema["paths"]["/api/v1/projects"], schema["paths"]["/api/v1/projects/{id}"]

    retrieved = resolve(schema, response_schema(schema, project["get"]))
    assert retrieved["properties"] == {"project": {"$ref": "#/components/schemas/Project"}}
    assert retrieved["required"] == ["project"]
    for operation, status in ((projects["post"], "201"), (project["put"], "200"), (project["patch"], "200")):
        saved = resolve(schema, response_schema(schema, operation, status))
        assert set(saved["required"]) == {"message", "project"}
    deleted = resolve(schema, response_schema(schema, project["delete"]))
    assert deleted["required"] == ["message"]


def test_lists_have_the_resource_named_key_and_the_pagination_object(schema):
    listed = resolve(schema, response_schema(schema, schema["paths"]["/api/v1/time-entries"]["get"]))
    assert set(listed["required"]) == {"time_entries", "pagination"}
    assert listed["properties"]["time_entries"]["items"] == {"$ref": "#/components/schemas/TimeEntry"}
    pagination = resolve(schema, listed["properties"]["pagination"])
    assert pagination["required"] == [
        "page", "per_page", "total", "pages", "has_next", "has_prev", "next_page", "prev_page",
    ]
    transfers = resolve(schema, response_schema(schema, schema["paths"]["/api/v1/inventory/transfers"]["get"]))
    assert set(transfers["required"]) == {"transfers", "pagination"}


def test_list_parameters_are_described(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/time-entries"]["get"]["parameters"]}
    assert {"project_id", "user_id", "start_date", "end_date", "billable", "include_active", "tags", "page",
            "per_page"} <= set(parameters)
    assert parameters["project_id"]["schema"]["type"] == "integer"
    assert parameters["billable"]["schema"]["type"] == "boolean"
    status = {p["name"]: p for p in schema["paths"]["/api/v1/projects"]["get"]["parameters"]}["status"]
    assert status["schema"]["enum"] == ["active", "archived", "on_hold"]


def test_put_takes_a_partial_body_like_patch(schema):
    body = schema["paths"]["/api/v1/projects/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PatchedProjectRequest"}
    assert "required" not in resolve(schema, body)


def test_hand_written_views_describe_their_bodies(schema):
    paths = schema["paths"]
    expected = {
        ("/api/v1/info", "get", "200"): {"api_version", "app_version", "documentation_url", "endpoints"},
        ("/api/v1/users/me", "get", "200"): {"user", "scopes"},
        ("/api/v1/timer/status", "get", "200"): {"active", "timer"},
        ("/api/v1/timer/start", "post", "201"): {"message", "timer"},
        ("/api/v1/timer/stop", "post", "200"): {"message", "time_entry"},
        ("/api/v1/search", "get", "200"): {"results", "query", "count"},
        ("/api/v1/reports/summary", "get", "200"): {"summary"},
        ("/api/v1/inventory/reports/valuation", "get", "200"): {"total_value", "by_warehouse", "by_category",
                                                                "item_details", "currency_code"},
        ("/api/v1/inventory/reports/turnover", "get", "200"): {"start_date", "end_date", "items"},
        ("/api/v1/inventory/reports/low-stock", "get", "200"): {"items"},
        ("/api/v1/inventory/transfers", "post", "201"): {"message", "reference_id", "transfers"},
        ("/api/v1/inventory/transfers/{reference_id}", "get", "200"): {"transfer"},
    }
    for (path, method, status), keys in expected.items():
        body = resolve(schema, response_schema(schema, paths[path][method], status))
        assert keys <= set(body["properties"]), path
    health = paths["/api/v1/health"]["get"]["responses"]
    assert {"200", "503"} <= set(health)
    search = {p["name"]: p for p in paths["/api/v1/search"]["get"]["parameters"]}
    assert search["q"]["required"] is True and {"limit", "types"} <= set(search)


def test_errors_are_shared_components(schema):
    project = schema["paths"]["/api/v1/projects/{id}"]
    for status, name in (("400", "BadRequest"), ("401", "Unauthorized"), ("403", "Forbidden"), ("404", "NotFound"),
                         ("429", "RateLimited")):
        assert project["get"]["responses"][status] == {"$ref": f"#/components/responses/{name}"}
    responses = schema["components"]["responses"]
    assert responses["RateLimited"]["headers"]["Retry-After"]
    validation = resolve(schema, responses["BadRequest"]["content"]["application/json"]["schema"])
    assert "errors" in validation["allOf"][1]["properties"]
    scope_error = resolve(schema, responses["Forbidden"]["content"]["application/json"]["schema"])
    assert {"required_scope", "available_scopes"} <= set(scope_error["allOf"][1]["properties"])
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "message", "error_code"]


def test_security_schemes_offer_bearer_api_key_basic_and_the_staff_session(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert (schemes["apiKeyAuth"]["type"], schemes["apiKeyAuth"]["in"], schemes["apiKeyAuth"]["name"]) == (
        "apiKey", "header", "X-API-Key")
    assert (schemes["basicAuth"]["type"], schemes["basicAuth"]["scheme"]) == ("http", "basic")
    assert (schemes["cookieAuth"]["type"], schemes["cookieAuth"]["in"]) == ("apiKey", "cookie")
    v1 = schema["paths"]["/api/v1/projects"]["get"]["security"]
    assert {"bearerAuth": []} in v1 and {"apiKeyAuth": []} in v1 and {"basicAuth": []} not in v1
    teamwork = schema["paths"]["/teamwork/time_entries.json"]["get"]["security"]
    assert {"basicAuth": []} in teamwork


def test_compatibility_apis_are_listed_and_tagged(schema):
    teamwork = list(operations(schema, "/teamwork/"))
    codebase = list(operations(schema, "/codebase/"))
    assert len(teamwork) >= 12 and len(codebase) >= 8
    assert all(operation["tags"] == ["Teamwork"] for _, _, operation in teamwork)
    assert all(operation["tags"] == ["Codebase"] for _, _, operation in codebase)
    assert all(operation["tags"][0] not in ("Teamwork", "Codebase") for _, _, operation in operations(schema, "/api/"))

    entries = schema["paths"]["/teamwork/time_entries.json"]["get"]
    assert {"fromdate", "todate", "page", "pageSize", "sortby"} <= {p["name"] for p in entries["parameters"]}
    listed = resolve(schema, response_schema(schema, entries))
    assert "time-entries" in listed["properties"]
    assert entries["responses"]["400"] == {"$ref": "#/components/responses/TeamworkBadRequest"}

    sessions = schema["paths"]["/codebase/{project}/time_sessions"]
    assert set(sessions["get"]["responses"]["200"]["content"]) == {"application/xml", "application/json"}
    assert set(sessions["post"]["requestBody"]["content"]) == {"application/xml", "application/json"}
    xml = resolve(schema, response_schema(schema, sessions["get"], media_type="application/xml"))
    assert xml["xml"] == {"name": "time-sessions", "wrapped": True}
    assert "content" not in schema["components"]["responses"]["CodebaseNotFound"]  # Codebase's empty 404


# Interactive docs in a real browser, served by the app itself, with every other host unreachable.

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def render(url) -> str:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
             "--virtual-time-budget=15000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_swagger_ui_lists_the_operations_offline(live_server):
    dom = render(f"{live_server.url}/api/docs")
    assert 'class="swagger-ui' in dom
    for operation_id in ("operations-Projects-api_v1_projects_list", "operations-Time_entries-api_v1_time_entries_create",
                         "operations-Teamwork-teamwork_time_entries_get", "operations-Codebase-codebase_project_time_sessions_get"):
        assert re.search(rf'class="opblock[^"]*" id="{operation_id}"', dom), operation_id
    assert len(re.findall(r'class="opblock opblock-', dom)) >= 60
    assert 'class="btn authorize' in dom  # the Authorize button for the security schemes


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_redoc_lists_the_operations_offline(live_server):
    dom = render(f"{live_server.url}/api/redoc")
    assert "List projects" in dom and "Log a time session" in dom


def test_docs_pages_load_nothing_from_other_hosts(anon, db):
    for url in ("/api/docs", "/api/redoc"):
        html = anon.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
