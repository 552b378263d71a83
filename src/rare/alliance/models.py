from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rare.community.models import Organisation, Person, Theme
from rare.programme.models import Programme


class WorkingGroup(models.Model):
    """A group of the alliance working on one theme (rule of law, civic space, ...)."""

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

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name
