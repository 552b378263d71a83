from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Competency(models.Model):
    """A skill the programme trains (advocacy towards EU bodies, strategic litigation, ...).

    Each programme has its own framework; sessions say which competencies they train.
    """

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("No longer assessed; past ratings stay in the growth history.")
    )

    class Meta:
        ordering = ["programme", "position", "name"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="competency_slug_unique")]

    def __str__(self) -> str:
        return self.name


from rare.learning.assessments.models import AssessmentRound, Rating, SelfAssessment  # noqa: E402, F401
from rare.learning.feedback.models import (  # noqa: E402, F401
    AnonymousAnswer,
    FeedbackForm,
    FeedbackSubmission,
    NamedAnswer,
)
from rare.learning.library.models import Resource  # noqa: E402, F401
from rare.learning.plans.models import LearningPlan, PlanItem  # noqa: E402, F401
