"""The leak test: alerts at every visibility level, and every place an alert can surface.

Each alert carries a distinctive title, confidential details and (where pledges can be made) a pledge
note. Each viewer fetches every page, feed, export, API answer and in-app notice list that lists or
shows alerts, and receives the emails the workflow sends; the distinctive strings must appear in what a
viewer got exactly when that viewer may see them, and nowhere else.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from rare.api import services as api_services
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from rare.solidarity import services
from rare.solidarity.models import Alert, Pledge
from tests.factories import (
    AlertFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role
VIEWERS = ("visitor", "participant", "named", "team", "officer")
LEVELS = ("public", "unverified", "members", "group", "restricted")

# Who sees each alert's title (and its pledges), and who reads its confidential details.
SEES = {
    "public": set(VIEWERS),
    "unverified": {"participant", "named", "team", "officer"},  # members see it; visitors once verified
    "members": {"participant", "named", "team", "officer"},
    "group": {"named", "team", "officer"},
    "restricted": {"named", "officer"},
}
READS_DETAILS = {
    "public": {"officer"},
    "unverified": {"officer"},
    "members": {"officer"},
    "group": {"officer"},
    "restricted": {"named", "officer"},
}


def _title(level: str) -> str:
    return f"Zebracorn {level} title"


def _details(level: str) -> str:
    return f"Quokkasecret {level} details"


def _note(level: str) -> str:
    return f"Narwhalpledge {level} note"


def _person(programme, role, **fields):
    person = PersonFactory(user=UserFactory(), **fields)
    MembershipFactory(programme=programme, person=person, role=role)
    return person


@pytest.fixture
def world(db, settings, tasks_run_now, django_capture_on_commit_callbacks, mailoutbox):
    settings.SITE_URL = "http://testserver"
    programme = ProgrammeFactory()
    people = {
        "participant": _person(programme, Role.PARTICIPANT, organisation=OrganisationFactory()),
        "named": _person(programme, Role.PARTICIPANT, organisation=OrganisationFactory()),
        "team": _person(programme, Role.TEAM, organisation=OrganisationFactory()),
        "officer": _person(programme, Role.DUTY_OFFICER, organisation=OrganisationFactory()),
    }
    group = WorkingGroupFactory(programme=programme, members=[people["named"]])
    visibility = {
        "public": Visibility.PUBLIC,
        "unverified": Visibility.PUBLIC,
        "members": Visibility.MEMBERS,
        "group": Visibility.GROUP,
        "restricted": Visibility.RESTRICTED,
    }
    alerts = {}
    officer = people["officer"].user
    with django_capture_on_commit_callbacks(execute=True):
        for level in LEVELS:
            alert = AlertFactory(
                title=_title(level),
                summary=f"Summary of the {level} alert.",
                details=_details(level),
                visibility=visibility[level],
                country="HU",
                sources="https://example.org/one\nhttps://example.org/two",
            )
            if level == "group":
                alert.allowed_groups.add(group)
            if level == "restricted":
                alert.allowed_people.add(people["named"])
            if level != "unverified":
                alert = services.verify_alert(
                    alert=alert,
                    officer=officer,
                    reasons="Checked twice.",
                    checked_sources=["https://example.org/one", "https://example.org/two"],
                )
                pledger = people["officer"] if level != "restricted" else people["named"]
                services.pledge_response(
                    alert=alert,
                    organisation=pledger.organisation,
                    actor=pledger.user,
                    kind=Pledge.Kind.LETTER,
                    note=_note(level),
                )
            alerts[level] = alert
    users = {"visitor": None, **{key: person.user for key, person in people.items()}}
    return alerts, users, mailoutbox


def _fetch_everything(user, alerts: dict[str, Alert]) -> bytes:
    """Every page, feed, export and API answer that lists or shows alerts, as this viewer sees it."""
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    paths = [
        "/alerts/",
        "/alerts/?country=HU",
        "/alerts/?status=verified",
        "/alerts/queue/",
        "/alerts/coverage/",
        "/feeds/alerts.atom",
        "/monitor/",
        "/monitor/HU/",
        "/monitor/spillover/",
        "/monitor/data.csv",
        "/monitor/data.json",
        "/notifications/",
        "/directory/",
        "/",
    ]
    for alert in alerts.values():
        paths += [
            f"/alerts/{alert.pk}/",
            f"/monitor/spillover/alert/{alert.pk}/",
        ]
    body = b""
    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 302, 404}, (path, response.status_code)
        body += b"".join(response.streaming_content) if response.streaming else response.content

    if user is not None:
        _token, secret = api_services.create_token(user=user, name="leak test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    else:
        headers = {}
    api = Client(raise_request_exception=True)
    for path in ["/api/v1/alerts", *(f"/api/v1/alerts/{a.pk}" for a in alerts.values())]:
        response = api.get(path, **headers)
        assert response.status_code in {200, 401, 403, 404}, (path, response.status_code)
        body += response.content
    return body


@pytest.mark.parametrize("viewer", VIEWERS)
def test_no_page_feed_export_or_api_answer_reveals_an_alert_to_someone_not_allowed(world, viewer):
    alerts, users, _outbox = world

    seen = _fetch_everything(users[viewer], alerts).decode()

    titles = {level: _title(level) in seen for level in LEVELS}
    details = {level: _details(level) in seen for level in LEVELS}
    notes = {level: _note(level) in seen for level in LEVELS if level != "unverified"}
    assert titles == {level: viewer in SEES[level] for level in LEVELS}
    assert details == {level: viewer in READS_DETAILS[level] for level in LEVELS}
    # who does what is for members who see the alert
    assert notes == {level: viewer in SEES[level] and viewer != "visitor" for level in notes}


def test_no_email_reveals_an_alert_to_someone_not_allowed(world):
    alerts, users, outbox = world
    addresses = {user.email: key for key, user in users.items() if user is not None}

    for message in outbox:
        viewer = addresses.get(message.to[0])
        text = f"{message.subject}\n{message.body}"
        for level in LEVELS:
            if _title(level) in text or f"/alerts/{alerts[level].pk}/" in text:
                assert (message.to, level, viewer in SEES[level]) == (message.to, level, True)
            if _details(level) in text:
                assert (message.to, level, viewer in READS_DETAILS[level]) == (message.to, level, True)
    # pledges made by the officer tell nobody else about public, members and group alerts; the named
    # participant's pledge on the restricted alert reaches the duty officer only
    pledged = [m for m in outbox if f"/alerts/{alerts['restricted'].pk}/" in m.body and "pledged" in m.subject]
    assert [m.to for m in pledged] == [[users["officer"].email]]


@pytest.mark.django_db
def test_travel_mode_hides_a_restricted_alert_even_from_the_duty_officer(client):
    officer = PersonFactory(user=UserFactory())
    MembershipFactory(person=officer, role=Role.DUTY_OFFICER)
    alert = AlertFactory(
        title=_title("restricted"),
        visibility=Visibility.RESTRICTED,
        status=Alert.Status.VERIFIED,
        verified_at=timezone.now(),
    )
    type(officer.user).objects.filter(pk=officer.user.pk).update(travel_mode=True)
    client.force_login(officer.user)

    pages = [client.get(p) for p in ("/alerts/", "/alerts/coverage/", f"/alerts/{alert.pk}/")]

    assert pages[2].status_code == 404
    assert all(_title("restricted") not in p.content.decode() for p in pages)
