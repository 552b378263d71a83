"""Reads of the framework, the assessments and growth, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rare.community.models import Person
from rare.learning.assessments.models import SCALE, AssessmentRound, Rating, SelfAssessment
from rare.learning.models import Competency
from rare.programme.models import Attendance, Membership, Programme, Session

PARTICIPANT_ROLES = (Membership.Role.PARTICIPANT, Membership.Role.ALUMNI)
LEVELS = [level for level, _label in SCALE]


def programme_by_slug(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def framework(programme: Programme, *, include_retired: bool = True) -> list[Competency]:
    qs = Competency.objects.filter(programme=programme)
    if not include_retired:
        qs = qs.filter(retired=False)
    return list(qs.order_by("position", "name"))


def competency_of(programme: Programme, pk: int) -> Competency:
    return get_object_or_404(Competency, programme=programme, pk=pk)


def round_of(pk: int) -> AssessmentRound:
    return get_object_or_404(AssessmentRound.objects.select_related("programme", "camp"), pk=pk)


def participant_count(programme: Programme) -> int:
    return (
        Person.objects.filter(memberships__programme=programme, memberships__role__in=PARTICIPANT_ROLES)
        .distinct()
        .count()
    )


def programmes_of_participant(person: Person) -> list[Programme]:
    return list(
        Programme.objects.filter(memberships__person=person, memberships__role__in=PARTICIPANT_ROLES)
        .distinct()
        .order_by("-starts_on")
    )


def current_programme_of(person: Person) -> Programme | None:
    programmes = programmes_of_participant(person)
    return programmes[0] if programmes else None


def is_participant_in(person: Person, programme: Programme) -> bool:
    return Membership.objects.filter(person=person, programme=programme, role__in=PARTICIPANT_ROLES).exists()


# -- a participant's assessments ------------------------------------------------------------------


@dataclass
class RoundStatus:
    round: AssessmentRound
    answer: SelfAssessment | None
    is_open: bool
    upcoming: bool

    @property
    def due(self) -> bool:
        return self.is_open and self.answer is None


def rounds_for(person: Person) -> list[RoundStatus]:
    """Every round of the programmes the person takes part in, with their answer (3 queries)."""
    now = timezone.now()
    rounds = list(
        AssessmentRound.objects.filter(
            programme__memberships__person=person, programme__memberships__role__in=PARTICIPANT_ROLES
        )
        .distinct()
        .select_related("programme", "camp")
        .order_by("-opens_at", "-pk")
    )
    answers = {a.round_id: a for a in SelfAssessment.objects.filter(person=person, round__in=rounds)}
    return [
        RoundStatus(round=r, answer=answers.get(r.pk), is_open=r.is_open(now), upcoming=r.opens_at > now)
        for r in rounds
    ]


def answer_of(assessment_round: AssessmentRound, person: Person) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(round=assessment_round, person=person)
        .prefetch_related("ratings", "priorities")
        .first()
    )


# -- the team: rounds and response rates ----------------------------------------------------------


def rounds_with_responses(programme: Programme) -> tuple[list[AssessmentRound], int]:
    """The programme's rounds with `answered` (how many people answered) and the number of participants."""
    rounds = list(
        AssessmentRound.objects.filter(programme=programme)
        .select_related("camp")
        .annotate(answered=Count("answers", distinct=True))
        .order_by("opens_at", "pk")
    )
    total = participant_count(programme)
    for r in rounds:
        r.rate = round(100 * r.answered / total) if total else 0
    return rounds, total


# -- the team: the cohort's needs -----------------------------------------------------------------


@dataclass
class CompetencyNeeds:
    competency: Competency
    priority_count: int = 0
    average: float | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (level, how many)
    sessions: list[Session] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(n for _level, n in self.distribution)


def _sessions_prefetch(programme: Programme) -> Prefetch:
    return Prefetch(
        "sessions",
        queryset=Session.objects.filter(camp__programme=programme).select_related("camp").order_by("starts_at"),
        to_attr="programme_sessions",
    )


def cohort_needs(programme: Programme) -> tuple[AssessmentRound | None, list[CompetencyNeeds], int]:
    """Per competency: how many chose it as a priority in the kick-off round, the average and the
    distribution of self-ratings there (or in the earliest round if there is no kick-off round), and the
    sessions planned that train it. Returns (the round used, rows, answers in it)."""
    base = (
        AssessmentRound.objects.filter(programme=programme, kind=AssessmentRound.Kind.NEEDS)
        .order_by("opens_at")
        .first()
        or AssessmentRound.objects.filter(programme=programme).order_by("opens_at").first()
    )
    competencies = list(
        Competency.objects.filter(programme=programme, retired=False)
        .order_by("position", "name")
        .prefetch_related(_sessions_prefetch(programme))
    )
    rows = {c.pk: CompetencyNeeds(competency=c, sessions=c.programme_sessions) for c in competencies}
    answers = 0
    if base is not None:
        answers = SelfAssessment.objects.filter(round=base).count()
        for item in (
            SelfAssessment.priorities.through.objects.filter(selfassessment__round=base)
            .values("competency_id")
            .annotate(n=Count("id"))
        ):
            if item["competency_id"] in rows:
                rows[item["competency_id"]].priority_count = item["n"]
        counts: dict[int, dict[int, int]] = defaultdict(dict)
        for item in (
            Rating.objects.filter(assessment__round=base).values("competency_id", "level").annotate(n=Count("id"))
        ):
            counts[item["competency_id"]][item["level"]] = item["n"]
        for pk, row in rows.items():
            by_level = counts.get(pk, {})
            row.distribution = [(level, by_level.get(level, 0)) for level in LEVELS]
            total = sum(by_level.values())
            row.average = round(sum(level * n for level, n in by_level.items()) / total, 1) if total else None
    else:
        for row in rows.values():
            row.distribution = [(level, 0) for level in LEVELS]
    ordered = sorted(rows.values(), key=lambda r: (-r.priority_count, r.competency.position))
    return base, ordered, answers


