from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rare.community.models import Organisation, Person, Theme
from rare.core.visibility import VisibilityControlled, VisibleQuerySet
from rare.programme.models import Programme


class WorkingGroupQuerySet(VisibleQuerySet):
    def own_audience(self, person_id: int | None, organisation_id: int | None) -> Q:
        """A group names its convener, its members and its member organisations: they always see it
        (a restricted group is still hidden from them while their account is in travel mode)."""
        if person_id is None:
            return Q(pk__in=[])
        members = WorkingGroup.members.through.objects.filter(workinggroup=OuterRef("pk"), person_id=person_id)
        audience = Q(convener_id=person_id) | Q(Exists(members))
        if organisation_id is not None:
            organisations = WorkingGroup.organisations.through.objects.filter(
                workinggroup=OuterRef("pk"), organisation_id=organisation_id
            )
            audience |= Q(Exists(organisations))
        return audience


class WorkingGroup(VisibilityControlled):
    """A group of the alliance working on one theme (rule of law, civic space, ...).

    The group's space has its own visibility (see rare.core.visibility); its convener, members and
    member organisations always count as named on it.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="working_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("theme"))
    convener = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="convened_groups"
    )
    members = models.ManyToManyField(Person, blank=True, related_name="working_groups", verbose_name=_("members"))
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="working_groups", verbose_name=_("organisations")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    public_output = models.TextField(
        _("public output"), blank=True, help_text=_("What the group has published, shown on the public site.")
    )

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alliance:group", kwargs={"slug": self.slug})


from rare.alliance.decisions.models import Answer, AnswerChoice, Option, Proposal  # noqa: E402, F401
from rare.alliance.plan.models import (  # noqa: E402, F401  meetings, action plan, campaigns, engagements
    Action,
    ActionChange,
    Campaign,
    CampaignOutput,
    Engagement,
    FollowUp,
    Meeting,
    Milestone,
    Objective,
    PriorityIssue,
)
from rare.alliance.statements.models import Signature, Statement, StatementVersion  # noqa: E402, F401
