"""The competency framework, assessment rounds, answering them and the reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from rare.core.models import AuditEntry
from rare.learning.assessments import queries, services
from rare.learning.assessments.services import DEFAULT_FRAMEWORK
from rare.learning.models import AssessmentRound, Competency, SelfAssessment
from rare.programme.models import Membership
from tests.factories import (
    AssessmentRoundFactory,
    ProgrammeFactory,
    RatingFactory,
    SelfAssessmentFactory,
    SessionFactory,
)
from tests.learning.helpers import member


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(slug="cohort-growth")
    services.ensure_default_framework(programme=programme)
    return programme


@pytest.fixture
def team(programme):
    return member(programme, Membership.Role.TEAM)


def ratings_for(programme, level: int = 3) -> dict:
    return {f"rating_{c.pk}": level for c in Competency.objects.filter(programme=programme, retired=False)}


# -- the framework --------------------------------------------------------------------------------


def test_the_default_framework_is_created_once(db):
    programme = ProgrammeFactory()
    first = services.ensure_default_framework(programme=programme)
    again = services.ensure_default_framework(programme=programme)
    assert [c.name for c in first] == [name for name, _description in DEFAULT_FRAMEWORK]
    assert [c.pk for c in again] == [c.pk for c in first]
    assert [c.position for c in first] == list(range(1, 10))
    assert AuditEntry.objects.filter(action="competency.framework_created").count() == 1


def test_the_team_offers_the_default_framework_when_there_is_none(db):
    programme = ProgrammeFactory(slug="empty-cohort")
    client = signed_in(member(programme, Membership.Role.TEAM))
    page = client.get("/learning/programmes/empty-cohort/framework/")
    assert "Start from the default framework" in page.content.decode()
    answer = client.post("/learning/programmes/empty-cohort/framework/default/")
    assert answer.status_code == 302
    assert Competency.objects.filter(programme=programme).count() == len(DEFAULT_FRAMEWORK)


def test_the_team_adds_edits_moves_and_retires_skills(programme, team):
    client = signed_in(team)
    base = "/learning/programmes/cohort-growth/framework/"
    client.post(base, {"name": "Working with journalists", "description": "Briefings and background talks."})
    added = Competency.objects.get(programme=programme, name="Working with journalists")
    assert (added.slug, added.position) == ("working-with-journalists", 10)

    client.post(f"{base}{added.pk}/", {"name": "Working with the press", "description": ""})
    added.refresh_from_db()
    assert added.name == "Working with the press"

    client.post(f"{base}{added.pk}/move/", {"direction": "up"})
    names = list(Competency.objects.filter(programme=programme).order_by("position").values_list("name", flat=True))
    assert names[-2:] == ["Working with the press", "Policy analysis"]

    client.post(f"{base}{added.pk}/retire/")
    added.refresh_from_db()
    assert added.retired is True
    assert set(AuditEntry.objects.filter(action__startswith="competency.").values_list("action", flat=True)) == {
        "competency.framework_created",
        "competency.added",
        "competency.changed",
        "competency.moved",
        "competency.retired",
    }


def test_only_the_team_edits_the_framework(programme):
    participant = signed_in(member(programme))
    assert participant.get("/learning/programmes/cohort-growth/framework/").status_code == 404
    assert participant.post("/learning/programmes/cohort-growth/framework/", {"name": "Mine"}).status_code == 404
    assert Competency.objects.filter(name="Mine").count() == 0
    visitor = Client().get("/learning/programmes/cohort-growth/framework/")
    assert visitor.status_code == 302


# -- rounds and answers ---------------------------------------------------------------------------


def test_the_team_creates_a_round_after_a_camp(programme, team):
    camp = SessionFactory(camp__programme=programme).camp
    client = signed_in(team)
    answer = client.post(
        "/learning/programmes/cohort-growth/rounds/",
        {"kind": "after_camp", "camp": camp.pk, "opens_at": "2026-01-05T09:00", "closes_at": "2026-01-20T18:00"},
    )
    assert answer.status_code == 302
    created = AssessmentRound.objects.get()
    assert (created.kind, created.camp, created.programme) == ("after_camp", camp, programme)
    assert str(created) == f"Self-assessment after camp {camp.number}"


def test_an_after_camp_round_needs_its_camp(programme, team):
    page = signed_in(team).post(
        "/learning/programmes/cohort-growth/rounds/",
        {"kind": "after_camp", "opens_at": "2026-01-05T09:00", "closes_at": "2026-01-20T18:00"},
    )
    assert page.status_code == 200
    assert "Choose the camp this self-assessment follows." in page.content.decode()
    assert AssessmentRound.objects.count() == 0


def test_a_participant_answers_the_needs_assessment_and_changes_it(programme):
    needs = AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.NEEDS)
    user = member(programme)
    client = signed_in(user)

    home = client.get("/learning/").content.decode()
    assert "1 assessment is waiting" in home or "One assessment is waiting" in home

    litigation, fundraising = Competency.objects.filter(programme=programme).order_by("position")[1:3]
    data = {
        **ratings_for(programme, 2),
        "expectations": "Meet peers who face the same smear campaigns.",
        "priorities": [litigation.pk, fundraising.pk],
    }
    answer = client.post(f"/learning/assessments/{needs.pk}/", data)
    assert answer.status_code == 302
    saved = SelfAssessment.objects.get(round=needs, person=user.person)
    assert saved.expectations == "Meet peers who face the same smear campaigns."
    assert sorted(p.pk for p in saved.priorities.all()) == sorted([litigation.pk, fundraising.pk])
    assert sorted(set(saved.ratings.values_list("level", flat=True))) == [2]

    client.post(f"/learning/assessments/{needs.pk}/", {**data, **ratings_for(programme, 4), "priorities": []})
    saved.refresh_from_db()
    assert SelfAssessment.objects.filter(round=needs).count() == 1
    assert sorted(set(saved.ratings.values_list("level", flat=True))) == [4]
    assert list(saved.priorities.all()) == []
    actions = list(
        AuditEntry.objects.filter(action__startswith="assessment.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["assessment.submitted", "assessment.changed"]


def test_more_than_three_priorities_are_refused(programme):
    needs = AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.NEEDS)
    client = signed_in(member(programme))
    four = list(Competency.objects.filter(programme=programme).values_list("pk", flat=True)[:4])
    page = client.post(f"/learning/assessments/{needs.pk}/", {**ratings_for(programme), "priorities": four})
    assert page.status_code == 200
    assert "Choose at most 3 skills." in page.content.decode()
    assert SelfAssessment.objects.count() == 0


def test_every_skill_needs_a_rating(programme):
    baseline = AssessmentRoundFactory(programme=programme)
    client = signed_in(member(programme))
    page = client.post(f"/learning/assessments/{baseline.pk}/", {})
    assert page.status_code == 200
    assert page.content.decode().count("Choose a level for this skill.") == len(DEFAULT_FRAMEWORK)


def test_a_closed_round_takes_no_answers(programme):
    closed = AssessmentRoundFactory(
        programme=programme,
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    user = member(programme)
    answer = signed_in(user).post(f"/learning/assessments/{closed.pk}/", ratings_for(programme))
    assert answer.status_code == 302
    assert SelfAssessment.objects.count() == 0
    with pytest.raises(ValidationError):
        services.submit_assessment(assessment_round=closed, person=user.person, ratings={})


def test_a_round_of_another_programme_is_not_found(programme):
    other = AssessmentRoundFactory()
    client = signed_in(member(programme))
    assert client.get(f"/learning/assessments/{other.pk}/").status_code == 404


def test_the_team_sees_response_rates(programme, team):
    baseline = AssessmentRoundFactory(programme=programme)
    people = [member(programme).person for _ in range(4)]
    for person in people[:3]:
        SelfAssessmentFactory(round=baseline, person=person)
    page = signed_in(team).get("/learning/programmes/cohort-growth/rounds/").content.decode()
    assert "75 %" in page
    rounds, total = queries.rounds_with_responses(programme)
    assert [(r.answered, r.rate) for r in rounds] == [(3, 75)]
    assert total == 4


# -- the cohort's needs ---------------------------------------------------------------------------


def test_the_cohort_needs_count_priorities_average_and_sessions(programme):
    needs = AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.NEEDS)
    litigation = Competency.objects.get(programme=programme, slug="strategic-litigation")
    session = SessionFactory(camp__programme=programme, title="Litigating before the ECtHR")
    session.competencies.add(litigation)
    for level in (2, 3, 3):
        answer = SelfAssessmentFactory(round=needs, person=member(programme).person)
        answer.priorities.add(litigation)
        RatingFactory(assessment=answer, competency=litigation, level=level)
    base, rows, answers = queries.cohort_needs(programme)
    first = rows[0]
    assert (base, answers) == (needs, 3)
    assert (first.competency, first.priority_count, first.average) == (litigation, 3, 2.7)
    assert first.distribution == [(1, 0), (2, 1), (3, 2), (4, 0), (5, 0)]
    assert first.sessions == [session]


def test_cohort_needs_page_query_count_does_not_grow(programme, team, django_assert_max_num_queries):
    needs = AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.NEEDS)
    competencies = list(Competency.objects.filter(programme=programme))
    client = signed_in(team)

    def add_people(count: int) -> None:
        for n in range(count):
            answer = SelfAssessmentFactory(round=needs, person=member(programme).person)
            answer.priorities.add(competencies[n % 9])
            for c in competencies:
                RatingFactory(assessment=answer, competency=c, level=1 + n % 5)
            SessionFactory(camp__programme=programme).competencies.add(competencies[n % 9])

    add_people(3)
    client.get(
        "/learning/programmes/cohort-growth/needs/"
    )  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(40) as few:
        assert client.get("/learning/programmes/cohort-growth/needs/").status_code == 200
    limit = len(few.captured_queries)  # now: the log of queries is a ring that later rows overwrite
    add_people(27)
    client.get(
        "/learning/programmes/cohort-growth/needs/"
    )  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(limit):
        assert client.get("/learning/programmes/cohort-growth/needs/").status_code == 200


def test_rounds_page_query_count_does_not_grow(programme, team, django_assert_max_num_queries):
    client = signed_in(team)

    def add(count: int) -> None:
        for _ in range(count):
            AssessmentRoundFactory(programme=programme)

    add(3)
    client.get(
        "/learning/programmes/cohort-growth/rounds/"
    )  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(40) as few:
        assert client.get("/learning/programmes/cohort-growth/rounds/").status_code == 200
    limit = len(few.captured_queries)  # now: the log of queries is a ring that later rows overwrite
    add(27)
    client.get(
        "/learning/programmes/cohort-growth/rounds/"
    )  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(limit):
        assert client.get("/learning/programmes/cohort-growth/rounds/").status_code == 200


# -- reminders ------------------------------------------------------------------------------------


def test_reminders_reach_who_has_not_answered_once_per_period(
    programme, tasks_run_now, django_capture_on_commit_callbacks
):
    baseline = AssessmentRoundFactory(programme=programme)
    waiting = member(programme)
    answered = member(programme)
    SelfAssessmentFactory(round=baseline, person=answered.person)
    AssessmentRoundFactory(programme=programme, opens_at=timezone.now() + dt.timedelta(days=3))  # not open yet

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()
    to = [message.to for message in mail.outbox]
    assert to == [[waiting.email]]
    assert "Your answers are due: Baseline self-assessment" in mail.outbox[0].subject
    assert f"/learning/assessments/{baseline.pk}/" in mail.outbox[0].body
    assert waiting.person.self_assessments.count() == 0


def test_the_team_plans_a_session_against_a_need(programme, team):
    litigation = Competency.objects.get(programme=programme, slug="strategic-litigation")
    session = SessionFactory(camp__programme=programme, title="Amicus briefs")
    foreign = SessionFactory()
    client = signed_in(team)
    assert (
        client.post(
            "/learning/programmes/cohort-growth/needs/link/", {"competency": litigation.pk, "session": session.pk}
        ).status_code
        == 302
    )
    client.post("/learning/programmes/cohort-growth/needs/link/", {"competency": litigation.pk, "session": foreign.pk})
    assert list(litigation.sessions.all()) == [session]
    assert "Amicus briefs" in client.get("/learning/programmes/cohort-growth/needs/").content.decode()
    participant = signed_in(member(programme))
    assert (
        participant.post(
            "/learning/programmes/cohort-growth/needs/link/", {"competency": litigation.pk, "session": session.pk}
        ).status_code
        == 404
    )


def test_a_retired_skill_is_no_longer_asked(programme):
    baseline = AssessmentRoundFactory(programme=programme)
    retired = Competency.objects.get(programme=programme, slug="fundraising")
    services.set_retired(competency=retired, retired=True)
    user = member(programme)
    page = signed_in(user).get(f"/learning/assessments/{baseline.pk}/").content.decode()
    assert "Fundraising" not in page
    answer = signed_in(user).post(f"/learning/assessments/{baseline.pk}/", ratings_for(programme, 3))
    assert answer.status_code == 302
    assert SelfAssessment.objects.get().ratings.count() == len(DEFAULT_FRAMEWORK) - 1
