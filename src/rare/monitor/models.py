"""The civic-space monitor: a rating history per country and the restrictive measures we follow.

A country's current rating is its latest `CountryRating` (one per country and date). Ratings are public
by nature (they repeat published assessments with their source); a `Measure` carries its own visibility,
because members sometimes track a draft before it is public knowledge.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rare.core.visibility import VisibilityControlled


class Rating(models.TextChoices):
    # In order from the most to the least free; RANK follows this order.
    OPEN = "open", _("open")
    NARROWED = "narrowed", _("narrowed")
    OBSTRUCTED = "obstructed", _("obstructed")
    REPRESSED = "repressed", _("repressed")
    CLOSED = "closed", _("closed")


RANK: dict[str, int] = {value: number for number, value in enumerate(Rating.values)}


class CountryRating(models.Model):
    country = CountryField(_("country"))
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    rated_on = models.DateField(_("rated on"))
    source_name = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source address"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("country", "rated_on")
        verbose_name = _("country rating")
        verbose_name_plural = _("country ratings")
        constraints = [
            models.UniqueConstraint(fields=("country", "rated_on"), name="monitor_one_rating_per_country_and_day")
        ]
        indexes = [models.Index(fields=("rating",), name="monitor_rating_rating_idx")]

    def __str__(self) -> str:
        return f"{self.country.code} {self.rated_on}: {self.rating}"


class Measure(VisibilityControlled):
    class Kind(models.TextChoices):
        LAW = "law", _("law")
        BILL = "bill", _("bill")
        FUNDING_RULE = "funding_rule", _("funding rule")
        SMEAR_CAMPAIGN = "smear_campaign", _("smear campaign")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ADOPTED = "adopted", _("adopted")
        IN_FORCE = "in_force", _("in force")
        WITHDRAWN = "withdrawn", _("withdrawn")
        STRUCK_DOWN = "struck_down", _("struck down")

    country = CountryField(_("country"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    introduced_on = models.DateField(_("introduced on"))
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source address"), blank=True)

    class Meta:
        ordering = ("-introduced_on", "pk")
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [
            models.Index(fields=("country", "-introduced_on"), name="monitor_measure_country_idx"),
            models.Index(fields=("kind",), name="monitor_measure_kind_idx"),
            models.Index(fields=("status",), name="monitor_measure_status_idx"),
            models.Index(fields=("-introduced_on",), name="monitor_measure_date_idx"),
        ]

    def __str__(self) -> str:
        return self.title
