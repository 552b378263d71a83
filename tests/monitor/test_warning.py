"""Early warning: a tactic seen elsewhere reaches a new country; the members there and those who faced it
before are told, and only if they may see the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from rare.core.models import AuditEntry, Delivery, Notice
from rare.monitor import queries, services
from rare.monitor.models import SpilloverLink, TacticSighting
from rare.programme.models import Membership
from rare.solidarity import services as solidarity
from tests.factories import AlertFactory, MeasureFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.monitor.helpers import day, duty_officer, member, team, verified_alert

pytestmark = pytest.mark.django_db

TACTIC = "Foreign agent register"


def _warned(django_capture_on_commit_callbacks, action) -> list[int]:
    with django_capture_on_commit_callbacks(execute=True):
        action()
    return sorted(Delivery.objects.filter(notice__kind="spillover.warning").values_list("recipient_id", flat=True))


@pytest.fixture
def hungary():
    """A verified Hungarian alert with the tactic: its reporter and an affected organisation's member."""
    reporter = member(country="HU")
    affected = OrganisationFactory(country="HU")
    affected_member = member(country="HU", organisation=affected)
    alert = verified_alert(country="HU", tactic=TACTIC, reporter=reporter, occurred_on=day(2023, 5))
    alert.affected_organisations.add(affected)
    services.note_verified_alert(alert=alert)
    return {"reporter": reporter, "affected": affected_member, "alert": alert}


def _new_polish_alert(**fields):
    sources = "https://example.org/a\nhttps://example.org/b"
    return AlertFactory(country="PL", tactic="  foreign AGENT   register ", sources=sources, **fields)


def _verify(alert, officer):
    return solidarity.verify_alert(
        alert=alert, officer=officer, reasons="Two sources agree.", checked_sources=alert.source_lines
    )


def test_verifying_an_alert_with_a_tactic_new_to_its_country_warns(
    hungary, tasks_run_now, django_capture_on_commit_callbacks
):
    polish_member = member(country="PL")
    german_member = member(country="DE")
    polish_without_role = PersonFactory(user=UserFactory(), organisation=OrganisationFactory(country="PL")).user
    officer = duty_officer()
    alert = _new_polish_alert(visibility="members")

    warned = _warned(django_capture_on_commit_callbacks, lambda: _verify(alert, officer))

    assert warned == sorted([polish_member.pk, hungary["reporter"].pk, hungary["affected"].pk])
    assert german_member.pk not in warned and polish_without_role.pk not in warned
    sighting = TacticSighting.objects.get(alert=alert)
    assert (sighting.country.code, sighting.first_in_country, sighting.tactic.name) == ("PL", True, TACTIC)
    notice = Notice.objects.get(kind="spillover.warning")
    assert (notice.target_id, notice.topic["country"]) == (alert.pk, "PL")
    entry = AuditEntry.objects.get(action="spillover.warned")
    assert (entry.actor_id, entry.details["country"], entry.details["candidates"]) == (officer.pk, "PL", 3)


def test_only_those_who_may_see_the_alert_are_warned(hungary, tasks_run_now, django_capture_on_commit_callbacks):
    polish_member = member(country="PL")
    named_organisation = OrganisationFactory(country="PL")
    named_member = member(country="PL", organisation=named_organisation)
    alert = _new_polish_alert(visibility="restricted")
    alert.allowed_organisations.add(named_organisation)

    warned = _warned(django_capture_on_commit_callbacks, lambda: _verify(alert, duty_officer()))

    assert warned == [named_member.pk]
    assert polish_member.pk in queries.warning_recipients(TacticSighting.objects.get(alert=alert))


def test_no_warning_for_a_tactic_seen_nowhere_else_or_already_seen_there(
    tasks_run_now, django_capture_on_commit_callbacks
):
    member(country="PL")
    officer = duty_officer()
    first = _new_polish_alert(visibility="members")
    second = _new_polish_alert(visibility="members")

    assert _warned(django_capture_on_commit_callbacks, lambda: _verify(first, officer)) == []
    assert _warned(django_capture_on_commit_callbacks, lambda: _verify(second, officer)) == []
    assert list(TacticSighting.objects.order_by("pk").values_list("first_in_country", flat=True)) == [True, False]
    assert Notice.objects.filter(kind="spillover.warning").count() == 0


def test_an_alert_without_a_tactic_is_no_sighting(hungary):
    alert = _verify(AlertFactory(country="PL", tactic="", sources="a\nb"), duty_officer())
    assert TacticSighting.objects.filter(alert=alert).count() == 0


def test_recording_a_measure_with_the_tactic_warns_that_country(
    hungary, tasks_run_now, django_capture_on_commit_callbacks
):
    slovak_member = member(country="SK")

    warned = _warned(
        django_capture_on_commit_callbacks,
        lambda: services.record_measure(
            actor=team(),
            country="SK",
            title="Transparency of foreign-funded organisations act",
            kind="bill",
            status="proposed",
            introduced_on=day(2024, 3),
            tactic="Foreign Agent Register",
            visibility="public",
        ),
    )

    assert warned == sorted([slovak_member.pk, hungary["reporter"].pk, hungary["affected"].pk])
    assert AuditEntry.objects.filter(action="measure.recorded").count() == 1


def test_only_the_team_records_measures():
    with pytest.raises(PermissionDenied):
        services.record_measure(
            actor=member(), country="SK", title="x", kind="law", status="proposed", introduced_on=day(2024)
        )


def test_a_tactic_link_gives_the_measure_the_tactic_and_warns(
    hungary, tasks_run_now, django_capture_on_commit_callbacks
):
    romanian_member = member(country="RO")
    measure = MeasureFactory(country="RO", introduced_on=day(2024, 9), visibility="members")

    warned = _warned(
        django_capture_on_commit_callbacks,
        lambda: services.link_items(
            actor=team(), first=hungary["alert"], second=measure, kind=SpilloverLink.Kind.TACTIC
        ),
    )

    measure.refresh_from_db()
    assert measure.tactic.name == TACTIC
    assert romanian_member.pk in warned
    assert hungary["reporter"].pk in warned


def test_setting_a_measure_tactic_from_its_page(client, hungary, tasks_run_now, django_capture_on_commit_callbacks):
    measure = MeasureFactory(country="AT", visibility="public")
    austrian = member(country="AT")
    client.force_login(team())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/monitor/measures/{measure.pk}/tactic/", {"tactic": "foreign agent register"})

    measure.refresh_from_db()
    assert response.status_code == 302
    assert measure.tactic.name == TACTIC
    assert austrian.pk in Delivery.objects.values_list("recipient_id", flat=True)
    assert AuditEntry.objects.filter(action="measure.tactic_set").count() == 1


def test_the_warning_email_names_the_country(hungary, tasks_run_now, mailoutbox, django_capture_on_commit_callbacks):
    polish = member(country="PL")
    _warned(
        django_capture_on_commit_callbacks, lambda: _verify(_new_polish_alert(visibility="members"), duty_officer())
    )

    mine = [m for m in mailoutbox if m.to == [polish.email] and "Early warning" in m.subject]
    assert [m.subject for m in mine] == ["Early warning: a tactic seen elsewhere has reached Poland"]
    assert "/alerts/" in mine[0].body


def test_members_without_a_role_are_never_candidates(hungary):
    sighting = TacticSighting.objects.get(alert=hungary["alert"])
    outsider = PersonFactory(user=UserFactory(), organisation=OrganisationFactory(country="HU")).user
    assert outsider.pk not in queries.warning_recipients(sighting)
    assert Membership.objects.filter(person__user=outsider).count() == 0
