"""Response pledges on alerts, evidence files, and the team's coverage page."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from rare.core.formatting import duration_text
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from rare.solidarity import queries, services
from rare.solidarity.models import Alert, AlertEvidence, Pledge, count_pledges
from tests.factories import (
    AlertEvidenceFactory,
    AlertFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PledgeFactory,
    UserFactory,
)

Role = Membership.Role
PDF = b"%PDF-1.4\n% a letter to the embassy\n"


def _member(role=Role.PARTICIPANT, **person_fields):
    person = PersonFactory(user=UserFactory(), **person_fields)
    MembershipFactory(person=person, role=role)
    return person


def _verified(**fields) -> Alert:
    fields.setdefault("status", Alert.Status.VERIFIED)
    fields.setdefault("verified_at", timezone.now())
    fields.setdefault("visibility", Visibility.MEMBERS)
    return AlertFactory(**fields)


def _raw_file(field) -> bytes:
    with open(field.storage.path(field.name), "rb") as fh:
        return fh.read()


# --- Pledging ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_pledges_a_letter_for_their_organisation(client):
    alert = _verified(title="Lawyers detained in Kraków")
    member = _member()
    client.force_login(member.user)

    response = client.post(f"/alerts/{alert.pk}/pledges/", {"kind": Pledge.Kind.LETTER, "note": "To the embassy."})

    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/alerts/{alert.pk}/#responses"
    assert (pledge.alert, pledge.organisation, pledge.pledged_by, pledge.person, pledge.kind, pledge.status) == (
        alert,
        member.organisation,
        member.user,
        member,
        Pledge.Kind.LETTER,
        Pledge.Status.PLEDGED,
    )
    entry = AuditEntry.objects.get(action="pledge.made")
    assert (entry.details["pledge"], entry.details["kind"]) == (pledge.pk, "letter")
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert member.organisation.name in page
    assert "letter to our own government or embassy" in page


@pytest.mark.django_db
def test_a_pledge_notifies_the_reporter_and_duty_officers_by_email(
    client, tasks_run_now, mailoutbox, django_capture_on_commit_callbacks
):
    from rare.core.models import Delivery

    reporter = _member()
    officer = _member(Role.DUTY_OFFICER)
    bystander = _member()
    member = _member()
    alert = _verified(reporter=reporter.user)
    client.force_login(member.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/alerts/{alert.pk}/pledges/", {"kind": Pledge.Kind.JOINT_STATEMENT})

    recipients = sorted(Delivery.objects.filter(notice__kind="alert.pledged").values_list("recipient_id", flat=True))
    assert recipients == sorted([reporter.user.pk, officer.user.pk])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([reporter.user.email, officer.user.email])
    assert mailoutbox[0].subject == "A response was pledged on an alert"
    assert f"/alerts/{alert.pk}/" in mailoutbox[0].body
    assert bystander.user.email not in [m.to[0] for m in mailoutbox]


@pytest.mark.django_db
def test_pledges_only_on_verified_or_active_alerts_the_member_sees(client):
    member = _member()
    client.force_login(member.user)
    reported = AlertFactory(visibility=Visibility.MEMBERS)
    hidden = _verified(visibility=Visibility.RESTRICTED)
    closed = _verified(status=Alert.Status.CLOSED)

    for alert in (reported, hidden, closed):
        assert client.post(f"/alerts/{alert.pk}/pledges/", {"kind": Pledge.Kind.MEDIA}).status_code == 404
    assert Pledge.objects.count() == 0
    with pytest.raises(ValidationError):
        services.pledge_response(alert=reported, organisation=None, actor=member.user, kind=Pledge.Kind.MEDIA)


@pytest.mark.django_db
def test_visitor_cannot_pledge_and_sees_only_how_many_responses(client):
    alert = _verified(visibility=Visibility.PUBLIC)
    PledgeFactory(alert=alert, organisation=OrganisationFactory(name="Quiet Helpers Association"))

    response = client.post(f"/alerts/{alert.pk}/pledges/", {"kind": Pledge.Kind.MEDIA})
    page = client.get(f"/alerts/{alert.pk}/").content.decode()

    assert response.status_code == 302  # to sign in
    assert Pledge.objects.count() == 1
    assert "1 response pledged" in page
    assert "Quiet Helpers Association" not in page


@pytest.mark.django_db
def test_pledger_marks_done_with_text_and_an_encrypted_file(client):
    member = _member()
    pledge = PledgeFactory(alert=_verified(), organisation=member.organisation, pledged_by=member.user)
    client.force_login(member.user)

    response = client.post(
        f"/alerts/{pledge.alert.pk}/pledges/{pledge.pk}/done/",
        {
            f"done-{pledge.pk}-evidence": "Sent on Monday: https://example.org/letter",
            f"done-{pledge.pk}-evidence_file": SimpleUploadedFile("letter.pdf", PDF),
        },
    )

    pledge.refresh_from_db()
    assert response.status_code == 302
    assert (pledge.status, pledge.evidence, pledge.evidence_filename) == (
        Pledge.Status.DONE,
        "Sent on Monday: https://example.org/letter",
        "letter.pdf",
    )
    assert pledge.done_at is not None
    assert b"a letter to the embassy" not in _raw_file(pledge.evidence_file)
    with connection.cursor() as cursor:
        cursor.execute("SELECT evidence FROM solidarity_pledge WHERE id = %s", [pledge.pk])
        assert "Monday" not in cursor.fetchone()[0]
    assert AuditEntry.objects.filter(action="pledge.done").count() == 1

    other = _member()
    client.force_login(other.user)
    download = client.get(f"/alerts/{pledge.alert.pk}/pledges/{pledge.pk}/evidence/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert "no-store" in download["Cache-Control"]
    assert AuditEntry.objects.filter(action="pledge.evidence_downloaded").count() == 1
    client.logout()
    assert client.get(f"/alerts/{pledge.alert.pk}/pledges/{pledge.pk}/evidence/").status_code == 404


@pytest.mark.django_db
def test_marking_done_needs_evidence_and_a_file_of_an_allowed_type(client):
    member = _member()
    pledge = PledgeFactory(alert=_verified(), organisation=member.organisation, pledged_by=member.user)
    client.force_login(member.user)
    url = f"/alerts/{pledge.alert.pk}/pledges/{pledge.pk}/done/"

    empty = client.post(url, {f"done-{pledge.pk}-evidence": ""})
    script = client.post(
        url, {f"done-{pledge.pk}-evidence_file": SimpleUploadedFile("letter.pdf", b"#!/bin/sh\necho hello\n")}
    )

    pledge.refresh_from_db()
    assert (empty.status_code, script.status_code, pledge.status) == (400, 400, Pledge.Status.PLEDGED)
    assert "Say what shows the response was made" in empty.content.decode()
    assert "is not a PDF file" in script.content.decode()


@pytest.mark.django_db
def test_only_the_pledging_organisation_or_a_duty_officer_changes_a_pledge(client):
    member = _member()
    colleague = _member(organisation=member.organisation)
    stranger = _member()
    officer = _member(Role.DUTY_OFFICER)
    alert = _verified()
    first = PledgeFactory(alert=alert, organisation=member.organisation, pledged_by=member.user)
    second = PledgeFactory(alert=alert, organisation=member.organisation, pledged_by=member.user)
    third = PledgeFactory(alert=alert, organisation=member.organisation, pledged_by=member.user)

    client.force_login(stranger.user)
    assert client.post(f"/alerts/{alert.pk}/pledges/{first.pk}/withdraw/").status_code == 404
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "Withdraw the pledge" not in page
    client.force_login(colleague.user)
    assert "Withdraw the pledge" in client.get(f"/alerts/{alert.pk}/").content.decode()
    assert client.post(f"/alerts/{alert.pk}/pledges/{first.pk}/withdraw/").status_code == 302
    client.force_login(officer.user)
    assert client.post(f"/alerts/{alert.pk}/pledges/{second.pk}/withdraw/").status_code == 302
    # a pledge of another alert is not reachable through this one
    other = PledgeFactory(organisation=member.organisation, pledged_by=member.user)
    client.force_login(member.user)
    assert client.post(f"/alerts/{alert.pk}/pledges/{other.pk}/withdraw/").status_code == 404

    statuses = {p.pk: p.status for p in Pledge.objects.all()}
    assert statuses == {
        first.pk: Pledge.Status.WITHDRAWN,
        second.pk: Pledge.Status.WITHDRAWN,
        third.pk: Pledge.Status.PLEDGED,
        other.pk: Pledge.Status.PLEDGED,
    }
    assert AuditEntry.objects.filter(action="pledge.withdrawn").count() == 2
    with pytest.raises(ValidationError):
        services.mark_pledge_done(pledge=first, actor=member.user, evidence="Too late.")


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_pledges(client, django_assert_max_num_queries):
    member = _member()
    alert = _verified()
    client.force_login(member.user)

    def add(n):
        for _ in range(n):
            PledgeFactory(alert=alert, organisation=member.organisation, pledged_by=member.user)

    add(3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(f"/alerts/{alert.pk}/").status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/alerts/{alert.pk}/")
    assert response.content.decode().count("Withdraw the pledge") == 30


# --- Evidence files on alerts -----------------------------------------------------------------------


@pytest.mark.django_db
def test_report_with_an_evidence_file_stores_it_encrypted(client):
    reporter = _member()
    client.force_login(reporter.user)

    response = client.post(
        "/alerts/report/",
        {
            "title": "Offices searched in Győr",
            "country": "HU",
            "occurred_on": "2026-11-20",
            "category": Alert.Category.RAID,
            "perpetrator": Alert.Perpetrator.UNKNOWN,
            "severity": Alert.Severity.MEDIUM,
            "visibility": Visibility.RESTRICTED,
            "evidence_file": SimpleUploadedFile("notes.txt", b"Plate numbers of the cars"),
        },
    )

    alert = Alert.objects.get()
    evidence = AlertEvidence.objects.get()
    assert response.status_code == 302
    assert (evidence.alert, evidence.filename, evidence.size, evidence.uploaded_by) == (
        alert,
        "notes.txt",
        25,
        reporter.user,
    )
    assert b"Plate numbers" not in _raw_file(evidence.file)
    assert AuditEntry.objects.filter(action="alert.evidence_added").count() == 1


@pytest.mark.django_db
def test_report_refuses_a_file_of_the_wrong_type_and_keeps_nothing(client):
    client.force_login(_member().user)
    response = client.post(
        "/alerts/report/",
        {
            "title": "Something",
            "country": "HU",
            "occurred_on": "2026-11-20",
            "category": Alert.Category.OTHER,
            "perpetrator": Alert.Perpetrator.UNKNOWN,
            "severity": Alert.Severity.MEDIUM,
            "visibility": Visibility.RESTRICTED,
            "evidence_file": SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "Files of this type cannot be uploaded" in response.content.decode()
    assert (Alert.objects.count(), AlertEvidence.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_evidence_is_added_by_reporter_or_officer_and_read_by_those_who_read_details(client):
    reporter = _member()
    officer = _member(Role.DUTY_OFFICER)
    colleague = _member(organisation=reporter.organisation)
    member = _member()
    alert = _verified(reporter=reporter.user, visibility=Visibility.MEMBERS)
    alert.affected_organisations.add(reporter.organisation)

    client.force_login(member.user)
    refused = client.post(f"/alerts/{alert.pk}/evidence/", {"file": SimpleUploadedFile("a.txt", b"text")})
    assert refused.status_code == 404
    client.force_login(officer.user)
    added = client.post(
        f"/alerts/{alert.pk}/evidence/",
        {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n1234"), "description": "The door"},
    )
    assert added.status_code == 302
    evidence = AlertEvidence.objects.get()

    url = f"/alerts/{alert.pk}/evidence/{evidence.pk}/"
    for person, status in ((colleague, 200), (reporter, 200), (member, 404)):
        client.force_login(person.user)
        assert (person.name, client.get(url).status_code) == (person.name, status)
        page = client.get(f"/alerts/{alert.pk}/").content.decode()
        assert (person.name, "photo.png" in page) == (person.name, status == 200)
    client.logout()
    assert client.get(url).status_code == 302
    assert AuditEntry.objects.filter(action="alert.evidence_downloaded").count() == 2


@pytest.mark.django_db
def test_evidence_factory_file_is_sealed():
    evidence = AlertEvidenceFactory()
    assert b"witness" not in _raw_file(evidence.file)
    assert os.path.basename(evidence.file.name).startswith("evidence")
    assert evidence.file.open("rb").read() == b"What the witness"


# --- Coverage --------------------------------------------------------------------------------------


def _created(alert: Alert, at: dt.datetime) -> None:
    Alert.objects.filter(pk=alert.pk).update(created_at=at)


def _pledged(alert: Alert, at: dt.datetime, status=Pledge.Status.PLEDGED) -> Pledge:
    pledge = PledgeFactory(alert=alert, status=status)
    Pledge.objects.filter(pk=pledge.pk).update(created_at=at)
    count_pledges(alert.pk)  # the update above bypasses Pledge.save, which keeps the alert's counters
    return pledge


@pytest.mark.django_db
def test_coverage_lists_alerts_with_fewest_responses_first_and_the_median_time(client):
    start = timezone.now() - dt.timedelta(days=10)
    none = _verified(title="Nobody answered")
    one = _verified(title="One answer", status=Alert.Status.ACTIVE)
    many = _verified(title="Many answers")
    only_withdrawn = _verified(title="Only withdrawn")
    _verified(title="Already resolved", status=Alert.Status.RESOLVED)
    AlertFactory(title="Still reported")
    for alert in (none, one, many, only_withdrawn):
        _created(alert, start)
    _pledged(one, start + dt.timedelta(hours=6))
    _pledged(many, start + dt.timedelta(hours=2), status=Pledge.Status.DONE)
    _pledged(many, start + dt.timedelta(hours=30))
    _pledged(many, start + dt.timedelta(hours=40))
    _pledged(only_withdrawn, start + dt.timedelta(hours=1), status=Pledge.Status.WITHDRAWN)

    rows = [(a.title, a.live_pledges, a.done_pledges) for a in queries.coverage(_member(Role.TEAM).user)]
    summary = queries.coverage_summary(_member(Role.TEAM).user)

    assert rows == [
        ("Nobody answered", 0, 0),
        ("Only withdrawn", 0, 0),
        ("One answer", 1, 0),
        ("Many answers", 3, 1),
    ]
    assert summary == queries.CoverageSummary(
        alerts=4, without_response=2, few_responses=1, answered=2, median_to_first=dt.timedelta(hours=4)
    )
    client.force_login(_member(Role.DUTY_OFFICER).user)
    page = client.get("/alerts/coverage/").content.decode()
    assert "4 hours" in page
    assert "6 hours" in page
    assert page.index("Nobody answered") < page.index("Many answers")
    assert "Still reported" not in page and "Already resolved" not in page


@pytest.mark.django_db
def test_coverage_is_for_the_team_only_and_applies_visibility(client):
    assert client.get("/alerts/coverage/").status_code == 302
    client.force_login(_member().user)
    assert client.get("/alerts/coverage/").status_code == 404
    _verified(title="Restricted and unnamed", visibility=Visibility.RESTRICTED)
    client.force_login(_member(Role.TEAM).user)
    response = client.get("/alerts/coverage/")
    assert response.status_code == 200
    assert "Restricted and unnamed" not in response.content.decode()


@pytest.mark.django_db
def test_coverage_query_count_does_not_grow_with_alerts(client, django_assert_max_num_queries):
    client.force_login(_member(Role.DUTY_OFFICER).user)

    def add(n):
        for _ in range(n):
            _pledged(_verified(), timezone.now())

    add(3)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/alerts/coverage/").status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/alerts/coverage/").status_code == 200


def test_duration_text():
    assert [
        duration_text(dt.timedelta(seconds=20)),
        duration_text(dt.timedelta(minutes=61)),
        duration_text(dt.timedelta(days=2, hours=3, minutes=5)),
        duration_text(dt.timedelta(days=1)),
    ] == ["less than a minute", "1 hour, 1 minute", "2 days, 3 hours", "1 day"]


@pytest.mark.django_db
def test_the_alert_keeps_count_of_its_pledges_as_they_are_made_done_and_withdrawn():
    member = _member()
    alert = _verified(title="Counted")
    stale = Alert.objects.get(pk=alert.pk)  # an edit form opened before anyone answered

    first = services.pledge_response(alert=alert, organisation=None, actor=member.user, kind=Pledge.Kind.MEDIA)
    second = services.pledge_response(alert=alert, organisation=None, actor=member.user, kind=Pledge.Kind.LETTER)
    services.mark_pledge_done(pledge=second, actor=member.user, evidence="Letter sent on 3 May")
    alert.refresh_from_db()
    assert (alert.live_pledges, alert.done_pledges, alert.first_pledge_at) == (2, 1, first.created_at)

    services.withdraw_pledge(pledge=first, actor=member.user)
    alert.refresh_from_db()
    assert (alert.live_pledges, alert.done_pledges, alert.first_pledge_at) == (1, 1, second.created_at)

    stale.title = "Counted, renamed"
    stale.save()
    alert.refresh_from_db()
    assert (alert.title, alert.live_pledges, alert.done_pledges) == ("Counted, renamed", 1, 1)

    second.delete()
    alert.refresh_from_db()
    assert (alert.live_pledges, alert.done_pledges, alert.first_pledge_at) == (0, 0, None)


@pytest.mark.django_db
def test_coverage_totals_are_kept_a_minute_per_viewer_and_the_list_stays_live(client):
    team = _member(Role.TEAM).user
    alert = _verified(title="Waiting for answers")
    assert queries.coverage_summary(team).without_response == 1

    PledgeFactory(alert=alert)

    assert queries.coverage_summary(team).without_response == 1  # kept for this viewer
    assert queries.coverage_summary(team, fresh=True).without_response == 0
    assert queries.coverage_summary(_member(Role.DUTY_OFFICER).user).without_response == 0  # another viewer
    assert [(a.title, a.live_pledges) for a in queries.coverage(team)] == [("Waiting for answers", 1)]
