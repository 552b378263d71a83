"""Assessment rounds and the answers to them: the kick-off needs assessment and the self-assessments.

Every round uses the same scale (SCALE, 1 to 5), so ratings from different rounds compare. A person answers
a round once (SelfAssessment) and may change the answer until the round closes. The kick-off round (kind
"needs") also asks for expectations and up to three priority competencies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.core.crypto import EncryptedTextField

SCALE = [
    (1, _("1: new to me")),
    (2, _("2: basic")),
    (3, _("3: capable")),
    (4, _("4: advanced")),
    (5, _("5: could teach it")),
]
MAX_PRIORITIES = 3


class AssessmentRound(models.Model):
    class Kind(models.TextChoices):
        NEEDS = "needs", _("kick-off needs assessment")
        BASELINE = "baseline", _("baseline self-assessment")
        MIDTERM = "midterm", _("mid-term self-assessment")
        END = "end", _("end self-assessment")
        AFTER_CAMP = "after_camp", _("self-assessment after a camp")

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.CASCADE, related_name="assessment_rounds", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    camp = models.ForeignKey(
        "programme.Camp",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessment_rounds",
        verbose_name=_("camp"),
        help_text=_("Only for a self-assessment after a camp."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "opens_at", "pk"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        indexes = [models.Index(fields=["programme", "opens_at"]), models.Index(fields=["opens_at", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="assessment_round_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="after_camp", camp__isnull=False) | (~models.Q(kind="after_camp")),
                name="assessment_round_camp_for_after_camp",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    def get_absolute_url(self) -> str:
        return reverse("learning:answer", kwargs={"round_id": self.pk})

    @property
    def label(self) -> str:
        if self.kind == self.Kind.AFTER_CAMP and self.camp_id:
            return _("Self-assessment after camp %(number)s") % {"number": self.camp.number}
        return self.get_kind_display().capitalize()

    @property
    def is_needs(self) -> bool:
        return self.kind == self.Kind.NEEDS

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class SelfAssessment(models.Model):
    """One person's answer to one round: ratings per competency, and for the kick-off round also
    expectations and priorities. Seen only by the person and the programme team."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="self_assessments")
    expectations = EncryptedTextField(_("expectations towards the programme"), blank=True)
    priorities = models.ManyToManyField(
        "learning.Competency", blank=True, related_name="prioritised_in", verbose_name=_("priority skills")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "person"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="self_assessment_once_per_round")]

    def __str__(self) -> str:
        return f"self-assessment #{self.pk}"

    def audit_repr(self) -> str:
        return f"self-assessment #{self.pk}"


class Rating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey("learning.Competency", on_delete=models.CASCADE, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("level"), choices=SCALE)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="rating_once_per_competency"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.level}"
