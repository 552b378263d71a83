"""Growth per person and per cohort, who may see it, and learning plans."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from rare.core.models import AuditEntry
from rare.learning.assessments import queries, services
from rare.learning.models import AssessmentRound, Competency, PlanItem, SelfAssessment
from rare.learning.plans import queries as plan_queries
from rare.programme.models import Membership
from tests.factories import (
    AssessmentRoundFactory,
    AttendanceFactory,
    LearningPlanFactory,
    PlanItemFactory,
    ProgrammeFactory,
    RatingFactory,
    ResourceFactory,
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
def rounds(programme):
    now = timezone.now()
    baseline = AssessmentRoundFactory(
        programme=programme, opens_at=now - dt.timedelta(days=300), closes_at=now - dt.timedelta(days=280)
    )
    end = AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.END)
    return baseline, end


@pytest.fixture
def litigation(programme):
    return Competency.objects.get(programme=programme, slug="strategic-litigation")


def rate(round_, person, competency, level):
    answer = SelfAssessment.objects.get_or_create(round=round_, person=person)[0]
    RatingFactory(assessment=answer, competency=competency, level=level)
    return answer


def growth_url(programme, person) -> str:
    return f"/learning/programmes/{programme.slug}/people/{person.pk}/growth/"


def test_a_persons_growth_shows_change_and_the_sessions_that_trained_it(programme, rounds, litigation):
    baseline, end = rounds
    user = member(programme)
    person = user.person
    rate(baseline, person, litigation, 2)
    rate(end, person, litigation, 4)
    trained = SessionFactory(camp__programme=programme, title="Litigating before the ECtHR")
    trained.competencies.add(litigation)
    AttendanceFactory(session=trained, person=person)
    SessionFactory(camp__programme=programme).competencies.add(litigation)  # not attended

    growth = queries.person_growth(person, programme)
    row = next(r for r in growth.rows if r.competency == litigation)
    assert (row.levels, row.change, row.sessions) == ([2, 4], 2, [trained])
    assert growth.attended_sessions == 1

    page = signed_in(user).get("/learning/growth/", follow=True)
    html = page.content.decode()
    assert page.redirect_chain == [(growth_url(programme, person), 302)]
    assert "My growth" in html
    assert "<svg" in html and 'role="img"' in html
    assert "Litigating before the ECtHR" in html
    assert "+2" in html


def test_growth_is_seen_only_by_the_person_and_the_team(programme, rounds):
    owner = member(programme)
    url = growth_url(programme, owner.person)
    assert signed_in(owner).get(url).status_code == 200
    assert signed_in(member(programme, Membership.Role.TEAM)).get(url).status_code == 200
    assert signed_in(member(programme)).get(url).status_code == 404
    assert signed_in(member(programme, Membership.Role.EXPERT)).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert AuditEntry.objects.filter(action="permission.denied").count() == 3


def test_the_cohort_growth_averages_per_round(programme, rounds, litigation):
    baseline, end = rounds
    for start, finish in ((2, 4), (3, 3)):
        person = member(programme).person
        rate(baseline, person, litigation, start)
        rate(end, person, litigation, finish)
    session = SessionFactory(camp__programme=programme)
    session.competencies.add(litigation)
    AttendanceFactory(session=session, person=person)
    growth = queries.cohort_growth(programme)
    row = next(r for r in growth.rows if r.competency == litigation)
    assert (row.levels, row.change, row.attended) == ([2.5, 3.5], 1.0, 1)
    assert growth.answered == {baseline.pk: 2, end.pk: 2}


def test_only_the_team_sees_the_cohort(programme, rounds):
    assert signed_in(member(programme)).get("/learning/programmes/cohort-growth/growth/").status_code == 404
    page = signed_in(member(programme, Membership.Role.TEAM)).get("/learning/programmes/cohort-growth/growth/")
    assert page.status_code == 200
    assert "Average self-rating of the cohort per skill and round" in page.content.decode()


def test_cohort_growth_query_count_does_not_grow(programme, rounds, django_assert_max_num_queries):
    baseline, end = rounds
    competencies = list(Competency.objects.filter(programme=programme))
    client = signed_in(member(programme, Membership.Role.TEAM))

    def add_people(count: int) -> None:
        for n in range(count):
            person = member(programme).person
            for c in competencies[:3]:
                rate(baseline, person, c, 1 + n % 3)
                rate(end, person, c, 3 + n % 3)
            session = SessionFactory(camp__programme=programme)
            session.competencies.add(competencies[n % 9])
            AttendanceFactory(session=session, person=person)

    add_people(3)
    client.get(
        "/learning/programmes/cohort-growth/growth/"
    )  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(40) as few:
        assert client.get("/learning/programmes/cohort-growth/growth/").status_code == 200
    limit = len(few.captured_queries)  # now: the log of queries is a ring that later rows overwrite
    add_people(27)
    client.get(
        "/learning/programmes/cohort-growth/growth/"
    )  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(limit):
        assert client.get("/learning/programmes/cohort-growth/growth/").status_code == 200


def test_person_growth_query_count_does_not_grow(programme, rounds, django_assert_max_num_queries):
    baseline, end = rounds
    competencies = list(Competency.objects.filter(programme=programme))
    user = member(programme)
    plan = LearningPlanFactory(person=user.person, programme=programme)
    client = signed_in(member(programme, Membership.Role.TEAM))

    def add_sessions(count: int) -> None:
        for n in range(count):
            session = SessionFactory(camp__programme=programme)
            session.competencies.add(competencies[n % 9], competencies[(n + 1) % 9])
            AttendanceFactory(session=session, person=user.person)
            PlanItemFactory(plan=plan, title="", session=session, competency=competencies[n % 9])

    for c in competencies:
        rate(baseline, user.person, c, 2)
        rate(end, user.person, c, 3)
    add_sessions(3)
    url = growth_url(programme, user.person)
    client.get(url)  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    limit = len(few.captured_queries)  # now: the log of queries is a ring that later rows overwrite
    add_sessions(27)
    client.get(url)  # warm up: the session clock is touched now, not while counting
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


# -- learning plans -------------------------------------------------------------------------------


def test_a_participant_plans_sessions_and_attendance_counts_as_done(programme, litigation):
    user = member(programme)
    attended = SessionFactory(camp__programme=programme, title="Litigation clinic")
    later = SessionFactory(camp__programme=programme, title="Amicus briefs")
    AttendanceFactory(session=attended, person=user.person)
    client = signed_in(user)
    base = f"/learning/programmes/cohort-growth/people/{user.person.pk}/plan/"
    client.post(base, {"session": attended.pk, "competency": litigation.pk})
    client.post(base, {"session": later.pk, "competency": litigation.pk, "note": "Bring a case"})
    client.post(base, {"title": "Read the litigation handbook"})

    plan = plan_queries.plan_of(user.person, programme)
    assert [(row.complete, row.attended) for row in plan.rows] == [(True, True), (False, False), (False, False)]
    assert (plan.completed, plan.total, plan.percent) == (1, 3, 33)

    reading = plan.rows[2].item
    client.post(f"{base}{reading.pk}/done/", {"done": "1"})
    assert plan_queries.plan_of(user.person, programme).completed == 2
    page = client.get(growth_url(programme, user.person)).content.decode()
    assert "2 of 3 done (67 %)." in page

    client.post(f"{base}{reading.pk}/remove/")
    assert plan_queries.plan_of(user.person, programme).total == 2
    actions = set(AuditEntry.objects.filter(action__startswith="learning_plan.").values_list("action", flat=True))
    assert actions == {"learning_plan.item_added", "learning_plan.item_done", "learning_plan.item_removed"}


def test_the_team_adds_a_resource_to_a_plan(programme):
    user = member(programme)
    team = signed_in(member(programme, Membership.Role.TEAM))
    resource = ResourceFactory(title="Litigation toolkit", visibility="members")
    answer = team.post(f"/learning/programmes/cohort-growth/people/{user.person.pk}/plan/", {"resource": resource.pk})
    assert answer.status_code == 302
    item = PlanItem.objects.get()
    assert (item.resource, item.session, item.title, item.added_by.person.memberships.get().role) == (
        resource,
        None,
        "",
        Membership.Role.TEAM,
    )
    assert "Litigation toolkit" in signed_in(user).get(growth_url(programme, user.person)).content.decode()


def test_nobody_else_edits_a_plan(programme):
    owner = member(programme)
    item = PlanItemFactory(plan__person=owner.person, plan__programme=programme)
    other = signed_in(member(programme))
    base = f"/learning/programmes/cohort-growth/people/{owner.person.pk}/plan/"
    assert other.post(base, {"title": "Sneaky"}).status_code == 404
    assert other.post(f"{base}{item.pk}/done/", {"done": "1"}).status_code == 404
    assert other.post(f"{base}{item.pk}/remove/").status_code == 404
    item.refresh_from_db()
    assert (item.done, PlanItem.objects.count()) == (False, 1)


def test_a_session_of_another_programme_cannot_be_planned(programme):
    user = member(programme)
    foreign = SessionFactory()
    answer = signed_in(user).post(
        f"/learning/programmes/cohort-growth/people/{user.person.pk}/plan/", {"session": foreign.pk}
    )
    assert answer.status_code == 302
    assert PlanItem.objects.count() == 0
