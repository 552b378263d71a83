"""Writes of the feedback area: forms, answers and the announcement that a form is open.

Answers to anonymous forms are written so that nothing in the database ties them to the person who
gave them; read the docstring of rare.learning.feedback.models before changing `submit_answer`.
Nothing here logs, audits or enqueues an anonymous answer's id or content.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from rare.community.models import Person
from rare.core import audit
from rare.learning.feedback import notices, queries
from rare.learning.feedback.models import (
    AnonymousAnswer,
    FeedbackForm,
    FeedbackSubmission,
    NamedAnswer,
)
from rare.programme.models import Camp, Session

ANSWER_FIELDS = ("overall", "usefulness", "logistics", "sessions", "learned", "comment")


class FeedbackError(Exception):
    """An answer that cannot be taken; the message says why."""


class FormNotOpen(FeedbackError):
    pass


class NotEligible(FeedbackError):
    pass


class AlreadyAnswered(FeedbackError):
    pass


@transaction.atomic
def create_form(
    *,
    actor,
    session: Session | None = None,
    camp: Camp | None = None,
    anonymous: bool = True,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    request=None,
) -> FeedbackForm:
    """A feedback form for a session or an evaluation form for a camp; announced at once if already open."""
    if (session is None) == (camp is None):
        raise ValueError("A feedback form is about a session or a camp.")
    form = FeedbackForm.objects.create(
        session=session,
        camp=camp,
        anonymous=anonymous,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    audit.record("feedback.form_created", actor=actor, request=request, target=form, anonymous=anonymous)
    if form.is_open_at(timezone.now()):
        _announce(form)
    return form


def _announce(form: FeedbackForm) -> None:
    form.announced = True
    form.save(update_fields=["announced"])
    users = (
        queries.eligible_people(form).filter(user__isnull=False, user__is_active=True).values_list("user_id", flat=True)
    )
    notices.notify_open(form, list(users))


@transaction.atomic
def announce_open_forms(*, now: dt.datetime | None = None) -> int:
    """Tell participants about every form that has opened since the last run; returns how many forms."""
    now = now or timezone.now()
    forms = list(
        FeedbackForm.objects.select_for_update(of=("self",))
        .filter(announced=False, opens_at__lte=now, closes_at__gt=now)
        .select_related("session")
    )
    for form in forms:
        _announce(form)
    return len(forms)


def _values(form: FeedbackForm, answers: dict) -> dict:
    """Only the questions this kind of form asks."""
    values = {name: answers.get(name) for name in ANSWER_FIELDS}
    if form.is_camp_evaluation:
        values["usefulness"] = None
        values["learned"] = {}
    else:
        values["logistics"] = None
        values["sessions"] = None
        values["learned"] = {str(k): int(v) for k, v in (values["learned"] or {}).items() if v}
    values["comment"] = (values["comment"] or "").strip()
    return values


@transaction.atomic
def submit_answer(
    *,
    form: FeedbackForm,
    person: Person,
    actor=None,
    request=None,
    overall: int,
    usefulness: int | None = None,
    logistics: int | None = None,
    sessions: int | None = None,
    learned: dict | None = None,
    comment: str = "",
) -> None:
    """Take a person's answer to a form (once; a named answer may be changed while the form is open).

    For an anonymous form, the form's whole answer set is rewritten in a random order with fresh keys,
    so that no stored order matches the order of the submission markers (see the models' docstring).
    """
    form = FeedbackForm.objects.select_for_update(of=("self",)).select_related("session").get(pk=form.pk)
    if not form.is_open_at(timezone.now()):
        raise FormNotOpen("This form is not open.")
    if not queries.is_eligible(form, person):
        raise NotEligible("Only people who attended may answer.")
    values = _values(
        form,
        {
            "overall": overall,
            "usefulness": usefulness,
            "logistics": logistics,
            "sessions": sessions,
            "learned": learned or {},
            "comment": comment,
        },
    )
    _, created = FeedbackSubmission.objects.get_or_create(form=form, person=person)
    if form.anonymous:
        if not created:
            raise AlreadyAnswered("You have already answered this form.")
        _rewrite_anonymous(form, AnonymousAnswer(form=form, **values))
    else:
        NamedAnswer.objects.update_or_create(form=form, person=person, defaults=values)
    # The trail says that the person answered the form (as the marker does), never what or which answer.
    audit.record("feedback.answered", actor=actor, request=request, target=form)


def _rewrite_anonymous(form: FeedbackForm, new: AnonymousAnswer) -> None:
    existing = list(AnonymousAnswer.objects.filter(form=form).order_by())
    rows = [AnonymousAnswer(form=form, **{name: getattr(old, name) for name in ANSWER_FIELDS}) for old in existing]
    rows.append(new)
    random.SystemRandom().shuffle(rows)
    AnonymousAnswer.objects.filter(form=form).delete()
    AnonymousAnswer.objects.bulk_create(rows)
