import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from rare.learning.models import Competency
from rare.programme.models import Membership
from tests.factories import CampFactory, MaterialFactory, PersonFactory, ProgrammeFactory, SessionFactory
from tests.programme.camps.helpers import member

VIENNA = ZoneInfo("Europe/Vienna")


@pytest.fixture
def camp(db):
    return CampFactory(slug="camp-2-vienna", number=2, title="Vienna", time_zone="Europe/Vienna")


def vienna(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VIENNA)


# --- Camps of other programmes ------------------------------------------------------------------


def test_camps_of_a_past_programme_are_listed_by_its_slug(client, db):
    current = ProgrammeFactory(name="RARE cohort 2", slug="cohort-2")
    past = ProgrammeFactory(name="RARE cohort 1", slug="cohort-1", status="completed")
    CampFactory(programme=current, title="Current camp")
    CampFactory(programme=past, title="Past camp")

    default = client.get("/camps/").content.decode()
    response = client.get("/camps/?programme=cohort-1")

    assert "Current camp" in default
    assert 'href="/camps/?programme=cohort-1"' in default
    body = response.content.decode()
    assert "Past camp" in body
    assert "Current camp" not in body
    assert 'aria-current="page">RARE cohort 1</a>' in body


def test_unknown_programme_is_404(client, db):
    assert client.get("/camps/?programme=nope").status_code == 404


# --- The camp page ------------------------------------------------------------------------------


def test_agenda_times_are_the_camps_local_time_labelled_with_the_zone(client, camp):
    SessionFactory(
        camp=camp, title="Early", starts_at=vienna(camp.starts_on, 9, 30), ends_at=vienna(camp.starts_on, 11)
    )

    body = client.get("/camps/camp-2-vienna/").content.decode()

    assert "09:30\u201311:00" in body
    assert "Times are local time at the camp (Europe/Vienna)." in body


def test_agenda_filters_by_kind_without_javascript(client, camp):
    SessionFactory(camp=camp, title="A workshop", kind="workshop")
    SessionFactory(camp=camp, title="A panel", kind="panel")

    body = client.get("/camps/camp-2-vienna/?kind=panel").content.decode()

    assert "A panel" in body
    assert "A workshop" not in body
    assert '<form class="filters agenda-filter"' in body
    assert 'method="get"' in body
    assert '<option value="panel" selected>expert panel</option>' in body


def test_an_unknown_kind_shows_every_session(client, camp):
    SessionFactory(camp=camp, title="A workshop", kind="workshop")
    assert "A workshop" in client.get("/camps/camp-2-vienna/?kind=nonsense").content.decode()


def test_agenda_query_count_does_not_grow_tenfold(client, camp, django_assert_num_queries):
    def grow(n: int) -> None:
        for _ in range(n):
            session = SessionFactory(camp=camp)
            session.speakers.add(PersonFactory(), PersonFactory())
            MaterialFactory(session=session)

    grow(3)
    with django_assert_num_queries(4) as few:
        client.get("/camps/camp-2-vienna/")
    grow(27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/camps/camp-2-vienna/")
    assert response.content.decode().count('href="/camps/camp-2-vienna/sessions/') == 30


# --- The members' page --------------------------------------------------------------------------


def test_members_page_shows_sanitised_logistics_and_the_report(client, camp):
    camp.logistics = "## Hotel\n\nMeet at **9:00**. <script>alert(1)</script>[x](javascript:alert(2))"
    camp.report = "We met the ombudsman."
    camp.save()
    client.force_login(member(camp.programme))

    body = client.get("/camps/camp-2-vienna/members/").content.decode()

    assert "<h3>Hotel</h3>" in body
    assert "<strong>9:00</strong>" in body
    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "We met the ombudsman." in body


def test_members_page_is_for_the_camps_programme_and_the_team(client, camp):
    camp.logistics = "Secret hotel"
    camp.save()
    outsider = member(ProgrammeFactory())
    team_elsewhere = member(ProgrammeFactory(), Membership.Role.TEAM)

    assert client.get("/camps/camp-2-vienna/members/")["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get("/camps/camp-2-vienna/members/").status_code == 404
    assert "/members/" not in client.get("/camps/camp-2-vienna/").content.decode()
    client.force_login(team_elsewhere)
    assert "Secret hotel" in client.get("/camps/camp-2-vienna/members/").content.decode()
    alumnus = member(camp.programme, Membership.Role.ALUMNI)
    client.force_login(alumnus)
    assert "Secret hotel" in client.get("/camps/camp-2-vienna/members/").content.decode()
    assert 'href="/camps/camp-2-vienna/members/"' in client.get("/camps/camp-2-vienna/").content.decode()


# --- The session page ---------------------------------------------------------------------------


@pytest.fixture
def session(camp):
    session = SessionFactory(
        camp=camp,
        title="Meeting FRA",
        kind="site_visit",
        room="Schwarzenbergplatz 11",
        description="A visit to the Fundamental Rights Agency.",
        notes="Bring passports for security.",
        starts_at=vienna(camp.starts_on, 14),
        ends_at=vienna(camp.starts_on, 16, 30),
    )
    session.speakers.add(PersonFactory(name="Guest Speaker", slug="guest-speaker"))
    session.speakers.add(member(camp.programme, name="Ada Member", slug="ada-member").person)
    session.competencies.add(Competency.objects.create(programme=camp.programme, name="EU policy-making", slug="eu"))
    return session


def session_page(client, session) -> str:
    return client.get(f"/camps/camp-2-vienna/sessions/{session.pk}/").content.decode()


def test_session_page_shows_kind_time_room_speakers_and_competencies(client, session):
    body = session_page(client, session)

    assert "<h1>Meeting FRA</h1>" in body
    assert "site visit" in body
    assert "14:00</time>\u2013<time" in body
    assert "16:30</time>" in body
    assert "CEST (Europe/Vienna)" in body
    assert "Schwarzenbergplatz 11" in body
    assert "A visit to the Fundamental Rights Agency." in body
    assert "EU policy-making" in body
    assert "Guest Speaker" in body
    assert "Ada Member" in body
    assert "/directory/people/ada-member/" not in body
    assert "Bring passports" not in body


def test_members_see_notes_and_profile_links_but_guests_have_none(client, session):
    client.force_login(member(session.camp.programme))

    body = session_page(client, session)

    assert '<a href="/directory/people/ada-member/">Ada Member</a>' in body
    assert "/directory/people/guest-speaker/" not in body
    assert "Bring passports for security." in body


def test_a_session_is_found_only_under_its_own_camp(client, session):
    other = CampFactory(slug="camp-9-elsewhere")
    assert client.get(f"/camps/camp-9-elsewhere/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/camps/{other.slug}/sessions/999999/").status_code == 404


def test_session_page_query_count_does_not_grow_tenfold(client, session, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(member(session.camp.programme))

    def grow(n: int) -> None:
        for index in range(n):
            session.speakers.add(member(session.camp.programme).person, PersonFactory())
            MaterialFactory(session=session, visibility="members")
            MaterialFactory(
                session=session, link="", file=ContentFile(b"x", name=f"f{index}.txt"), visibility="restricted"
            )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow(2)
    with CaptureQueriesContext(connection) as few:
        session_page(client, session)
    grow(18)
    with CaptureQueriesContext(connection) as many:
        body = session_page(client, session)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert body.count("Slides ") == 20
