"""/codebase/: the Codebase time-sessions API through HTTP, as a Codebase client meets it."""

import base64
import datetime
import json
import textwrap
import time
import xml.etree.ElementTree as ET
import zoneinfo
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now
from rest_framework.test import APIClient

from apitokens.scopes import ADMIN_ALL
from projects.models import Project
from timeentries.models import TimeEntry
from timeentries.services import time_entry_create
from timetracker.models import UserProfile

UTC = datetime.timezone.utc
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")
PROLOG = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


def utc_text(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tree(xml):
    """An element as (tag, attributes, text, children); whitespace around elements is layout, not content."""
    element = ET.fromstring(textwrap.dedent(xml).strip() if isinstance(xml, str) else xml)

    def walk(node):
        return node.tag, node.attrib, (node.text or "").strip(), [walk(child) for child in node]

    return walk(element)


def url(project, suffix=""):
    permalink = project.permalink if isinstance(project, Project) else project
    return f"/codebase/{permalink}/time_sessions{suffix}"


def ids(response):
    """Session ids of an XML list, in order."""
    return [int(session.find("id").text) for session in ET.fromstring(response.content)]


def errors(response):
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return [error.text for error in root]


def xml_post(client, path, body, method="post"):
    return getattr(client, method)(path, body, content_type="application/xml")


def basic(account_user, token):
    return "Basic " + base64.b64encode(f"{account_user}:{token}".encode()).decode()


@pytest.fixture
def codebase(make_token):
    """codebase(user, scopes) -> a client signing in as Codebase clients do: HTTP Basic with
    ``account/username`` and the token as the password."""

    def make(user, scopes=(ADMIN_ALL,)):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=basic(f"acme/{user.username}", make_token(user, scopes)))
        return client

    return make


@pytest.fixture
def alice(codebase, user):
    return codebase(user)


@pytest.fixture
def boss(codebase, admin_user):
    return codebase(admin_user)


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def make_session(db):
    """make_session(user, project, start, minutes=60, **fields) -> a finished entry."""

    def make(user, project, start, minutes=60, **fields):
        end = start + datetime.timedelta(minutes=minutes)
        return time_entry_create(user=user, project=project, start_time=start, end_time=end, **fields)

    return make


def session_xml(entry, *, summary, minutes, date, ticket='<ticket-id type="integer" nil="true"/>'):
    return f"""
        <time-session>
          <id type="integer">{entry.pk}</id>
          <summary>{summary}</summary>
          <minutes type="integer">{minutes}</minutes>
          <session-date type="date">{date}</session-date>
          <user-id type="integer">{entry.user_id}</user-id>
          {ticket}
          <created-at type="datetime">{utc_text(entry.created_at)}</created-at>
          <updated-at type="datetime">{utc_text(entry.updated_at)}</updated-at>
        </time-session>"""


