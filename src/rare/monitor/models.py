"""The civic-space monitor: a rating history per country and the restrictive measures we follow.

A country's current rating is its latest `CountryRating` (one per country and date). Ratings are public
by nature (they repeat published assessments with their source); a `Measure` carries its own visibility,
because members sometimes track a draft before it is public knowledge.

Spill-over: a `SpilloverLink` joins an alert or measure in one country to one in another (same law
template, actor or tactic, or one coordinated campaign). A `Tactic` is a normalised name that alerts
(by their free-text `tactic`) and measures share; each `TacticSighting` records where and through which
record a tactic was seen, which is how the early warning knows a tactic is new to a country.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
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
    tactic = models.ForeignKey(
        "monitor.Tactic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("tactic"),
        help_text=_(
            "The tactic this measure uses, if it travels between countries; its first use in a country warns members."
        ),
    )

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

    def get_absolute_url(self) -> str:
        return reverse("monitor:measure", args=[self.pk])


# -- spill-over: tactics seen across borders, and links between alerts and measures ----------------------


def tactic_key(name: str) -> str:
    """The normalised form of a tactic's name: the same tactic written differently matches."""
    return " ".join(name.casefold().split())[:200]


class Tactic(models.Model):
    """A way of attacking civil society that travels between countries ("foreign agent" register, audit
    raids, SLAPPs by a state company...). Alerts name theirs in free text (`Alert.tactic`); the monitor
    matches it by `key`, the normalised name. A measure may name one directly."""

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=200, unique=True, editable=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("tactic")
        verbose_name_plural = _("tactics")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = tactic_key(self.name)
        super().save(*args, **kwargs)


class TacticSighting(models.Model):
    """A tactic seen in a country: through a verified alert or a recorded measure. The first sighting in a
    country (`first_in_country`) is what sets off an early warning."""

    tactic = models.ForeignKey(Tactic, on_delete=models.CASCADE, related_name="sightings", verbose_name=_("tactic"))
    country = CountryField(_("country"))
    seen_on = models.DateField(_("seen on"))
    alert = models.ForeignKey(
        "solidarity.Alert",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tactic_sightings",
        verbose_name=_("alert"),
    )
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tactic_sightings",
        verbose_name=_("measure"),
    )
    first_in_country = models.BooleanField(_("first in the country"), default=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("seen_on", "pk")
        verbose_name = _("tactic sighting")
        verbose_name_plural = _("tactic sightings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alert__isnull=False, measure__isnull=True)
                | models.Q(alert__isnull=True, measure__isnull=False),
                name="monitor_sighting_one_source",
            ),
            models.UniqueConstraint(fields=("tactic", "alert"), name="monitor_sighting_once_per_alert"),
            models.UniqueConstraint(fields=("tactic", "measure"), name="monitor_sighting_once_per_measure"),
        ]
        indexes = [models.Index(fields=("tactic", "country"), name="monitor_sighting_tactic_idx")]

    def __str__(self) -> str:
        return f"{self.tactic} ({self.country.code}, {self.seen_on})"


class SpilloverLink(models.Model):
    """An alert or measure in one country joined to one in another that copies its law, actor or tactic,
    or belongs to the same campaign. `source` is the earlier of the two, `target` the later.

    Each side is either an alert or a measure. A link is visible only to someone who may see both sides.
    """

    class Kind(models.TextChoices):
        LAW_TEMPLATE = "law_template", _("same law template")
        ACTOR = "actor", _("same actor")
        TACTIC = "tactic", _("same tactic")
        CAMPAIGN = "campaign", _("coordinated campaign")

    source_alert = models.ForeignKey(
        "solidarity.Alert",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("from alert"),
    )
    source_measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("from measure")
    )
    target_alert = models.ForeignKey(
        "solidarity.Alert",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("to alert"),
    )
    target_measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("to measure")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("spill-over link")
        verbose_name_plural = _("spill-over links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source_alert__isnull=False, source_measure__isnull=True)
                | models.Q(source_alert__isnull=True, source_measure__isnull=False),
                name="monitor_link_one_source",
            ),
            models.CheckConstraint(
                condition=models.Q(target_alert__isnull=False, target_measure__isnull=True)
                | models.Q(target_alert__isnull=True, target_measure__isnull=False),
                name="monitor_link_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.get_kind_display()})"

    @property
    def source(self):
        return self.source_alert if self.source_alert_id else self.source_measure

    @property
    def target(self):
        return self.target_alert if self.target_alert_id else self.target_measure

    def other_side(self, item):
        """The side of this link that is not `item`."""
        return self.target if item_ref(self.source) == item_ref(item) else self.source


def item_date(item):
    """The date of an alert (the attack) or a measure (its introduction)."""
    return getattr(item, "occurred_on", None) or item.introduced_on


def item_ref(item) -> str:
    """A short reference to an alert or measure: "alert:12", "measure:3"."""
    return f"{item._meta.model_name}:{item.pk}"
