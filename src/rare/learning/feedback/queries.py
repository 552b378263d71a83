"""Reads of the feedback area: who may answer, what is due, and results in a constant number of queries."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from rare.community.models import Person
from rare.learning.feedback.models import (
    ANONYMITY_THRESHOLD,
    AnonymousAnswer,
    FeedbackForm,
    FeedbackSubmission,
    NamedAnswer,
)
from rare.learning.models import Competency
from rare.programme.models import Attendance, Registration

FORMS_PER_PAGE = 30


def _eligibility(form: FeedbackForm, person_ref) -> Q:
    """Attended the session (or a session of the camp), or registered for its camp."""
    if form.session_id is not None:
        attended = Attendance.objects.filter(session_id=form.session_id, person=person_ref, present=True)
        camp_id = form.session.camp_id
    else:
        attended = Attendance.objects.filter(session__camp_id=form.camp_id, person=person_ref, present=True)
        camp_id = form.camp_id
    registered = Registration.objects.filter(camp_id=camp_id, person=person_ref, status=Registration.Status.REGISTERED)
    return Q(Exists(attended)) | Q(Exists(registered))


def is_eligible(form: FeedbackForm, person: Person) -> bool:
    return Person.objects.filter(_eligibility(form, OuterRef("pk")), pk=person.pk).exists()


def eligible_people(form: FeedbackForm) -> QuerySet[Person]:
    """The people who may answer the form (whether or not they have)."""
    return Person.objects.filter(_eligibility(form, OuterRef("pk")))


def has_answered(form: FeedbackForm, person: Person) -> bool:
    return FeedbackSubmission.objects.filter(form=form, person=person).exists()


def form_by_pk(pk: int) -> FeedbackForm:
    return FeedbackForm.objects.select_related("session__camp__programme", "camp__programme").get(pk=pk)


def _with_target() -> QuerySet[FeedbackForm]:
    return FeedbackForm.objects.select_related("session__camp", "camp")


def forms_due_for(person: Person | None, *, now=None) -> list[FeedbackForm]:
    """Open forms the person may answer and has not answered yet, closing soonest first."""
    if person is None:
        return []
    now = now or timezone.now()
    attended = Attendance.objects.filter(person=person, present=True)
    registered = Registration.objects.filter(person=person, status=Registration.Status.REGISTERED)
    session_ok = Q(session__isnull=False) & (
        Q(Exists(attended.filter(session=OuterRef("session"))))
        | Q(Exists(registered.filter(camp=OuterRef("session__camp"))))
    )
    camp_ok = Q(camp__isnull=False) & (
        Q(Exists(attended.filter(session__camp=OuterRef("camp")))) | Q(Exists(registered.filter(camp=OuterRef("camp"))))
    )
    done = FeedbackSubmission.objects.filter(form=OuterRef("pk"), person=person)
    return list(
        _with_target()
        .filter(session_ok | camp_ok, opens_at__lte=now, closes_at__gt=now)
        .exclude(Exists(done))
        .order_by("closes_at", "pk")
    )


def _count_of(model) -> Coalesce:
    rows = model.objects.filter(form=OuterRef("pk")).order_by().values("form").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _average_of(model):
    rows = model.objects.filter(form=OuterRef("pk")).order_by().values("form").annotate(a=Avg("overall")).values("a")
    return Subquery(rows)


def team_forms() -> QuerySet[FeedbackForm]:
    """Every form with its number of answers and its overall average, in one query."""
    return _with_target().annotate(
        submitted=_count_of(FeedbackSubmission),
        named_average=_average_of(NamedAnswer),
        anonymous_average=_average_of(AnonymousAnswer),
    )


def forms_of_speaker(person: Person | None) -> QuerySet[FeedbackForm]:
    if person is None:
        return FeedbackForm.objects.none()
    return team_forms().filter(session__speakers=person)


def average_shown(form: FeedbackForm) -> float | None:
    """The overall average of an annotated form, withheld while an anonymous form has too few answers."""
    if form.anonymous:
        return form.anonymous_average if form.submitted >= ANONYMITY_THRESHOLD else None
    return form.named_average


@dataclass
class Question:
    label: str
    average: float | None
    answered: int
    counts: list[int]  # how many gave 1, 2, 3, 4, 5


@dataclass
class Comment:
    text: str
    author: str = ""


@dataclass
class Results:
    form: FeedbackForm
    answered: int
    eligible: int
    shown: bool
    questions: list[Question] = field(default_factory=list)
    competencies: list[Question] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def threshold(self) -> int:
        return ANONYMITY_THRESHOLD


def _question(label: str, values: list[int | None]) -> Question:
    given = [v for v in values if v]
    counts = [sum(1 for v in given if v == n) for n in range(1, 6)]
    average = round(sum(given) / len(given), 1) if given else None
    return Question(label=label, average=average, answered=len(given), counts=counts)


def results_of(form: FeedbackForm, *, with_names: bool) -> Results:
    """Aggregated answers of a form (four queries whatever the number of answers).

    An anonymous form shows nothing until ANONYMITY_THRESHOLD people answered, and its comments come
    without names in a random order. `with_names` (the team, on a named form) adds who wrote each comment.
    """
    from django.utils.translation import gettext as _

    answered = FeedbackSubmission.objects.filter(form=form).count()
    eligible = eligible_people(form).count()
    shown = answered >= ANONYMITY_THRESHOLD or not form.anonymous
    results = Results(form=form, answered=answered, eligible=eligible, shown=shown)
    if not shown:
        return results
    if form.anonymous:
        rows = list(AnonymousAnswer.objects.filter(form=form).order_by())
        random.SystemRandom().shuffle(rows)
    else:
        rows = list(NamedAnswer.objects.filter(form=form).select_related("person").order_by("person__name", "pk"))
    if form.is_camp_evaluation:
        labels = [("overall", _("Overall")), ("logistics", _("Logistics")), ("sessions", _("Sessions"))]
    else:
        labels = [("overall", _("Overall")), ("usefulness", _("Usefulness for my work"))]
    results.questions = [_question(label, [getattr(r, name) for r in rows]) for name, label in labels]
    if form.session_id is not None:
        competencies = Competency.objects.filter(sessions=form.session_id).order_by("position", "name")
        for competency in competencies:
            values = [r.learned.get(str(competency.pk)) for r in rows]
            results.competencies.append(_question(competency.name, [v for v in values if isinstance(v, int)]))
    for row in rows:
        if row.comment.strip():
            author = row.person.name if with_names and not form.anonymous else ""
            results.comments.append(Comment(text=row.comment, author=author))
    return results
