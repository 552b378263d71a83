import datetime as dt
import hashlib
import os
import shutil
import subprocess
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from rare.core.models import AuditEntry
from rare.programme.models import CalendarFeed, Registration
from tests.factories import CampFactory, PersonFactory, SessionFactory
from tests.programme.camps.helpers import member

VIENNA = ZoneInfo("Europe/Vienna")
LISBON = ZoneInfo("Europe/Lisbon")


def at(day: dt.date, hour: int, minute: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


@pytest.fixture
def vienna_camp(db):
    camp = CampFactory(
        slug="camp-2-vienna",
        number=2,
        title="Vienna",
        time_zone="Europe/Vienna",
        venue="Haus der EU",
        starts_on=dt.date(2021, 6, 7),
        ends_on=dt.date(2021, 6, 9),
    )
    day = camp.starts_on
    SessionFactory(
        camp=camp,
        title="Mapping allies",
        room="Room A",
        starts_at=at(day, 9, 30, VIENNA),
        ends_at=at(day, 11, 0, VIENNA),
    )
    SessionFactory(
        camp=camp,
        title="Meeting FRA",
        kind="site_visit",
        starts_at=at(day + dt.timedelta(days=1), 14, 0, VIENNA),
        ends_at=at(day + dt.timedelta(days=1), 16, 0, VIENNA),
    )
    return camp


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_camp_feed_is_valid_icalendar_with_the_camps_zone(client, vienna_camp, settings):
    settings.SITE_URL = "https://rare.example.org"
    response = client.get("/camps/camp-2-vienna/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "Camp 2: Vienna"
    assert calendar["PRODID"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vienna"]
    events = events_of(response.content)
    assert sorted(events) == ["Mapping allies", "Meeting FRA"]
    workshop = events["Mapping allies"]
    assert workshop["DTSTART"].params["TZID"] == "Europe/Vienna"
    assert workshop["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2021, 6, 7, 9, 30)
    assert workshop["DTEND"].dt.replace(tzinfo=None) == dt.datetime(2021, 6, 7, 11, 0)
    session_id = vienna_camp.sessions.get(title="Mapping allies").pk
    assert str(workshop["UID"]) == f"session-{session_id}@rare.example.org"
    assert str(workshop["URL"]) == f"https://rare.example.org/camps/camp-2-vienna/sessions/{session_id}/"
    assert str(workshop["LOCATION"]) == "Room A, Haus der EU, Vienna, Austria"
    assert "DTSTAMP" in workshop


def test_the_same_session_keeps_its_uid_between_fetches(client, vienna_camp):
    first = events_of(client.get("/camps/camp-2-vienna/calendar.ics").content)
    second = events_of(client.get("/camps/camp-2-vienna/calendar.ics").content)
    assert {k: str(v["UID"]) for k, v in first.items()} == {k: str(v["UID"]) for k, v in second.items()}


def test_unknown_camp_has_no_feed(client, db):
    assert client.get("/camps/no-such-camp/calendar.ics").status_code == 404


def test_camp_feed_query_count_does_not_grow_with_sessions(client, vienna_camp, django_assert_num_queries):
    with django_assert_num_queries(2) as few:
        client.get("/camps/camp-2-vienna/calendar.ics")
    for _ in range(20):
        SessionFactory(camp=vienna_camp).speakers.add(PersonFactory())
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/camps/camp-2-vienna/calendar.ics")
    assert len(events_of(response.content)) == 22


# --- The personal feed ---------------------------------------------------------------------------


@pytest.fixture
def participant(vienna_camp):
    return member(vienna_camp.programme)


def create_feed(client, user) -> str:
    client.force_login(user)
    client.post("/calendar/", {"action": "create"})
    feed = CalendarFeed.objects.get(person=user.person)
    return f"/calendar/{feed.token}.ics"


def test_personal_feed_lists_registered_camps_and_sessions_spoken_at(client, vienna_camp, participant):
    Registration.objects.create(camp=vienna_camp, person=participant.person)
    lisbon = CampFactory(
        slug="camp-5-lisbon", time_zone="Europe/Lisbon", starts_on=dt.date(2021, 10, 4), ends_on=dt.date(2021, 10, 6)
    )
    talk = SessionFactory(
        camp=lisbon,
        title="My talk in Lisbon",
        starts_at=at(dt.date(2021, 10, 4), 10, 0, LISBON),
        ends_at=at(dt.date(2021, 10, 4), 11, 0, LISBON),
    )
    SessionFactory(camp=lisbon, title="Not mine")
    talk.speakers.add(participant.person)
    cancelled = CampFactory(slug="camp-6-cancelled")
    SessionFactory(camp=cancelled, title="Of a cancelled registration")
    Registration.objects.create(camp=cancelled, person=participant.person, status=Registration.Status.CANCELLED)
    address = create_feed(client, participant)
    client.logout()

    response = client.get(address)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert sorted(events_of(response.content)) == ["Mapping allies", "Meeting FRA", "My talk in Lisbon"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["Europe/Lisbon", "Europe/Vienna"]
    assert events_of(response.content)["My talk in Lisbon"]["DTSTART"].params["TZID"] == "Europe/Lisbon"


def test_personal_feed_carries_no_notes(client, vienna_camp, participant):
    session = vienna_camp.sessions.first()
    session.notes = "Confidential: the speaker is at risk."
    session.save()
    Registration.objects.create(camp=vienna_camp, person=participant.person)
    address = create_feed(client, participant)

    body = client.get(address).content.decode()

    assert "at risk" not in body


def test_resetting_the_feed_retires_the_old_address(client, vienna_camp, participant):
    old = create_feed(client, participant)

    page = client.get("/calendar/").content.decode()
    assert old in page
    client.post("/calendar/", {"action": "reset"})
    new = f"/calendar/{CalendarFeed.objects.get(person=participant.person).token}.ics"

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert new in client.get("/calendar/").content.decode()
    assert AuditEntry.objects.filter(action="calendar.feed_reset").count() == 1


def test_only_a_hash_of_the_secret_is_searchable(client, participant):
    address = create_feed(client, participant)
    token = address.removeprefix("/calendar/").removesuffix(".ics")
    sealed, token_hash = (
        CalendarFeed.objects.filter(person=participant.person)
        .annotate(sealed=Cast("token", TextField()))
        .values_list("sealed", "token_hash")
        .get()
    )
    assert token not in sealed
    assert token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_calendar_settings_are_for_members(client, db):
    assert client.get("/calendar/")["Location"].startswith("/accounts/login/")
    assert client.get("/calendar/not-a-real-secret.ics").status_code == 404


def test_personal_feed_query_count_does_not_grow(client, vienna_camp, participant, django_assert_num_queries):
    Registration.objects.create(camp=vienna_camp, person=participant.person)
    address = create_feed(client, participant)
    client.logout()
    with django_assert_num_queries(2) as few:
        client.get(address)
    for _ in range(20):
        SessionFactory(camp=vienna_camp)
        other = CampFactory()
        SessionFactory(camp=other).speakers.add(participant.person)
        Registration.objects.create(camp=other, person=participant.person)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(address)
    assert len(events_of(response.content)) == 42


# --- A real calendar client ----------------------------------------------------------------------


def khal_or_skip() -> str:
    khal = shutil.which("khal")
    if khal is None:
        message = "khal is not installed: apt-get install khal"
        if os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}:
            pytest.fail(f"{message} (CI must run the calendar import test)", pytrace=False)
        pytest.skip(message)
    return khal


def khal_lists(tmp_path, body: bytes, start: str, days: int) -> str:
    """Import an iCalendar file into a fresh khal calendar and list the days from `start`."""
    khal = khal_or_skip()
    vdir = tmp_path / "calendars" / "rare"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        "[calendars]\n"
        "[[rare]]\n"
        f"path = {vdir}\n"
        "type = calendar\n"
        "[locale]\n"
        "timeformat = %H:%M\n"
        "dateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Vienna\n"
        "default_timezone = Europe/Vienna\n"
        "[default]\n"
        "default_calendar = rare\n"
        "[sqlite]\n"
        f"path = {tmp_path / 'khal.db'}\n"
    )
    feed = tmp_path / "feed.ics"
    feed.write_bytes(body)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    run = {"env": env, "capture_output": True, "text": True, "timeout": 60, "check": False}
    imported = subprocess.run([khal, "-c", str(config), "import", "--batch", "-a", "rare", str(feed)], **run)  # noqa: S603
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run([khal, "-c", str(config), "list", start, f"{days}d"], **run)  # noqa: S603
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


def test_camp_feed_imports_into_khal(client, vienna_camp, tmp_path):
    body = client.get("/camps/camp-2-vienna/calendar.ics").content

    listed = khal_lists(tmp_path, body, "2021-06-07", 4)

    assert "09:30-11:00 Mapping allies" in listed
    assert "14:00-16:00 Meeting FRA" in listed
    assert len(list(tmp_path.joinpath("calendars", "rare").glob("*.ics"))) == 2


def test_personal_feed_imports_into_khal(client, vienna_camp, participant, tmp_path):
    Registration.objects.create(camp=vienna_camp, person=participant.person)
    address = create_feed(client, participant)
    client.logout()

    listed = khal_lists(tmp_path, client.get(address).content, "2021-06-07", 4)

    assert "Mapping allies" in listed
    assert "Meeting FRA" in listed


def test_a_disabled_account_has_no_feed(client, vienna_camp, participant):
    address = create_feed(client, participant)
    client.logout()
    participant.is_active = False
    participant.save()

    assert client.get(address).status_code == 404
