"""Collective decisions: a proposal put to an electorate, the answers with their reasons, the outcome.

A proposal belongs to a working group (its electorate is the group's convener and members) or to a
whole programme (its electorate is everyone holding a participant, alumni or team role in it). It is
seen as its group is seen; the proposer and the electorate always count as named on it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rare.community.models import Person
from rare.core.visibility import VisibilityControlled, VisibleQuerySet


class ProposalQuerySet(VisibleQuerySet):
    def own_audience(self, person_id: int | None, organisation_id: int | None) -> Q:
        """The proposer and the people of the proposal's group always see it."""
        if person_id is None:
            return Q(pk__in=[])
        from rare.alliance.models import WorkingGroup

        members = WorkingGroup.members.through.objects.filter(workinggroup=OuterRef("group_id"), person_id=person_id)
        conveners = WorkingGroup.objects.filter(pk=OuterRef("group_id"), convener_id=person_id)
        return Q(created_by_id=person_id) | Q(Exists(members)) | Q(Exists(conveners))


class Proposal(VisibilityControlled):
    class Kind(models.TextChoices):
        CONSENT = "consent", _("consent (objections decide)")
        VOTE = "vote", _("vote (one option)")
        POLL = "poll", _("poll (any number of options)")
        TIME_POLL = "time_poll", _("time poll (find a meeting time)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", pgettext_lazy("status of an alert or a decision", "closed")

    programme = models.ForeignKey(
        "programme.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("programme"),
    )
    group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("working group"),
        help_text=_("Leave empty to put the proposal to every member of the programme."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONSENT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), help_text=_("What is proposed and why. Markdown is allowed."))
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"), db_index=True)
    hide_results = models.BooleanField(
        _("hide results until the close"),
        default=False,
        help_text=_("Nobody, not even the proposer or the programme team, sees the answers before the close."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    outcome = models.TextField(_("outcome statement"), blank=True)
    outcome_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("outcome by")
    )
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("proposer")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="proposal_closes_after_open")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliance:decision", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        return f"proposal {self.pk}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def results_visible(self) -> bool:
        """Hidden results stay hidden from everyone until the proposal closes."""
        return self.is_closed or not self.hide_results

    @property
    def outcome_pending(self) -> bool:
        return self.is_closed and not self.outcome


class Option(models.Model):
    """One choice of a vote or poll, or one proposed time of a time poll."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        if self.starts_at is not None:
            return formats.date_format(timezone.localtime(self.starts_at), "DATETIME_FORMAT")
        return self.label


class Answer(models.Model):
    """One person's answer, with a reason; it can be changed until the proposal closes."""

    class Position(models.TextChoices):
        AGREE = "agree", _("agree")
        ABSTAIN = "abstain", _("abstain")
        OBJECT = "object", _("object")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decision_answers")
    position = models.CharField(_("position"), max_length=8, choices=Position.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="answer_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} on {self.proposal}"


class AnswerChoice(models.Model):
    """The options an answer picks; for a time poll, yes, if need be or no for each time."""

    class Value(models.TextChoices):
        YES = "yes", _("yes")
        MAYBE = "maybe", _("if need be")
        NO = "no", _("no")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="choices")
    value = models.CharField(_("value"), max_length=5, choices=Value.choices, default=Value.YES)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["answer", "option"], name="answer_choice_once")]

    def __str__(self) -> str:
        return f"{self.option}: {self.get_value_display()}"