class TestShape:
    def test_one_session_is_rails_xml(self, alice, user, project, make_session):
        entry = make_session(user, project, at(2024, 1, 15, 9), minutes=90, notes="Fixed <b> & co", ticket_id=42)
        response = alice.get(url(project, f"/{entry.pk}"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        expected = session_xml(
            entry, summary="Fixed &lt;b&gt; &amp; co", minutes=90, date="2024-01-15",
            ticket='<ticket-id type="integer">42</ticket-id>',
        )
        assert tree(response.content) == tree(expected)
        # Byte for byte as Rails writes it: the prolog, then one element a line indented by two spaces.
        assert response.content == PROLOG + textwrap.dedent(expected).strip().encode() + b"\n"

    def test_a_list_is_a_typed_array_ordered_by_start_then_id(self, alice, user, project, make_session):
        later = make_session(user, project, at(2024, 1, 16, 9), minutes=30, notes="later")
        first = make_session(user, project, at(2024, 1, 15, 9), minutes=45, notes="first")
        same_start = make_session(user, project, at(2024, 1, 15, 9), minutes=15, notes="same start")
        response = alice.get(url(project))
        assert response.status_code == 200
        assert response.content.startswith(PROLOG + b'<time-sessions type="array">\n  <time-session>\n')
        sessions = "".join([
            session_xml(first, summary="first", minutes=45, date="2024-01-15"),
            session_xml(same_start, summary="same start", minutes=15, date="2024-01-15"),
            session_xml(later, summary="later", minutes=30, date="2024-01-16"),
        ])
        assert tree(response.content) == tree(f'<time-sessions type="array">{sessions}</time-sessions>')

    def test_a_list_writes_each_session_byte_for_byte_as_the_session_route_does(
        self, boss, user, make_user, project, make_session, settings
    ):
        settings.TIME_ZONE = "America/New_York"  # the timezone of a user without a profile
        sydney = make_user("syd", timezone="Australia/Sydney")
        no_profile = make_user("nop")
        UserProfile.objects.filter(user=no_profile).delete()
        entries = [
            make_session(user, project, at(2024, 1, 15, 9), minutes=90, notes="Fixed <b> & co", ticket_id=42),
            make_session(sydney, project, at(2024, 1, 15, 20), notes="bell\x07 and tab\t"),  # the 16th in Sydney
            make_session(no_profile, project, at(2024, 1, 16, 3), notes="\x07"),  # the 15th in New York
            make_session(user, project, at(2024, 1, 16, 9), minutes=1, notes=""),
        ]

        one_by_one = [boss.get(url(project, f"/{entry.pk}")).content for entry in entries]
        as_items = [b"\n".join(b"  " + line for line in one.removeprefix(PROLOG).rstrip().split(b"\n"))
                    for one in one_by_one]
        assert boss.get(url(project)).content == (
            PROLOG + b'<time-sessions type="array">\n' + b"\n".join(as_items) + b"\n</time-sessions>\n"
        )
        assert [ET.fromstring(one).find("session-date").text for one in one_by_one] == [
            "2024-01-15", "2024-01-16", "2024-01-15", "2024-01-16",
        ]
        one_by_one = [boss.get(url(project, f"/{entry.pk}"), HTTP_ACCEPT="application/json").content
                      for entry in entries]
        listed = boss.get(url(project), HTTP_ACCEPT="application/json").content
        assert listed == b"[" + b",".join(one_by_one) + b"]"

    def test_an_empty_list_closes_itself(self, alice, project):
        response = alice.get(url(project))
        assert response.status_code == 200
        assert response.content == PROLOG + b'<time-sessions type="array"/>\n'

    def test_json_is_root_wrapped_with_underscored_keys(self, alice, user, project, make_session):
        entry = make_session(user, project, at(2024, 1, 15, 9), minutes=90, notes="Worked")
        expected = {
            "id": entry.pk, "summary": "Worked", "minutes": 90, "session_date": "2024-01-15", "user_id": user.pk,
            "ticket_id": None, "created_at": utc_text(entry.created_at), "updated_at": utc_text(entry.updated_at),
        }
        one = alice.get(url(project, f"/{entry.pk}"), HTTP_ACCEPT="application/json")
        assert one["Content-Type"].startswith("application/json")
        assert one.json() == {"time_session": expected}
        assert alice.get(url(project), HTTP_ACCEPT="application/json").json() == [{"time_session": expected}]
        assert alice.get(url(project, "/day"), HTTP_ACCEPT="application/json").json() == []

    @pytest.mark.parametrize(
        "accept, kind",
        [
            ("", "xml"), ("*/*", "xml"), ("application/xml", "xml"), ("text/html", "xml"),
            ("application/json", "json"), ("application/json, text/plain, */*", "json"),
            ("application/xml, application/json", "xml"), ("application/json;q=0.5, application/xml", "xml"),
        ],
    )
    def test_xml_unless_accept_asks_for_json(self, alice, project, accept, kind):
        response = alice.get(url(project), HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(f"application/{kind}")

    def test_minutes_are_whole_minutes_rounded_half_up(self, alice, user, project):
        entry = time_entry_create(user=user, project=project, start_time=at(2024, 1, 15, 9),
                                  end_time=at(2024, 1, 15, 9, 1, 30))
        assert alice.get(url(project, f"/{entry.pk}"), HTTP_ACCEPT="application/json").json()[
            "time_session"]["minutes"] == 2

    def test_the_session_date_is_the_start_in_the_sessions_users_timezone(self, boss, make_user, project,
                                                                          make_session):
        sydney = make_user("syd", timezone="Australia/Sydney")
        entry = make_session(sydney, project, at(2024, 1, 15, 20))  # 07:00 on the 16th in Sydney
        session = boss.get(url(project, f"/{entry.pk}"), HTTP_ACCEPT="application/json").json()["time_session"]
        assert session["session_date"] == "2024-01-16"

    def test_characters_xml_cannot_carry_are_left_out(self, alice, user, project, make_session):
        entry = make_session(user, project, at(2024, 1, 15, 9), notes="bell\x07 and tab\t")
        response = alice.get(url(project, f"/{entry.pk}"))
        assert ET.fromstring(response.content).find("summary").text == "bell and tab\t"


class TestCreate:
    def test_only_summary_and_minutes_as_xml(self, codebase, make_user, project):
        new_yorker = make_user("ny", timezone="America/New_York")
        body = '<time-session><summary>Wrote the importer</summary><minutes type="integer">25</minutes></time-session>'
        with mock.patch("django.utils.timezone.now", return_value=at(2024, 1, 15, 3, 30)):  # 22:30 on the 14th in NY
            response = xml_post(codebase(new_yorker), url(project), body)
        assert response.status_code == 201
        entry = TimeEntry.objects.get()
        assert (entry.user, entry.project, entry.notes, entry.source) == (
            new_yorker, project, "Wrote the importer", TimeEntry.Source.CODEBASE)
        assert entry.start_time == at(2024, 1, 14, tz=NEW_YORK)  # local midnight of today
        assert entry.end_time == at(2024, 1, 14, 0, 25, tz=NEW_YORK)
        assert (entry.has_start_time, entry.duration_seconds, entry.ticket_id) == (False, 1500, None)
        assert tree(response.content) == tree(
            session_xml(entry, summary="Wrote the importer", minutes=25, date="2024-01-14")
        )

    def test_only_summary_and_minutes_as_json(self, alice, user, project):
        body = json.dumps({"time_session": {"summary": "Review", "minutes": 90}})
        with mock.patch("django.utils.timezone.now", return_value=at(2024, 3, 1, 12)):
            response = alice.post(url(project), body, content_type="application/json", HTTP_ACCEPT="application/json")
        assert response.status_code == 201
        session = response.json()["time_session"]
        assert (session["summary"], session["minutes"], session["session_date"]) == ("Review", 90, "2024-03-01")
        assert session["user_id"] == user.pk

    def test_an_unwrapped_json_session_is_read_too(self, alice, project):
        response = alice.post(url(project), {"summary": "Plain", "minutes": "30"}, format="json")
        assert response.status_code == 201
        assert TimeEntry.objects.get().duration_seconds == 1800

    def test_session_date_and_ticket_id(self, alice, user, project):
        body = """<time-session>
            <summary>Ticket work</summary><minutes type="integer">60</minutes>
            <session-date type="date">2024-02-29</session-date><ticket-id type="integer">17</ticket-id>
        </time-session>"""
        response = xml_post(alice, url(project), body)
        assert response.status_code == 201
        entry = TimeEntry.objects.get()
        assert entry.start_time == at(2024, 2, 29)
        assert entry.ticket_id == 17
        assert ET.fromstring(response.content).find("ticket-id").text == "17"

    def test_an_admin_logs_for_another_user_on_that_users_date(self, boss, make_user, project):
        sydney = make_user("syd", timezone="Australia/Sydney")
        body = (f'<time-session><summary>For Syd</summary><minutes>30</minutes><user-id type="integer">{sydney.pk}'
                '</user-id><session-date>2024-01-16</session-date></time-session>')
        response = xml_post(boss, url(project), body)
        assert response.status_code == 201
        entry = TimeEntry.objects.get()
        assert entry.user == sydney
        assert entry.start_time == at(2024, 1, 16, tz=SYDNEY)
        assert ET.fromstring(response.content).find("session-date").text == "2024-01-16"

    def test_a_non_admin_may_not_log_for_another_user(self, alice, bob, project):
        body = f"<time-session><summary>x</summary><minutes>5</minutes><user-id>{bob.pk}</user-id></time-session>"
        response = xml_post(alice, url(project), body)
        assert response.status_code == 403
        assert len(errors(response)) == 1  # the services' wording
        assert not TimeEntry.objects.exists()

    def test_an_archived_project_refuses_new_sessions(self, alice, user, make_project, make_session):
        old = make_project("Old")
        kept = make_session(user, old, at(2024, 1, 15, 9))
        Project.objects.filter(pk=old.pk).update(status=Project.Status.ARCHIVED)
        response = xml_post(alice, url(old), "<time-session><summary>x</summary><minutes>5</minutes></time-session>")
        assert response.status_code == 422
        assert errors(response) == ["The project is archived; no time can be logged on it."]
        assert ids(alice.get(url(old))) == [kept.pk]


class TestUpdateAndDelete:
    @pytest.fixture
    def session(self, user, project):
        return time_entry_create(
            user=user, project=project, start_time=at(2024, 1, 15), end_time=at(2024, 1, 15, 1),
            has_start_time=False, notes="Before", source=TimeEntry.Source.CODEBASE,
        )

    def test_a_partial_update_answers_200_with_no_body(self, alice, session, project):
        response = xml_post(alice, url(project, f"/{session.pk}"),
                            "<time-session><summary>After</summary></time-session>", method="put")
        assert response.status_code == 200
        assert response.content == b""
        session.refresh_from_db()
        assert (session.notes, session.start_time, session.end_time) == ("After", at(2024, 1, 15), at(2024, 1, 15, 1))

    def test_new_minutes_keep_the_start_and_move_the_end(self, alice, session, project):
        xml_post(alice, url(project, f"/{session.pk}"), "<time-session><minutes>45</minutes></time-session>",
                 method="put")
        session.refresh_from_db()
        assert (session.start_time, session.end_time, session.duration_seconds) == (
            at(2024, 1, 15), at(2024, 1, 15, 0, 45), 2700)

    def test_a_new_session_date_moves_the_start_to_local_midnight_keeping_the_duration(
        self, make_user, codebase, project, make_session,
    ):
        new_yorker = make_user("ny", timezone="America/New_York")
        entry = make_session(new_yorker, project, at(2024, 1, 15, 9, 30, tz=NEW_YORK), minutes=90)
        response = codebase(new_yorker).put(url(project, f"/{entry.pk}"), {"session_date": "2024-01-20"},
                                            format="json")
        assert response.status_code == 200
        entry.refresh_from_db()
        assert (entry.start_time, entry.end_time) == (at(2024, 1, 20, tz=NEW_YORK), at(2024, 1, 20, 1, 30, tz=NEW_YORK))
        assert entry.has_start_time is False

    def test_a_complete_session_sent_back_unchanged_keeps_exact_times(self, alice, user, project):
        entry = time_entry_create(user=user, project=project, start_time=at(2024, 1, 15, 9, 10),
                                  end_time=at(2024, 1, 15, 10, 40, 20), notes="Deploy")
        shown = alice.get(url(project, f"/{entry.pk}")).content
        assert xml_post(alice, url(project, f"/{entry.pk}"), shown, method="put").status_code == 200
        entry.refresh_from_db()
        assert (entry.start_time, entry.end_time, entry.has_start_time) == (
            at(2024, 1, 15, 9, 10), at(2024, 1, 15, 10, 40, 20), True)

    def test_ticket_id_is_cleared_with_nil(self, alice, session, project):
        TimeEntry.objects.filter(pk=session.pk).update(ticket_id=5)
        xml_post(alice, url(project, f"/{session.pk}"),
                 '<time-session><ticket-id type="integer" nil="true"/></time-session>', method="put")
        session.refresh_from_db()
        assert session.ticket_id is None

    def test_an_admin_moves_a_session_to_another_user_on_the_same_date(self, boss, make_user, session, project):
        sydney = make_user("syd", timezone="Australia/Sydney")
        response = xml_post(boss, url(project, f"/{session.pk}"),
                            f"<time-session><user-id>{sydney.pk}</user-id></time-session>", method="put")
        assert response.status_code == 200
        session.refresh_from_db()
        assert session.user == sydney
        assert (session.start_time, session.duration_seconds) == (at(2024, 1, 15, tz=SYDNEY), 3600)

    def test_an_invalid_update_is_a_422_and_changes_nothing(self, alice, session, project):
        response = xml_post(alice, url(project, f"/{session.pk}"),
                            "<time-session><summary> </summary><minutes>0</minutes></time-session>", method="put")
        assert response.status_code == 422
        assert errors(response) == ["Summary can't be blank", "Minutes must be greater than 0"]
        session.refresh_from_db()
        assert session.notes == "Before"

    def test_delete_is_soft_and_answers_200(self, alice, session, project):
        response = alice.delete(url(project, f"/{session.pk}"))
        assert response.status_code == 200
        assert response.content == b""
        assert TimeEntry.all_objects.get(pk=session.pk).deleted_at is not None
        assert alice.get(url(project, f"/{session.pk}")).status_code == 404
        assert ids(alice.get(url(project))) == []


class TestFilters:
    def test_user_filter_for_an_admin(self, boss, user, bob, project, make_session):
        make_session(user, project, at(2024, 1, 15, 9))
        bobs = make_session(bob, project, at(2024, 1, 15, 10))
        assert ids(boss.get(url(project), {"user": bob.pk})) == [bobs.pk]

    def test_user_filter_for_another_user_shows_a_non_admin_nothing(self, alice, user, bob, project, make_session):
        own = make_session(user, project, at(2024, 1, 15, 9))
        make_session(bob, project, at(2024, 1, 15, 10))
        response = alice.get(url(project), {"user": bob.pk})
        assert response.status_code == 200
        assert ids(response) == []
        assert ids(alice.get(url(project), {"user": user.pk})) == [own.pk]

    def test_from_and_to_are_inclusive_session_dates_in_the_callers_timezone(
        self, make_user, codebase, project, make_session,
    ):
        new_yorker = make_user("ny", timezone="America/New_York")
        starts = [at(2024, 1, 14, 23, 59, tz=NEW_YORK), at(2024, 1, 15, tz=NEW_YORK),
                  at(2024, 1, 16, 23, 59, tz=NEW_YORK), at(2024, 1, 17, tz=NEW_YORK)]
        sessions = [make_session(new_yorker, project, start, minutes=1) for start in starts]
        client = codebase(new_yorker)
        assert ids(client.get(url(project), {"from": "2024-01-15", "to": "2024-01-16"})) == [
            sessions[1].pk, sessions[2].pk]
        assert ids(client.get(url(project), {"from": "2024-01-17"})) == [sessions[3].pk]
        assert ids(client.get(url(project), {"to": "2024-01-14"})) == [sessions[0].pk]
        assert ids(client.get(url(project), {"from": "0001-01-01", "to": "9999-12-31"})) == [s.pk for s in sessions]

    @pytest.mark.parametrize("query", [{"from": "15/01/2024"}, {"to": "2024-02-30"}, {"from": "yesterday"},
                                       {"user": "bob"}, {"user": "1.5"}])
    def test_a_bad_filter_is_a_400(self, alice, project, query):
        response = alice.get(url(project), query)
        assert response.status_code == 400
        assert len(errors(response)) == 1

    def test_running_timers_and_deleted_entries_are_not_sessions(self, alice, user, project, make_session):
        finished = make_session(user, project, at(2024, 1, 15, 9))
        deleted = make_session(user, project, at(2024, 1, 15, 11))
        TimeEntry.objects.filter(pk=deleted.pk).update(deleted_at=at(2024, 1, 16))
        running = time_entry_create(user=user, project=project, start_time=now() - datetime.timedelta(hours=1))
        assert ids(alice.get(url(project))) == [finished.pk]
        assert alice.get(url(project, f"/{running.pk}")).status_code == 404

    def test_sessions_of_other_projects_are_left_out(self, alice, user, project, make_project, make_session):
        make_session(user, make_project("Elsewhere"), at(2024, 1, 15, 9))
        assert ids(alice.get(url(project))) == []


class TestWindows:
    """/day, /week and /month are today, this week (Monday to Sunday) and this month in the caller's timezone."""

    # 03:00 UTC on Monday 15 January is still Sunday the 14th, 22:00, in New York.
    NY_NOW = at(2024, 1, 15, 3)
    NY_SESSIONS = {
        "sunday midnight": at(2024, 1, 14, tz=NEW_YORK),
        "sunday 23:59": at(2024, 1, 14, 23, 59, tz=NEW_YORK),
        "next monday midnight": at(2024, 1, 15, tz=NEW_YORK),
        "monday of the week": at(2024, 1, 8, tz=NEW_YORK),
        "sunday before": at(2024, 1, 7, 23, 59, tz=NEW_YORK),
        "new years eve": at(2023, 12, 31, 23, 59, tz=NEW_YORK),
        "new year": at(2024, 1, 1, tz=NEW_YORK),
    }
    # 14:00 UTC on Wednesday 31 January is Thursday 1 February, 01:00, in Sydney.
    SYDNEY_NOW = at(2024, 1, 31, 14)
    SYDNEY_SESSIONS = {
        "first of february": at(2024, 2, 1, tz=SYDNEY),
        "end of january": at(2024, 1, 31, 23, 59, tz=SYDNEY),
        "sunday before": at(2024, 1, 28, 23, 59, tz=SYDNEY),
        "monday of the week": at(2024, 1, 29, tz=SYDNEY),
        "end of february": at(2024, 2, 29, 23, 59, tz=SYDNEY),
    }

    @pytest.mark.parametrize(
        "timezone, now, window, expected",
        [
            ("America/New_York", NY_NOW, "day", ["sunday midnight", "sunday 23:59"]),
            ("America/New_York", NY_NOW, "week", ["monday of the week", "sunday midnight", "sunday 23:59"]),
            ("America/New_York", NY_NOW, "month", ["new year", "sunday before", "monday of the week",
                                                   "sunday midnight", "sunday 23:59", "next monday midnight"]),
            ("Australia/Sydney", SYDNEY_NOW, "day", ["first of february"]),
            ("Australia/Sydney", SYDNEY_NOW, "week", ["monday of the week", "end of january", "first of february"]),
            ("Australia/Sydney", SYDNEY_NOW, "month", ["first of february", "end of february"]),
        ],
    )
    def test_window_around_local_midnight(self, make_user, codebase, project, make_session,
                                          timezone, now, window, expected):
        caller = make_user("local", timezone=timezone)
        starts = self.NY_SESSIONS if timezone == "America/New_York" else self.SYDNEY_SESSIONS
        sessions = {name: make_session(caller, project, start, minutes=1) for name, start in starts.items()}
        client = codebase(caller)
        with mock.patch("django.utils.timezone.now", return_value=now):
            response = client.get(url(project, f"/{window}"))
        assert response.status_code == 200
        assert ids(response) == [sessions[name].pk for name in expected]

    def test_windows_take_the_list_filters_too(self, boss, user, bob, project, make_session):
        make_session(user, project, at(2024, 1, 15, 9))
        bobs = make_session(bob, project, at(2024, 1, 15, 10))
        with mock.patch("django.utils.timezone.now", return_value=at(2024, 1, 15, 12)):
            assert ids(boss.get(url(project, "/day"), {"user": bob.pk})) == [bobs.pk]


class TestAccess:
    def test_basic_auth_with_account_slash_username_and_the_token_as_password(self, make_token, user, project):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=basic("acme/alice", make_token(user)))
        assert client.get(url(project)).status_code == 200

    @pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_API_KEY"])
    def test_bearer_and_api_key_work_too(self, make_token, user, project, header):
        token = make_token(user)
        credentials = {header: f"Bearer {token}" if header == "HTTP_AUTHORIZATION" else token}
        assert APIClient().get(url(project), **credentials).status_code == 200

    @pytest.mark.parametrize("authorization", [None, basic("acme/alice", "tt_" + "x" * 32), basic("acme/alice", "pw")])
    def test_no_or_bad_credentials_are_a_401_with_a_basic_challenge(self, anon, project, authorization):
        if authorization:
            anon.credentials(HTTP_AUTHORIZATION=authorization)
        response = anon.get(url(project))
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic ")
        assert len(errors(response)) == 1

    def test_an_unknown_project_is_not_revealed_before_authentication(self, anon):
        assert anon.get(url("no-such-project")).status_code == 401

    def test_a_read_token_cannot_write(self, codebase, user, project):
        response = xml_post(codebase(user, ["read:time_entries"]), url(project),
                            "<time-session><summary>x</summary><minutes>5</minutes></time-session>")
        assert response.status_code == 403
        assert errors(response) == ["This endpoint requires the 'write:time_entries' scope"]

    def test_a_token_without_the_time_entries_scope_cannot_read(self, codebase, user, project):
        response = codebase(user, ["read:projects"]).get(url(project), HTTP_ACCEPT="application/json")
        assert response.status_code == 403
        assert response.json() == {"errors": ["This endpoint requires the 'read:time_entries' scope"]}

    def test_a_non_admin_sees_and_changes_only_their_own_sessions(self, alice, user, bob, project, make_session):
        own = make_session(user, project, at(2024, 1, 15, 9))
        bobs = make_session(bob, project, at(2024, 1, 15, 10), notes="Bob's")
        assert ids(alice.get(url(project))) == [own.pk]
        for response in [
            alice.get(url(project, f"/{bobs.pk}")),
            xml_post(alice, url(project, f"/{bobs.pk}"), "<time-session><summary>Mine</summary></time-session>",
                     method="put"),
            alice.delete(url(project, f"/{bobs.pk}")),
        ]:
            assert (response.status_code, response.content) == (404, b"")
        bobs.refresh_from_db()
        assert (bobs.notes, bobs.deleted_at) == ("Bob's", None)

    def test_an_admin_sees_everyones_sessions(self, boss, user, bob, project, make_session):
        sessions = [make_session(user, project, at(2024, 1, 15, 9)), make_session(bob, project, at(2024, 1, 15, 10))]
        assert ids(boss.get(url(project))) == [session.pk for session in sessions]


class TestErrors:
    @pytest.mark.parametrize("method, suffix", [("get", ""), ("post", ""), ("get", "/week"), ("get", "/1"),
                                                ("put", "/1"), ("delete", "/1")])
    def test_an_unknown_project_is_a_404_with_no_body(self, alice, method, suffix):
        response = getattr(alice, method)(url("no-such-project", suffix))
        assert (response.status_code, response.content) == (404, b"")

    @pytest.mark.parametrize("session_id", ["999999", str(2**70)])
    def test_an_unknown_session_is_a_404_with_no_body(self, alice, project, session_id):
        response = alice.get(url(project, f"/{session_id}"))
        assert (response.status_code, response.content) == (404, b"")

    def test_a_session_of_another_project_is_a_404(self, alice, user, project, make_project, make_session):
        elsewhere = make_session(user, make_project("Elsewhere"), at(2024, 1, 15, 9))
        assert alice.get(url(project, f"/{elsewhere.pk}")).status_code == 404

    @pytest.mark.parametrize("path", ["/codebase/", "/codebase/widgets/tickets", "/codebase/widgets/time_sessions/x"])
    def test_another_path_under_codebase_is_a_404_with_no_body(self, anon, path):
        response = anon.get(path)
        assert (response.status_code, response.content) == (404, b"")

    @pytest.mark.parametrize("method, suffix", [("patch", "/SESSION"), ("post", "/SESSION"), ("put", ""),
                                                ("delete", ""), ("post", "/day"), ("delete", "/month"),
                                                ("options", "")])
    def test_a_verb_the_route_does_not_take_is_a_406(self, alice, user, project, make_session, method, suffix):
        session = make_session(user, project, at(2024, 1, 15, 9))
        response = getattr(alice, method)(url(project, suffix.replace("SESSION", str(session.pk))))
        assert response.status_code == 406
        assert errors(response) == [f"{method.upper()} is not accepted on this route."]

    @pytest.mark.parametrize(
        "body, messages",
        [
            ("<time-session><minutes>30</minutes></time-session>", ["Summary can't be blank"]),
            ("<time-session><summary>x</summary><minutes>0</minutes></time-session>",
             ["Minutes must be greater than 0"]),
            ("<time-session><summary>x</summary><minutes>-5</minutes></time-session>",
             ["Minutes must be greater than 0"]),
            ("<time-session><summary>x</summary><minutes>1.5</minutes></time-session>",
             ["Minutes must be a whole number"]),
            ("<time-session><summary>x</summary><minutes>ninety</minutes></time-session>",
             ["Minutes must be a whole number"]),
            ("<time-session><summary>x</summary><minutes>35791395</minutes></time-session>",
             ["Minutes must be less than or equal to 35791394"]),
            ("<time-session/>", ["Summary can't be blank", "Minutes can't be blank"]),
            ("<time-session><summary>x</summary><minutes>5</minutes><session-date>15.01.2024</session-date>"
             "</time-session>", ["Session date must be a date (YYYY-MM-DD)"]),
            ("<time-session><summary>x</summary><minutes>5</minutes><session-date>0001-01-01</session-date>"
             "</time-session>", ["Session date must be between 1900-01-01 and 2999-12-31"]),
            ("<time-session><summary>x</summary><minutes>5</minutes><ticket-id>0</ticket-id></time-session>",
             ["Ticket must be greater than 0"]),
        ],
    )
    def test_an_invalid_session_is_a_422_with_rails_messages(self, alice, project, body, messages):
        response = xml_post(alice, url(project), body)
        assert response.status_code == 422
        assert errors(response) == messages
        assert not TimeEntry.objects.exists()

    def test_an_unknown_user_is_a_422_for_an_admin(self, boss, project):
        body = "<time-session><summary>x</summary><minutes>5</minutes><user-id>999999</user-id></time-session>"
        response = xml_post(boss, url(project), body)
        assert response.status_code == 422
        assert errors(response) == ["User does not exist"]

    def test_a_non_admin_learns_nothing_about_other_user_ids(self, alice, project):
        body = "<time-session><summary>x</summary><minutes>5</minutes><user-id>999999</user-id></time-session>"
        assert xml_post(alice, url(project), body).status_code == 403

    def test_json_errors_are_a_list_of_messages(self, alice, project):
        response = alice.post(url(project), {"time_session": {"summary": "", "minutes": 0}}, format="json",
                              HTTP_ACCEPT="application/json")
        assert response.status_code == 422
        assert response.json() == {"errors": ["Summary can't be blank", "Minutes must be greater than 0"]}

    @pytest.mark.parametrize(
        "body, content_type",
        [
            ("<time-session><summary>x</summary>", "application/xml"),
            ("not xml at all", "application/xml"),
            ("<project><name>x</name></project>", "application/xml"),
            ('{"summary": "x", "minutes": 5}', "text/plain"),  # anything but JSON is read as XML
            ('{"time_session": {"summary": "x",', "application/json"),
            ('["x", 5]', "application/json"),
            ("[" * 100_000, "application/json"),
        ],
    )
    def test_an_unreadable_body_is_a_422(self, alice, project, body, content_type):
        response = alice.post(url(project), body, content_type=content_type)
        assert response.status_code == 422
        assert len(errors(response)) == 1

    def test_an_entity_expansion_bomb_is_a_quick_422(self, alice, project):
        laughs = "".join(
            f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10 if i else "lol"}">' for i in range(10)
        )
        body = (f'<?xml version="1.0"?><!DOCTYPE time-session [{laughs}]>'
                "<time-session><summary>&lol9;</summary><minutes>5</minutes></time-session>")
        started = time.monotonic()
        response = xml_post(alice, url(project), body)
        assert response.status_code == 422
        assert time.monotonic() - started < 2
        assert not TimeEntry.objects.exists()

    def test_an_external_entity_is_a_422(self, alice, project):
        body = ('<?xml version="1.0"?><!DOCTYPE time-session [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                "<time-session><summary>&xxe;</summary><minutes>5</minutes></time-session>")
        response = xml_post(alice, url(project), body)
        assert response.status_code == 422
        assert b"root:" not in response.content


def test_list_query_count_does_not_grow_with_sessions(alice, user, bob, make_user, project, make_session, boss):
    def count_queries(client):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(project)).status_code == 200
        return len(queries)

    users = [user, bob, make_user(timezone="Australia/Sydney")]
    make_session(user, project, at(2024, 1, 1, 9))
    for client in (alice, boss):
        client.get(url(project))  # the token's first use writes last_used_at; keep that out of the counts
    own_one, all_one = count_queries(alice), count_queries(boss)
    for day in range(2, 21):
        make_session(users[day % 3], project, at(2024, 1, day, 9), ticket_id=day)
    assert len(ids(alice.get(url(project)))) == 7
    assert len(ids(boss.get(url(project)))) == 20
    assert count_queries(alice) == own_one <= 3
    assert count_queries(boss) == all_one <= 3
