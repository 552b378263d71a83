from __future__ import annotations

import zoneinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rare.community.models import Person, Theme
from rare.core.crypto import EncryptedFileSystemStorage, EncryptedTextField
from rare.core.visibility import VisibilityControlled


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (use a name like Europe/Vienna)."), params={"value": value}
        )


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
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Where the camp's clock runs, e.g. Europe/Vienna. Empty: the platform's time zone."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Members can register, change and cancel until then. Empty: until the camp starts."),
    )
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

    @property
    def zone(self) -> ZoneInfo:
        """The camp's local time zone; session times are shown and exported in it."""
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)


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
    competencies = models.ManyToManyField(
        "learning.Competency", blank=True, related_name="sessions", verbose_name=_("competencies trained")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["camp", "starts_at"]),
            # Every session in time order (the API list), a page at a time (see `make bench`).
            models.Index(fields=["starts_at", "id"], name="session_in_time_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_times_ordered")
        ]

    def __str__(self) -> str:
        return self.title


class Call(models.Model):
    """A call for applications to a programme, open until its deadline."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline"))
    places = models.PositiveSmallIntegerField(_("places"), default=26)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline__gt=models.F("opens_at")), name="call_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """Someone's application to a call. Free text is encrypted: applicants may describe risks they face."""

    class Seniority(models.TextChoices):
        DIRECTOR = "director", _("executive director or co-director")
        HEAD = "head", _("head of programme or department")
        SENIOR = "senior", _("senior staff")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        WAITLISTED = "waitlisted", _("waitlisted")
        REJECTED = "rejected", _("not selected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation = models.ForeignKey(
        "community.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    country = CountryField(_("country"))
    role = models.CharField(_("role in the organisation"), max_length=200)
    seniority = models.CharField(_("seniority"), max_length=12, choices=Seniority.choices)
    track_record = EncryptedTextField(_("track record"))
    motivation = EncryptedTextField(_("motivation"))
    topics = models.ManyToManyField(Theme, blank=True, related_name="applications", verbose_name=_("topics"))
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The language the applicant wrote in; emails use it.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation = models.ForeignKey(
        "accounts.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    notified_at = models.DateTimeField(
        _("told of the decision"), null=True, blank=True, help_text=_("When the applicant was emailed a refusal.")
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})"

    def audit_repr(self) -> str:
        return f"application #{self.pk}"


class Review(models.Model):
    """One reviewer's score of an application; hidden from other reviewers until they have scored."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("From 1 (weak) to 5 (excellent)."))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_once_per_reviewer"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="review_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.score} for {self.application_id}"


class Registration(models.Model):
    """A member's registration for a camp. Needs are encrypted and seen only by the person and the team."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        CANCELLED = "cancelled", _("cancelled")

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    arrives_on = models.DateField(_("arrival"), null=True, blank=True)
    departs_on = models.DateField(_("departure"), null=True, blank=True)
    needs_accommodation = models.BooleanField(_("needs accommodation"), default=True)
    travel_needs = EncryptedTextField(_("travel needs"), blank=True)
    accommodation_needs = EncryptedTextField(_("accommodation needs"), blank=True)
    dietary_needs = EncryptedTextField(_("dietary needs"), blank=True)
    access_needs = EncryptedTextField(_("access needs"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["camp", "person__name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["camp", "person"], name="registration_once_per_camp")]
        indexes = [models.Index(fields=["camp", "status"])]

    def __str__(self) -> str:
        return f"{self.person} at {self.camp}"

    def audit_repr(self) -> str:
        return f"registration #{self.pk}"


class Attendance(models.Model):
    """Whether a person attended a session, as recorded by the team."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once_per_session")]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"


def _material_path(instance: Material, filename: str) -> str:
    return f"materials/{instance.session_id}/{filename}"


class Material(VisibilityControlled):
    """A file or link for a session, with its own visibility. Files are stored encrypted."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=_material_path, storage=EncryptedFileSystemStorage(), blank=True, max_length=300
    )
    link = models.URLField(_("link"), blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A person's personal calendar feed, reached through a secret URL that can be reset.

    Only a hash of the secret is kept for look-ups; the secret itself is sealed so the owner can see
    their URL again.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    token = EncryptedTextField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"
