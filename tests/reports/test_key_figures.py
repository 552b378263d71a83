"""Key figures of the two strategic objectives, the dashboard that shows them, and the funder report PDF."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rare.alliance.models import Action, ActionChange, Statement
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.learning.models import AnonymousAnswer, AssessmentRound, FeedbackForm, NamedAnswer
from rare.programme.models import Attendance, Membership, Programme
from rare.reports import queries
from rare.reports.models import FunderReport
from rare.solidarity.models import Alert, Pledge, count_pledges
from tests.factories import (
    ActionFactory,
    AlertFactory,
    AssessmentRoundFactory,
    CampaignFactory,
    CampFactory,
    CompetencyFactory,
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PledgeFactory,
    ProgrammeFactory,
    RatingFactory,
    SelfAssessmentFactory,
    SessionFactory,
    SignatureFactory,
    StatementVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = Membership.Role


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def backdate(obj, field: str, when: dt.datetime) -> None:
    type(obj).objects.filter(pk=obj.pk).update(**{field: when})
    if isinstance(obj, Pledge):
        count_pledges(obj.alert_id)  # an update bypasses Pledge.save, which keeps the alert's counters


@pytest.fixture
def programme():
    return ProgrammeFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))


@pytest.fixture
def team(programme):
    user = UserFactory(name="Team Lead")
    MembershipFactory(programme=programme, person=PersonFactory(user=user), role=Role.TEAM)
    return user


@pytest.fixture
def cohort(programme):
    """Two participants, three sessions (two held), feedback, and a baseline and an end assessment."""
    hu, pl = OrganisationFactory(country="HU"), OrganisationFactory(country="PL")
    anna = PersonFactory(name="Anna", organisation=hu)
    piotr = PersonFactory(name="Piotr", organisation=pl)
    for person in (anna, piotr):
        MembershipFactory(programme=programme, person=person, role=Role.PARTICIPANT)
    camp = CampFactory(programme=programme, starts_on=dt.date(2026, 3, 9), ends_on=dt.date(2026, 3, 12))
    first = SessionFactory(camp=camp, starts_at=at("2026-03-10"), ends_at=at("2026-03-10", 12))
    second = SessionFactory(camp=camp, starts_at=at("2026-06-10"), ends_at=at("2026-06-10", 12))
    SessionFactory(camp=camp, starts_at=at("2026-12-20"), ends_at=at("2026-12-20", 12))  # not held yet
    Attendance.objects.create(session=first, person=anna)
    Attendance.objects.create(session=first, person=piotr)
    Attendance.objects.create(session=second, person=anna)
    Attendance.objects.create(session=second, person=piotr, present=False)
    named = FeedbackForm.objects.create(
        session=first, anonymous=False, opens_at=at("2026-03-10"), closes_at=at("2026-03-17")
    )
    NamedAnswer.objects.create(form=named, person=anna, overall=4)
    NamedAnswer.objects.create(form=named, person=piotr, overall=5)
    too_few = FeedbackForm.objects.create(
        session=second, anonymous=True, opens_at=at("2026-06-10"), closes_at=at("2026-06-17")
    )
    AnonymousAnswer.objects.create(form=too_few, overall=1)
    AnonymousAnswer.objects.create(form=too_few, overall=1)
    skill = CompetencyFactory(programme=programme, name="Strategic litigation")
    first.competencies.add(skill)
    baseline = AssessmentRoundFactory(
        programme=programme, kind=AssessmentRound.Kind.BASELINE, opens_at=at("2026-01-10")
    )
    end = AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.END, opens_at=at("2026-11-01"))
    RatingFactory(assessment=SelfAssessmentFactory(round=baseline, person=anna), competency=skill, level=2)
    RatingFactory(assessment=SelfAssessmentFactory(round=end, person=anna), competency=skill, level=4)
    return hu, pl


@pytest.fixture
def joint_work(cohort):
    hu, pl = cohort
    joint = ActionFactory(title="Joint submission", owners=[hu, pl], status=Action.Status.DONE)
    ActionChange.objects.create(action=joint, field="status", before="in_progress", after="done", at=at("2026-05-01"))
    ActionFactory(title="Shadow report", due_date=dt.date(2026, 2, 1))  # late, and nobody owns it
    CampaignFactory(organisations=[hu, pl], starts_on=dt.date(2026, 1, 15))
    EngagementFactory(date=dt.date(2026, 3, 10))
    version = StatementVersionFactory(statement__status=Statement.Status.PUBLISHED, statement__visibility="public")
    Statement.objects.filter(pk=version.statement_id).update(published_at=at("2026-04-01"))
    SignatureFactory(version=version, organisation=hu)
    SignatureFactory(version=version, organisation=pl)
    alert = AlertFactory(status=Alert.Status.VERIFIED, visibility=Visibility.MEMBERS)
    backdate(alert, "created_at", at("2026-04-01", 10))
    for organisation, hour in ((hu, 16), (pl, 18)):
        pledge = PledgeFactory(alert=alert, organisation=organisation)
        backdate(pledge, "created_at", at("2026-04-01", hour))
    hidden = AlertFactory(status=Alert.Status.VERIFIED, visibility=Visibility.RESTRICTED, title="Hidden")
    backdate(hidden, "created_at", at("2026-04-02"))
    backdate(PledgeFactory(alert=hidden, organisation=hu), "created_at", at("2026-04-02", 11))
    return alert


def test_capacity_figures_count_sessions_attendance_feedback_and_growth(programme, cohort):
    capacity = queries.capacity_figures(programme, queries.default_period(programme))

    assert (capacity.sessions_held, capacity.participants, capacity.attendances) == (2, 2, 3)
    assert capacity.attendance_rate == 0.75
    # The anonymous form with two answers stays out, as on its own results page.
    assert (capacity.feedback_answers, capacity.feedback_average) == (2, 4.5)
    assert [(g.name, g.first, g.latest, g.change, g.attended) for g in capacity.growth] == [
        ("Strategic litigation", 2.0, 4.0, 2.0, 2)
    ]
    assert capacity.assessments_answered == 2


def test_a_third_anonymous_answer_brings_the_form_into_the_average(programme, cohort):
    form = FeedbackForm.objects.get(anonymous=True)
    AnonymousAnswer.objects.create(form=form, overall=1)
    capacity = queries.capacity_figures(programme, queries.default_period(programme))
    assert (capacity.feedback_answers, capacity.feedback_average) == (5, 2.4)


def test_alliance_figures_count_only_what_the_viewer_may_see(programme, team, joint_work):
    alliance = queries.alliance_figures(team, queries.default_period(programme))

    assert (alliance.actions, alliance.actions_done, alliance.actions_late, alliance.actions_without_owner) == (
        2,
        1,
        1,
        1,
    )
    assert (alliance.campaigns, alliance.engagements) == (1, 1)
    assert (alliance.statements_published, alliance.signatures) == (1, 2)
    # The restricted alert does not name the team: it is neither counted nor answered here.
    assert (alliance.alerts, alliance.alerts_answered) == (1, 1)
    assert alliance.median_first_response == dt.timedelta(hours=6)
    assert (alliance.pledges, alliance.pledges_done) == (2, 0)
    assert (alliance.cross_border_actions, alliance.cross_border_campaigns, alliance.cross_border_alerts) == (1, 1, 1)


def test_a_period_outside_the_work_counts_nothing(programme, team, joint_work):
    alliance = queries.alliance_figures(team, queries.Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30)))
    assert (alliance.actions_done, alliance.engagements, alliance.alerts, alliance.pledges) == (0, 0, 0, 0)


def test_quarters_hold_the_activity_of_each_quarter(programme, team, joint_work):
    quarters = queries.quarterly(programme, team, queries.default_period(programme))
    assert [q.starts_on for q in quarters] == [dt.date(2026, m, 1) for m in (1, 4, 7, 10)]
    assert [(q.sessions, q.attendances, q.actions_done, q.engagements, q.pledges) for q in quarters] == [
        (1, 2, 0, 1, 0),
        (1, 1, 1, 0, 2),
        (0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0),
    ]


def test_the_dashboard_shows_the_figures_to_the_team_only(programme, team, joint_work, client):
    participant = UserFactory()
    MembershipFactory(programme=programme, person=PersonFactory(user=participant), role=Role.PARTICIPANT)
    client.force_login(participant)
    assert client.get(reverse("reports:key_figures")).status_code == 404

    client.force_login(team)
    page = client.get(reverse("reports:key_figures"), {"programme": programme.pk}).content.decode()
    assert "Cross-border collaborations" in page
    assert "6 hours" in page
    assert "Strategic litigation" in page
    assert 'aria-labelledby="activity-per-quarter-title activity-per-quarter-desc"' in page
    assert "Hidden" not in page


def test_the_dashboard_reads_a_constant_number_of_queries(programme, team, cohort, client):
    client.force_login(team)
    hu, pl = cohort

    def count() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse("reports:key_figures"), {"programme": programme.pk}).status_code == 200
        return len(run)

    def add(n: int) -> None:
        for _ in range(n):
            action = ActionFactory(owners=[hu, pl])
            ActionChange.objects.create(action=action, field="status", after="done", at=at("2026-05-02"))
            EngagementFactory(date=dt.date(2026, 5, 5))
            PledgeFactory(alert=AlertFactory(status=Alert.Status.VERIFIED, visibility="members"), organisation=pl)
            CampaignFactory(organisations=[hu])

    add(3)
    few = count()
    add(27)
    assert count() == few


# -- The funder report -------------------------------------------------------------------------------


@pytest.fixture
def run_now(django_capture_on_commit_callbacks, tasks_run_now):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _pages_of(pdf: bytes, folder: Path) -> list[Path]:
    """Render every page of a PDF to PNG with pdftoppm (Debian's poppler-utils)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is not installed (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "40", "-png", str(source), str(folder / "page")], check=True, timeout=120)  # noqa: S603
    return sorted(folder.glob("page*.png"))


def test_the_funder_report_of_the_demo_programme_is_prepared_in_the_background_and_renders(client, run_now, tmp_path):
    call_command("demo", stdout=StringIO())
    programme = Programme.objects.get(slug="rare-cohort-1")
    team_user = Membership.objects.filter(programme=programme, role=Role.TEAM).first().person.user
    client.force_login(team_user)

    response = run_now(
        client.post,
        reverse("reports:funder_report_request"),
        {"programme": programme.pk, "starts_on": "", "ends_on": ""},
    )

    report = FunderReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert (report.status, report.progress) == (FunderReport.Status.DONE, 100)
    assert (report.starts_on, report.ends_on) == (programme.starts_on, programme.ends_on)
    assert b"%PDF" not in Path(report.file.path).read_bytes()[:16]  # stored encrypted
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Download the PDF" in page
    download = client.get(reverse("reports:funder_report_download", kwargs={"pk": report.pk}))
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-")
    pages = _pages_of(pdf, tmp_path)
    assert len(pages) >= 2
    assert all(p.stat().st_size > 1000 for p in pages)
    assert AuditEntry.objects.filter(action="report.downloaded").count() == 1

    colleague = Membership.objects.filter(programme=programme, role=Role.TEAM).exclude(person__user=team_user)
    other = colleague.first().person.user if colleague.exists() else None
    if other is not None:
        client.force_login(other)
        assert client.get(report.get_absolute_url()).status_code == 404


def test_the_report_page_shows_progress_while_it_is_prepared(programme, team, client):
    report = FunderReport.objects.create(
        programme=programme, starts_on=programme.starts_on, ends_on=programme.ends_on, requested_by=team, progress=40
    )
    FunderReport.objects.filter(pk=report.pk).update(status=FunderReport.Status.RUNNING)
    client.force_login(team)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'value="40"' in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(report.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="report-status"')
    assert client.get(reverse("reports:funder_report_download", kwargs={"pk": report.pk})).status_code == 404


def test_a_period_that_ends_before_it_starts_is_refused(programme, team, client):
    client.force_login(team)
    response = client.post(
        reverse("reports:funder_report_request"),
        {"programme": programme.pk, "starts_on": "2026-06-01", "ends_on": "2026-01-01"},
        follow=True,
    )
    assert "Choose a programme and a valid period." in response.content.decode()
    assert not FunderReport.objects.exists()


def test_pledge_withdrawn_does_not_count(programme, team, joint_work):
    for pledge in Pledge.objects.filter(alert=joint_work):
        pledge.status = Pledge.Status.WITHDRAWN
        pledge.save()
    alliance = queries.alliance_figures(team, queries.default_period(programme))
    assert (alliance.alerts_answered, alliance.pledges, alliance.cross_border_alerts) == (0, 0, 0)


def test_a_period_holds_the_instants_of_its_local_days_and_no_other(programme):
    """`Period.contains` compares instants (so an index can answer it) and still means "on a local day
    of the period": the same rows as taking each row's local date, at both ends."""
    action = ActionFactory()
    instants = {
        "before": at("2026-03-31", 23) + dt.timedelta(minutes=59, seconds=59),
        "first": at("2026-04-01", 0),
        "last": at("2026-06-30", 23) + dt.timedelta(minutes=59, seconds=59, microseconds=999999),
        "after": at("2026-07-01", 0),
    }
    for name, when in instants.items():
        ActionChange.objects.create(action=action, field=name, at=when)
    period = queries.Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    inside = ActionChange.objects.filter(period.contains("at"), action=action)
    by_local_date = ActionChange.objects.filter(action=action, at__date__range=(period.start, period.end))
    assert sorted(inside.values_list("field", flat=True)) == ["first", "last"]
    assert set(inside) == set(by_local_date)
