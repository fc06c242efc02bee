"""Time entries in the admin: filters, the mark-invoiced and restore actions, saves through the services."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from timeentries.models import TimeEntry

UTC = datetime.timezone.utc
URL = "/admin/timeentries/timeentry/"


@pytest.fixture
def admin_client(client, make_user):
    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


@pytest.fixture
def entries(user, project, make_entry):
    invoiced = make_entry(user, project, datetime.datetime(2024, 1, 1, 9, tzinfo=UTC), invoice_number="INV-1")
    plain = make_entry(user, project, datetime.datetime(2024, 1, 2, 9, tzinfo=UTC), notes="plain")
    return invoiced, plain


@pytest.mark.parametrize("query", ["", "?invoiced=yes", "?invoiced=no", "?deleted=yes", "?billable__exact=1",
                                   "?q=plain", "?start_time__year=2024"])
def test_changelist_filters_answer(admin_client, entries, query):
    assert admin_client.get(URL + query).status_code == 200


def test_invoiced_filter_selects_invoiced_entries(admin_client, entries):
    response = admin_client.get(URL + "?invoiced=yes")
    assert list(response.context["cl"].queryset) == [entries[0]]


def test_mark_invoiced_asks_for_the_number_then_applies_it(admin_client, entries):
    plain = entries[1]
    ask = admin_client.post(URL, {"action": "mark_invoiced", ACTION_CHECKBOX_NAME: [plain.pk]})
    assert ask.status_code == 200
    assert b"invoice_number" in ask.content
    done = admin_client.post(URL, {"action": "mark_invoiced", ACTION_CHECKBOX_NAME: [plain.pk], "apply": "1",
                                   "invoice_number": "INV-9"})
    assert done.status_code == 302
    plain.refresh_from_db()
    assert plain.invoice_number == "INV-9"


def test_deleting_in_the_admin_is_soft_and_restore_undoes_it(admin_client, entries):
    entry = entries[1]
    admin_client.post(URL, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [entry.pk], "post": "yes"})
    entry = TimeEntry.all_objects.get(pk=entry.pk)
    assert entry.deleted_at is not None
    assert admin_client.get(URL + "?deleted=yes").context["cl"].result_count == 1

    admin_client.post(URL, {"action": "restore_entries", ACTION_CHECKBOX_NAME: [entry.pk]})
    entry.refresh_from_db()
    assert entry.deleted_at is None


def _form(user, project, **overrides):
    data = {
        "user": user.pk, "project": project.pk, "task": "", "start_time_0": "2024-01-05", "start_time_1": "09:00:00",
        "end_time_0": "2024-01-05", "end_time_1": "10:30:00", "has_start_time": "on", "notes": "from admin",
        "billable": "on", "invoice_number": "", "ticket_id": "",
    }
    data.update(overrides)
    return data


def test_adding_in_the_admin_goes_through_the_service(admin_client, user, project):
    response = admin_client.post(URL + "add/", _form(user, project))
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = TimeEntry.objects.get(notes="from admin")
    assert entry.source == "admin"
    assert entry.duration_seconds == 90 * 60


def test_changing_in_the_admin_recomputes_the_duration(admin_client, user, project, entries):
    entry = entries[1]
    response = admin_client.post(f"{URL}{entry.pk}/change/", _form(user, project, end_time_1="12:00:00",
                                                                    start_time_0="2024-01-02"
                                                                    , end_time_0="2024-01-02"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.duration_seconds == 3 * 3600


def test_admin_form_shows_rule_errors_instead_of_failing(admin_client, user, make_project):
    archived = make_project("Old", status="archived")
    response = admin_client.post(URL + "add/", _form(user, archived))
    assert response.status_code == 200
    assert "archived" in str(response.context["adminform"].form.errors)
    response = admin_client.post(URL + "add/", _form(user, make_project("Open"), end_time_1="08:00:00"))
    assert response.status_code == 200
    assert "end_time" in response.context["adminform"].form.errors


def test_tag_admin_lists_tags(admin_client, entries):
    assert admin_client.get("/admin/timeentries/tag/").status_code == 200
