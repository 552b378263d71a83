from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Theme(models.Model):
    """A portfolio theme or field of expertise (rule of law, civic space, migration, ...)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Size(models.TextChoices):
        SMALL = "small", _("up to 10 staff")
        MEDIUM = "medium", _("11 to 50 staff")
        LARGE = "large", _("more than 50 staff")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=200)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="organisations", verbose_name=_("themes"))
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the network: a participant, an expert, a team member or a guest speaker.

    A person may have no account (a guest speaker); a member's account is linked through `user`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=200)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Language codes separated by commas, e.g. en,de,hu.")
    )
    expertise = models.ManyToManyField(Theme, blank=True, related_name="experts", verbose_name=_("expertise"))
    bio = models.TextField(_("biography"), blank=True)
    public_profile = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("The person agreed to be shown on the public website."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return [c.strip() for c in self.languages.split(",") if c.strip()]
