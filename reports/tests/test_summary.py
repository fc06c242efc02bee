"""GET /api/v1/reports/summary against hand-computed figures."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

UTC = datetime.timezone.utc
URL = "/api/v1/reports/summary"


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def january(user, make_user, make_project, make_entry):
    """Alice: 8h + 2.5h on Website (billable), 1h15 on Internal (not billable); Bob: 3h; plus noise."""
    website, internal = make_project("Website"), make_project("Internal", billable=False)
    make_entry(user, website, at(2024, 1, 10, 9), hours=8)
    make_entry(user, website, at(2024, 1, 11, 9), hours=2.5)
    make_entry(user, internal, at(2024, 1, 12, 9), hours=1.25)
    make_entry(make_user("bob"), website, at(2024, 1, 12, 9), hours=3)
    make_entry(user, website, at(2024, 2, 1, 9), hours=4)  # outside the period
    deleted = make_entry(user, website, at(2024, 1, 13, 9), hours=5)
    from timeentries.services import time_entry_delete

    time_entry_delete(entry=deleted)
    return website, internal


def summary(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["summary"]


def test_figures_match_hand_computed_ones(api, january):
    website, internal = january
    result = summary(api, start_date="2024-01-01", end_date="2024-01-31")
    assert result == {
        "start_date": "2024-01-01T00:00:00Z",
        "end_date": "2024-01-31T23:59:59Z",
        "total_hours": 11.75,
        "billable_hours": 10.5,
        "total_entries": 3,
        "by_project": [
            {"project_id": website.pk, "project_name": "Website", "hours": 10.5, "entries": 2},
            {"project_id": internal.pk, "project_name": "Internal", "hours": 1.25, "entries": 1},
        ],
    }


def test_an_admin_sees_everyone_and_may_filter_by_user(admin_api, january):
    assert summary(admin_api, start_date="2024-01-01", end_date="2024-01-31")["total_hours"] == 14.75
    bob = get_user_model().objects.get(username="bob")
    assert summary(admin_api, start_date="2024-01-01", end_date="2024-01-31", user_id=bob.pk)["total_hours"] == 3.0


@pytest.mark.parametrize("client", ["api", "admin_api"])
def test_totals_are_the_sum_of_the_projects(request, client, january):
    result = summary(request.getfixturevalue(client), start_date="2024-01-01", end_date="2024-01-31")
    assert result["total_entries"] == sum(row["entries"] for row in result["by_project"])
    assert result["total_hours"] == sum(row["hours"] for row in result["by_project"])


def test_a_non_admin_sees_only_projects_they_worked_on(api, january, make_project, make_entry):
    bob = get_user_model().objects.get(username="bob")
    make_entry(bob, make_project("Bob's own"), at(2024, 1, 15, 9), hours=2)
    result = summary(api, start_date="2024-01-01", end_date="2024-01-31")
    assert [row["project_name"] for row in result["by_project"]] == ["Website", "Internal"]
    assert result["total_hours"] == 11.75


def test_projects_with_equal_time_are_in_id_order(api, user, make_project, make_entry):
    first, second, busiest = make_project("Zulu"), make_project("Alpha"), make_project("Mike")
    make_entry(user, second, at(2024, 1, 2, 9), hours=1)
    make_entry(user, first, at(2024, 1, 3, 9), hours=1)
    make_entry(user, busiest, at(2024, 1, 4, 9), hours=2)
    result = summary(api, start_date="2024-01-01", end_date="2024-01-31")
    assert [row["project_id"] for row in result["by_project"]] == [busiest.pk, first.pk, second.pk]


def test_an_empty_period_has_zero_totals_and_no_projects(api, january):
    result = summary(api, start_date="2023-01-01", end_date="2023-01-31")
    assert (result["total_hours"], result["billable_hours"], result["total_entries"], result["by_project"]) == (
        0.0, 0.0, 0, [])


def test_a_non_admin_cannot_report_on_others(api, january):
    bob = get_user_model().objects.get(username="bob")
    assert api.get(URL, {"user_id": bob.pk}).status_code == 403


def test_project_filter(api, january):
    _, internal = january
    result = summary(api, start_date="2024-01-01", end_date="2024-01-31", project_id=internal.pk)
    assert result["total_hours"] == 1.25 and result["billable_hours"] == 0.0


def test_running_timers_are_not_counted(api, user, project):
    from timeentries.services import timer_start

    timer_start(user=user, project=project)
    assert summary(api)["total_entries"] == 0


def test_default_period_is_the_last_30_days(api, user, project, make_entry):
    now = timezone.now()
    make_entry(user, project, now - datetime.timedelta(days=3), hours=1)
    make_entry(user, project, now - datetime.timedelta(days=40), hours=1)
    result = summary(api)
    assert result["total_entries"] == 1
    start = datetime.datetime.fromisoformat(result["start_date"])
    assert datetime.timedelta(days=29) < now - start <= datetime.timedelta(days=30)


def test_dates_are_read_in_the_users_timezone(make_client, make_user, project, make_entry):
    sydney = make_user("syd", timezone="Australia/Sydney")
    make_entry(sydney, project, at(2024, 1, 14, 13, 30), hours=1)  # 00:30 on 15 Jan in Sydney
    result = summary(make_client(sydney), start_date="2024-01-15", end_date="2024-01-15")
    assert result["total_entries"] == 1
    assert result["start_date"] == "2024-01-14T13:00:00Z"


@pytest.mark.parametrize("params", [{"start_date": "January"}, {"end_date": "2024-02-30"}, {"project_id": "x"},
                                    {"start_date": "2024-02-01", "end_date": "2024-01-01"}])
def test_bad_parameters_are_400s(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"


def test_needs_read_reports(make_client, user):
    assert make_client(user, ["read:time_entries"]).get(URL).status_code == 403
    assert make_client(user, ["read:reports"]).get(URL).status_code == 200


def test_query_count_does_not_grow_with_entries(api, user, make_project, make_entry):
    api.get("/api/v1/users/me")

    def count():
        with CaptureQueriesContext(connection) as queries:
            api.get(URL, {"start_date": "2024-01-01", "end_date": "2024-12-31"})
        return len(queries)

    make_entry(user, make_project("A"), at(2024, 1, 1, 9))
    one = count()
    for day in range(2, 22):
        make_entry(user, make_project(f"P{day}"), at(2024, 1, day, 9))
    assert count() == one
