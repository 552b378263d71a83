from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rare.community.models import Person, Theme


class ProgrammeQuerySet(models.QuerySet):
    def current(self) -> Programme | None:
        """The programme the platform presents first: a running one, else the next, else the last."""
        for status in (Programme.Status.RUNNING, Programme.Status.UPCOMING):
            found = self.filter(status=status).order_by("-starts_on").first()
            if found:
                return found
        return self.order_by("-starts_on").first()


class Programme(models.Model):
    """One edition (cohort) of the programme, e.g. 'RARE cohort 1, 2021-2022'."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    cohort = models.PositiveSmallIntegerField(_("cohort number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPCOMING)
    summary = models.TextField(_("summary"), blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a programme. Alumni stay members of the alliance after it ends."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        ALUMNI = "alumni", _("alumni")
        EXPERT = "expert", _("expert")
        ORGANISATION_ADMIN = "org_admin", _("organisation admin")
        TEAM = "team", _("programme team")
        DUTY_OFFICER = "duty_officer", _("duty officer")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["programme", "person", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["programme", "role"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.programme})"


class Camp(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="camps")
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    title = models.CharField(_("title"), max_length=200)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    summary = models.TextField(_("public summary"), blank=True)
    logistics = models.TextField(_("logistics for members"), blank=True)
    report = models.TextField(_("report"), blank=True)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Place and content are examples, not a record of the real camp."),
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("camp")
        verbose_name_plural = _("camps")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="camp_number_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="camp_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:camp", kwargs={"slug": self.slug})


class Session(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        EXPERT_PANEL = "panel", _("expert panel")
        SIDE_EVENT = "side_event", _("side-event")
        WORKING_GROUP = "working_group", _("working-group session")
        SITE_VISIT = "site_visit", _("site visit")
        SOCIAL = "social", _("social")

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    speakers = models.ManyToManyField(Person, blank=True, related_name="sessions_spoken", verbose_name=_("speakers"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="sessions", verbose_name=_("themes"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["camp", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_times_ordered")
        ]

    def __str__(self) -> str:
        return self.title
