"""Learning plans: what a participant means to attend or work through for their priority skills."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningPlan(models.Model):
    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="learning_plans")
    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="learning_plans")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")
        constraints = [models.UniqueConstraint(fields=["person", "programme"], name="learning_plan_once")]

    def __str__(self) -> str:
        return f"learning plan #{self.pk}"

    def audit_repr(self) -> str:
        return f"learning plan #{self.pk}"


class PlanItem(models.Model):
    """A session to attend, a resource of the library to work through, or another activity (a reading, a
    course) named by its title."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="items")
    session = models.ForeignKey(
        "programme.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("session"),
    )
    resource = models.ForeignKey(
        "learning.Resource",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("resource"),
    )
    title = models.CharField(_("other activity"), max_length=200, blank=True)
    competency = models.ForeignKey(
        "learning.Competency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("competency"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    done = models.BooleanField(_("done"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("learning plan item")
        verbose_name_plural = _("learning plan items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session__isnull=False) | models.Q(resource__isnull=False) | ~models.Q(title=""),
                name="plan_item_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"plan item #{self.pk}"

    def audit_repr(self) -> str:
        return f"plan item #{self.pk}"