# -- growth ---------------------------------------------------------------------------------------


@dataclass
class GrowthRow:
    competency: Competency
    levels: list[float | None]  # per round, in the order of `rounds`
    sessions: list[Session] = field(default_factory=list)  # sessions attended that train it (a person)
    attended: int = 0  # attendances at sessions that train it (the cohort)

    @property
    def first(self) -> float | None:
        return next((v for v in self.levels if v is not None), None)

    @property
    def latest(self) -> float | None:
        return next((v for v in reversed(self.levels) if v is not None), None)

    @property
    def change(self) -> float | None:
        if self.first is None or self.latest is None:
            return None
        return round(self.latest - self.first, 1)


@dataclass
class Growth:
    programme: Programme
    rounds: list[AssessmentRound]
    rows: list[GrowthRow]
    attended_sessions: int = 0
    sessions_total: int = 0
    answered: dict[int, int] = field(default_factory=dict)  # round pk -> answers (cohort)


def _growth_rounds(programme: Programme) -> list[AssessmentRound]:
    """The rounds that measure growth: every round with ratings, in time order."""
    return list(AssessmentRound.objects.filter(programme=programme).select_related("camp").order_by("opens_at", "pk"))


def person_growth(person: Person, programme: Programme) -> Growth:
    """The person's rating per competency in each round, and the sessions they attended that train it."""
    rounds = _growth_rounds(programme)
    competencies = list(Competency.objects.filter(programme=programme).order_by("position", "name"))
    levels: dict[tuple[int, int], int] = {
        (r["assessment__round_id"], r["competency_id"]): r["level"]
        for r in Rating.objects.filter(assessment__person=person, assessment__round__programme=programme).values(
            "assessment__round_id", "competency_id", "level"
        )
    }
    attended = list(
        Session.objects.filter(camp__programme=programme, attendance__person=person, attendance__present=True)
        .select_related("camp")
        .prefetch_related("competencies")
        .order_by("starts_at")
        .distinct()
    )
    by_competency: dict[int, list[Session]] = defaultdict(list)
    for session in attended:
        for competency in session.competencies.all():
            by_competency[competency.pk].append(session)
    rows = []
    for c in competencies:
        row_levels = [levels.get((r.pk, c.pk)) for r in rounds]
        if c.retired and all(v is None for v in row_levels):
            continue
        rows.append(GrowthRow(competency=c, levels=row_levels, sessions=by_competency.get(c.pk, [])))
    sessions_total = Session.objects.filter(
        camp__programme=programme, camp__starts_on__lte=timezone.localdate()
    ).count()
    return Growth(
        programme=programme, rounds=rounds, rows=rows, attended_sessions=len(attended), sessions_total=sessions_total
    )


def cohort_growth(programme: Programme) -> Growth:
    """The average rating per competency in each round, how many answered, and attendance at the sessions
    that train each competency."""
    rounds = _growth_rounds(programme)
    competencies = list(Competency.objects.filter(programme=programme).order_by("position", "name"))
    averages = {
        (r["assessment__round_id"], r["competency_id"]): round(r["avg"], 1)
        for r in Rating.objects.filter(assessment__round__programme=programme)
        .values("assessment__round_id", "competency_id")
        .annotate(avg=Avg("level"))
    }
    answered = dict(
        SelfAssessment.objects.filter(round__programme=programme)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    attendance = dict(
        Attendance.objects.filter(session__camp__programme=programme, present=True)
        .values("session__competencies")
        .annotate(n=Count("id"))
        .values_list("session__competencies", "n")
    )
    rows = []
    for c in competencies:
        row_levels = [averages.get((r.pk, c.pk)) for r in rounds]
        if c.retired and all(v is None for v in row_levels):
            continue
        rows.append(GrowthRow(competency=c, levels=row_levels, attended=attendance.get(c.pk, 0)))
    for r in rounds:
        r.answer_count = answered.get(r.pk, 0)
    attended_total = Attendance.objects.filter(session__camp__programme=programme, present=True).count()
    return Growth(programme=programme, rounds=rounds, rows=rows, attended_sessions=attended_total, answered=answered)


def person_in(programme: Programme, person_id: int) -> Person:
    """A participant of the programme (404 for anyone else)."""
    person = (
        Person.objects.filter(pk=person_id, memberships__programme=programme, memberships__role__in=PARTICIPANT_ROLES)
        .select_related("organisation")
        .first()
    )
    if person is None:
        raise Http404
    return person


def participants(programme: Programme) -> list[Person]:
    return list(
        Person.objects.filter(memberships__programme=programme, memberships__role__in=PARTICIPANT_ROLES)
        .distinct()
        .select_related("organisation")
        .order_by("name")
    )
