"""Alerts: reporting, verification workflow, visibility on every page and the feed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from rare.solidarity import services
from rare.solidarity.models import Alert, AlertUpdate
from tests.factories import (
    AlertFactory,
    AlertUpdateFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

Role = Membership.Role
ATOM = "{http://www.w3.org/2005/Atom}"


def _member(role=Role.PARTICIPANT, **person_fields):
    person = PersonFactory(user=UserFactory(), **person_fields)
    MembershipFactory(person=person, role=role)
    return person


def _verified(**fields) -> Alert:
    fields.setdefault("status", Alert.Status.VERIFIED)
    fields.setdefault("verified_at", timezone.now())
    return AlertFactory(**fields)


def _titles(response) -> list[str]:
    return re.findall(r'<h2 class="card__title">\s*<a href="/alerts/\d+/">([^<]+)</a>', response.content.decode())


def _feed_titles(client) -> list[str]:
    response = client.get("/feeds/alerts.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, not untrusted input)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


# --- Reporting ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_reports_an_alert_restricted_to_duty_officers_and_their_organisation(client):
    reporter = _member()
    colleague = PersonFactory(user=UserFactory(), organisation=reporter.organisation)
    MembershipFactory(person=colleague)
    stranger = _member()
    officer = _member(Role.DUTY_OFFICER)
    client.force_login(reporter.user)

    response = client.post(
        "/alerts/report/",
        {
            "title": "Office raided in Szeged",
            "country": "HU",
            "occurred_on": "2026-11-20",
            "category": Alert.Category.RAID,
            "perpetrator": Alert.Perpetrator.LAW_ENFORCEMENT,
            "severity": Alert.Severity.HIGH,
            "summary": "Police searched the office.",
            "details": "Names of the staff present.",
            "sources": "https://example.org/a\nPhone call with the director",
            "visibility": Visibility.RESTRICTED,
        },
    )

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/alerts/{alert.pk}/"
    assert (alert.status, alert.visibility, alert.reporter) == (
        Alert.Status.REPORTED,
        Visibility.RESTRICTED,
        reporter.user,
    )
    assert list(alert.affected_organisations.all()) == [reporter.organisation]
    entry = AuditEntry.objects.get(action="alert.reported")
    assert "Szeged" not in str(entry.details) and "staff" not in str(entry.details)
    for person, sees in ((reporter, True), (colleague, True), (officer, True), (stranger, False)):
        client.force_login(person.user)
        assert ("Office raided in Szeged" in client.get("/alerts/").content.decode()) is sees
        assert client.get(f"/alerts/{alert.pk}/").status_code == (200 if sees else 404)


@pytest.mark.django_db
def test_report_page_is_only_for_members(client):
    assert client.get("/alerts/report/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/alerts/report/").status_code == 404
    client.force_login(_member().user)
    assert client.get("/alerts/report/").status_code == 200


@pytest.mark.django_db
def test_confidential_details_are_encrypted_in_the_database():
    alert = AlertFactory(details="The witness lives at Rose Street 4.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM solidarity_alert WHERE id = %s", [alert.pk])
        raw = cursor.fetchone()[0]
    assert "Rose Street" not in raw
    assert Alert.objects.get(pk=alert.pk).details == "The witness lives at Rose Street 4."


# --- Verification and transitions ------------------------------------------------------------------


@pytest.mark.django_db
def test_duty_officer_verifies_with_two_sources_and_reasons(client):
    officer = _member(Role.DUTY_OFFICER)
    alert = AlertFactory(sources="https://example.org/a\nhttps://example.org/b\nhttps://example.org/c")
    client.force_login(officer.user)

    assert "Alert " in client.get("/alerts/queue/").content.decode()
    response = client.post(
        f"/alerts/{alert.pk}/verify/",
        {"checked_sources": ["https://example.org/a", "https://example.org/c"], "reasons": "Two outlets confirm."},
    )

    alert.refresh_from_db()
    assert response.status_code == 302
    assert (alert.status, alert.verified_by, alert.verification_reasons) == (
        Alert.Status.VERIFIED,
        officer.user,
        "Two outlets confirm.",
    )
    assert alert.verified_at is not None
    assert list(alert.updates.values_list("kind", flat=True)) == [AlertUpdate.Kind.STATUS_CHANGE]
    assert AuditEntry.objects.filter(action="alert.verified").count() == 1
    assert client.get("/alerts/queue/").content.decode().count(alert.title) == 0


@pytest.mark.django_db
def test_verification_with_one_source_is_refused(client):
    officer = _member(Role.DUTY_OFFICER)
    alert = AlertFactory()
    client.force_login(officer.user)

    response = client.post(
        f"/alerts/{alert.pk}/verify/", {"checked_sources": ["https://example.org/one"], "reasons": "Seen it."}
    )

    alert.refresh_from_db()
    assert response.status_code == 400
    assert "Check at least two sources before verifying." in response.content.decode()
    assert alert.status == Alert.Status.REPORTED
    with pytest.raises(ValidationError):
        services.verify_alert(alert=alert, officer=officer.user, reasons="x", checked_sources=["made up", "also"])


@pytest.mark.django_db
def test_participant_cannot_verify_or_open_the_queue(client):
    reporter = _member()
    alert = AlertFactory(reporter=reporter.user)
    alert.allowed_people.add(reporter)
    client.force_login(reporter.user)

    assert client.get("/alerts/queue/").status_code == 404
    response = client.post(
        f"/alerts/{alert.pk}/verify/",
        {"checked_sources": ["https://example.org/one", "https://example.org/two"], "reasons": "Mine."},
    )

    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.status == Alert.Status.REPORTED


@pytest.mark.django_db
def test_workflow_follows_allowed_transitions_only(client):
    officer = _member(Role.DUTY_OFFICER)
    alert = _verified()
    client.force_login(officer.user)

    client.post(f"/alerts/{alert.pk}/status/", {"to": Alert.Status.CLOSED})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.VERIFIED

    for to in (Alert.Status.ACTIVE, Alert.Status.RESOLVED, Alert.Status.CLOSED):
        client.post(f"/alerts/{alert.pk}/status/", {"to": to})
        alert.refresh_from_db()
        assert alert.status == to
    assert list(
        AuditEntry.objects.filter(action__startswith="alert.").order_by("pk").values_list("action", flat=True)
    ) == [
        "alert.activated",
        "alert.resolved",
        "alert.closed",
    ]
    assert alert.updates.count() == 3


@pytest.mark.django_db
def test_reported_alert_can_be_rejected_but_not_resolved():
    officer = _member(Role.DUTY_OFFICER)
    alert = AlertFactory()

    with pytest.raises(ValidationError):
        services.resolve_alert(alert=alert, officer=officer.user)
    with pytest.raises(ValidationError):
        services.activate_alert(alert=alert, officer=officer.user)
    services.close_alert(alert=alert, officer=officer.user)

    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED
    assert alert.updates.get().text == "Closed without verification."


@pytest.mark.django_db
def test_authority_reply_appears_on_the_timeline(client):
    officer = _member(Role.DUTY_OFFICER)
    alert = _verified(visibility=Visibility.PUBLIC)
    client.force_login(officer.user)

    client.post(
        f"/alerts/{alert.pk}/updates/",
        {"kind": AlertUpdate.Kind.AUTHORITY_REPLY, "text": "The ministry denies the raid.", "is_public": "on"},
    )
    client.logout()

    body = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "reply of the authorities" in body
    assert "The ministry denies the raid." in body


# --- Visibility ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_visitor_sees_only_public_verified_alerts_on_list_detail_and_feed(client):
    shown = _verified(title="Public verified", visibility=Visibility.PUBLIC)
    unverified = AlertFactory(title="Public unverified", visibility=Visibility.PUBLIC)
    members = _verified(title="Members only", visibility=Visibility.MEMBERS)
    secret = _verified(title="Secret raid", visibility=Visibility.RESTRICTED)

    assert _titles(client.get("/alerts/")) == ["Public verified"]
    assert _feed_titles(client) == ["Public verified"]
    assert client.get(f"/alerts/{shown.pk}/").status_code == 200
    for alert in (unverified, members, secret):
        assert client.get(f"/alerts/{alert.pk}/").status_code == 404
    assert "Secret raid" not in client.get("/feeds/alerts.atom").content.decode()


@pytest.mark.django_db
def test_restricted_alert_title_is_hidden_from_others_and_shown_to_named_and_officers(client):
    affected = OrganisationFactory()
    named = _member(organisation=affected)
    participant = _member()
    officer = _member(Role.DUTY_OFFICER)
    alert = _verified(title="Secret raid", details="Witness names", visibility=Visibility.RESTRICTED)
    alert.allowed_organisations.add(affected)
    alert.affected_organisations.add(affected)

    client.force_login(participant.user)
    assert "Secret raid" not in client.get("/alerts/").content.decode()
    assert client.get(f"/alerts/{alert.pk}/").status_code == 404
    assert "Secret raid" not in client.get("/feeds/alerts.atom").content.decode()

    for person in (named, officer):
        client.force_login(person.user)
        body = client.get(f"/alerts/{alert.pk}/").content.decode()
        assert "Secret raid" in body
        assert "Witness names" in body
    assert AuditEntry.objects.filter(action="record.viewed").count() == 2


@pytest.mark.django_db
def test_members_alert_shows_summary_but_not_details_to_other_members(client):
    alert = _verified(summary="Public words", details="Witness names", visibility=Visibility.MEMBERS)
    AlertUpdateFactory(alert=alert, text="Open note", is_public=True)
    AlertUpdateFactory(alert=alert, text="Internal note", is_public=False)
    client.force_login(_member().user)

    body = client.get(f"/alerts/{alert.pk}/").content.decode()

    assert "Public words" in body and "Open note" in body
    assert "Witness names" not in body and "Internal note" not in body


@pytest.mark.django_db
def test_list_filters_by_country_category_and_status(client):
    _verified(title="Hungarian SLAPP", visibility=Visibility.PUBLIC, country="HU")
    _verified(title="Polish raid", visibility=Visibility.PUBLIC, country="PL", category=Alert.Category.RAID)

    assert _titles(client.get("/alerts/?country=PL")) == ["Polish raid"]
    assert _titles(client.get(f"/alerts/?category={Alert.Category.JUDICIAL_HARASSMENT}")) == ["Hungarian SLAPP"]
    assert _titles(client.get("/alerts/?status=closed")) == []


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_alerts(client, django_assert_max_num_queries):
    person = _member()

    def make(count):
        for alert in AlertFactory.create_batch(
            count, visibility=Visibility.RESTRICTED, occurred_on=dt.date(2026, 1, 1)
        ):
            alert.allowed_people.add(person)

    make(5)
    client.force_login(person.user)
    with django_assert_max_num_queries(10) as few:
        assert len(_titles(client.get("/alerts/"))) == 5
    make(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_titles(client.get("/alerts/"))) == 20


@pytest.mark.django_db
def test_list_counts_only_up_to_a_bound_and_still_pages_through_every_alert(client, monkeypatch):
    """Above the bound the page says "more than" so many pages, never a number it did not count; the
    previous and next links walk every alert once, and the last page is found by paging to it."""
    monkeypatch.setattr("rare.core.paging.COUNT_BOUND", 4)
    monkeypatch.setattr("rare.solidarity.queries.ALERTS_PER_PAGE", 2)
    for day in range(1, 8):
        _verified(title=f"Alert of day {day}", visibility=Visibility.PUBLIC, occurred_on=dt.date(2026, 3, day))

    first = client.get("/alerts/").content.decode()
    assert "Page 1 of more than 2" in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    third = client.get("/alerts/?page=3").content.decode()
    assert "Page 3 of more than 3" in third
    assert 'href="?page=2" rel="prev"' in third and 'href="?page=4" rel="next"' in third
    last = client.get("/alerts/?page=4").content.decode()
    assert "Page 4 of 4" in last and 'rel="next"' not in last
    seen = [title for n in range(1, 5) for title in _titles(client.get(f"/alerts/?page={n}"))]
    assert seen == [f"Alert of day {day}" for day in range(7, 0, -1)]
    assert _titles(client.get("/alerts/?page=40")) == ["Alert of day 1"]
    assert _titles(client.get("/alerts/?page=" + "9" * 30)) == ["Alert of day 1"]  # no count past a bigint

    monkeypatch.setattr("rare.core.paging.COUNT_BOUND", 7)
    assert "Page 1 of 4" in client.get("/alerts/").content.decode()


@pytest.mark.django_db
def test_feed_query_count_does_not_grow_with_alerts(client, django_assert_max_num_queries):
    _verified(visibility=Visibility.PUBLIC)
    with django_assert_max_num_queries(10) as few:
        assert len(_feed_titles(client)) == 1
    for _ in range(20):
        _verified(visibility=Visibility.PUBLIC)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_feed_titles(client)) == 21


@pytest.mark.django_db
def test_report_link_only_for_members(client):
    assert "Report an attack" not in client.get("/alerts/").content.decode()
    client.force_login(_member().user)
    assert "Report an attack" in client.get("/alerts/").content.decode()


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_timeline_and_organisations(client, django_assert_max_num_queries):
    officer = _member(Role.DUTY_OFFICER)
    alert = _verified(visibility=Visibility.MEMBERS)
    client.force_login(officer.user)
    with django_assert_max_num_queries(20) as few:
        assert client.get(f"/alerts/{alert.pk}/").status_code == 200
    AlertUpdateFactory.create_batch(10, alert=alert)
    alert.affected_organisations.add(*OrganisationFactory.create_batch(5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/alerts/{alert.pk}/").content.decode().count("An update.") == 10


@pytest.mark.django_db
def test_admin_lists_only_alerts_the_staff_member_may_see(client):
    from django.conf import settings

    team = PersonFactory(user=UserFactory(is_staff=True, is_superuser=True))
    MembershipFactory(person=team, role=Role.TEAM)
    AlertFactory(title="Open alert", visibility=Visibility.MEMBERS)
    AlertFactory(title="Secret raid", visibility=Visibility.RESTRICTED)
    client.force_login(team.user)

    body = client.get(f"/{settings.RARE_ADMIN_PATH}/solidarity/alert/").content.decode()

    assert "Open alert" in body
    assert "Secret raid" not in body
