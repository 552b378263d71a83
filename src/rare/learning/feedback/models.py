"""Session feedback and camp evaluations, with answers that cannot be tied to a person when anonymous.

A `FeedbackForm` asks about one session or one camp. Its questions are a small fixed set: an overall
rating, usefulness (sessions) or logistics and sessions (camps), "I learned" per competency the session
trains, and a comment. Who answered is kept in `FeedbackSubmission` (one row per person and form; the
unique constraint is what stops a second answer). What they answered is kept apart:

- a named form stores the answer in `NamedAnswer`, which says whose it is and may be edited until the
  form closes;
- an anonymous form stores it in `AnonymousAnswer`, which holds nothing that leads back to a person.

How an anonymous answer is kept apart from its author, in the database itself
-----------------------------------------------------------------------------
Someone who can read every row of every table (a database administrator, a stolen backup, the team with
a SQL console) must not be able to say which answer is whose. The obvious links are left out:

- no person or account column on `AnonymousAnswer`, and no time column at all (not even the day);
- the primary key is a random UUID, so key order says nothing about the order of answering;
- the submission marker (who answered) holds no time and no reference to the answer;
- no audit entry, log line or task carries the answer's id or content: the audit trail records only
  that a person answered a form, which the marker says anyway;
- the comment is encrypted at rest like other confidential text.

The less obvious links are the order in which rows are stored. The marker table and the answer table
both grow in the order people answer, so the n-th marker would match the n-th answer through SQLite's
`rowid` or PostgreSQL's physical position (`ctid`), and on PostgreSQL a row written in the same
transaction as the marker would even carry the same transaction id (`xmin`). To defeat all three,
every new anonymous answer *rewrites the form's whole answer set*: inside the submitting transaction
(which locks the form, so submissions run one after another) the form's answers are read, deleted and
inserted again, together with the new one, in a random order, each with a fresh random UUID and a
freshly encrypted comment. After that, every answer of the form has the same `xmin`, and their `rowid`
and `ctid` order is a random shuffle: nothing in the current rows says which answer came last, so the
markers' order cannot be matched to them.

Residual risks, accepted and documented
- Two copies of the database taken at different moments (backups, replicas, WAL archives) differ by
  the answers given in between; if exactly one person answered in between, comparing the copies ties
  that answer to that person. Keep backups and WAL archives as confidential as the database itself.
- Deleted row versions stay on disk until PostgreSQL vacuums them (or SQLite reuses the free pages);
  they cannot be read with SQL, only with low-level tools on the files.
- Aggregates change by one answer at a time; therefore the team is shown only how many answered an
  anonymous form, never who, and results stay hidden until at least `ANONYMITY_THRESHOLD` answered.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rare.core.crypto import EncryptedTextField

ANONYMITY_THRESHOLD = 3
RATING = [MinValueValidator(1), MaxValueValidator(5)]


class FeedbackForm(models.Model):
    """A questionnaire about one session (session feedback) or one camp (camp evaluation)."""

    session = models.ForeignKey(
        "programme.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_forms",
        verbose_name=_("session"),
    )
    camp = models.ForeignKey(
        "programme.Camp",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_forms",
        verbose_name=_("camp"),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Nobody, the programme team included, can tell who gave which answer."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    announced = models.BooleanField(_("participants told"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        constraints = [
            models.CheckConstraint(
                condition=(Q(session__isnull=False) & Q(camp__isnull=True))
                | (Q(session__isnull=True) & Q(camp__isnull=False)),
                name="feedbackform_session_xor_camp",
            ),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="feedbackform_dates_ordered"),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"])]

    def __str__(self) -> str:
        if self.session_id:
            return str(_("Feedback on %(title)s") % {"title": self.session.title})
        return str(_("Evaluation of %(title)s") % {"title": self.camp.title})

    def audit_repr(self) -> str:
        return f"feedback form #{self.pk}"

    @property
    def is_camp_evaluation(self) -> bool:
        return self.camp_id is not None

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class FeedbackSubmission(models.Model):
    """That a person has answered a form: nothing about what, nothing about when."""

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="submissions")
    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="feedback_submissions")

    class Meta:
        verbose_name = _("feedback submission")
        verbose_name_plural = _("feedback submissions")
        constraints = [models.UniqueConstraint(fields=["form", "person"], name="feedback_once_per_person")]

    def __str__(self) -> str:
        return f"submission #{self.pk}"


class AnswerFields(models.Model):
    """The questions every answer carries; which ones a form asks depends on its kind."""

    overall = models.PositiveSmallIntegerField(_("overall"), validators=RATING)
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=RATING, null=True, blank=True)
    logistics = models.PositiveSmallIntegerField(_("logistics"), validators=RATING, null=True, blank=True)
    sessions = models.PositiveSmallIntegerField(_("sessions"), validators=RATING, null=True, blank=True)
    # {competency id (as text): 1-5} for the competencies the session trains
    learned = models.JSONField(_("what I learned"), default=dict, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        abstract = True


class NamedAnswer(AnswerFields):
    """An answer to a form that is not anonymous: the team sees whose it is."""

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="named_answers")
    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="feedback_answers")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("named answer")
        verbose_name_plural = _("named answers")
        constraints = [models.UniqueConstraint(fields=["form", "person"], name="named_answer_once_per_person")]

    def __str__(self) -> str:
        return f"answer #{self.pk}"


class AnonymousAnswer(AnswerFields):
    """An answer to an anonymous form: a random key, the form, the ratings; no person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="anonymous_answers")

    class Meta:
        verbose_name = _("anonymous answer")
        verbose_name_plural = _("anonymous answers")

    def __str__(self) -> str:
        return "anonymous answer"
