"""Targeted messages: the programme team writes to a segment of the members.

A message names its segment (programme, roles, countries, working group, a camp's registration
status); when it is sent, the members in the segment at that moment become its recipients (one row
each), and it travels as a notice of kind "message.sent" through `rare.core.notifications`, which keeps
the delivery state of each email. A message can be read by the programme team and by its recipients,
through the one visibility mechanism of `rare.core.visibility`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rare.core.crypto import EncryptedFileSystemStorage
from rare.core.visibility import Visibility, VisibilityControlled, VisibleQuerySet


class MessageQuerySet(VisibleQuerySet):
    def own_audience(self, person_id: int | None, organisation_id: int | None) -> Q:
        """The members a message was sent to count as named on it."""
        if person_id is None:
            return Q(pk__in=[])
        return Q(Exists(Recipient.objects.filter(message=OuterRef("pk"), user__person__id=person_id)))


class Message(VisibilityControlled):
    """A message of the team. Its level is always "group": the team reads every message, and a member
    reads those sent to them (they count as named, see `MessageQuerySet.own_audience`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.CASCADE, related_name="messages", verbose_name=_("programme")
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.GROUP, editable=False
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    working_group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("working group"),
    )
    camp = models.ForeignKey(
        "programme.Camp", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("camp")
    )
    registration_statuses = models.JSONField(_("registration status"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reports:message", kwargs={"pk": self.pk})

    @property
    def role_labels(self) -> list[str]:
        from rare.programme.models import Membership

        return [str(Membership.Role(role).label) for role in self.roles if role in Membership.Role.values]

    @property
    def country_names(self) -> list[str]:
        return [countries.name(code) or code for code in self.countries]

    @property
    def status_labels(self) -> list[str]:
        from rare.programme.models import Registration

        values = Registration.Status.values
        return [str(Registration.Status(s).label) for s in self.registration_statuses if s in values]


class Recipient(models.Model):
    """A member a sent message was addressed to (the segment as it stood when it was sent)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="reports_recipient_once")]

    def __str__(self) -> str:
        return f"{self.message_id} to #{self.user_id}"


class PreparedFile(models.Model):
    """A file built in the background for one member, who alone may open it (see `rare.reports.rules`):
    its state, and when it was asked for and finished. The file itself is stored encrypted."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class FunderReport(PreparedFile):
    """A PDF report for funders on one programme and period, built in the background.

    The figures are counted over what the member who asked for it may see, so only that member can
    open it (see `rare.reports.rules`). The file is stored encrypted.
    """

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.CASCADE, related_name="funder_reports", verbose_name=_("programme")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=80, blank=True)
    file = models.FileField(
        _("file"), upload_to="reports/", storage=EncryptedFileSystemStorage(), blank=True, editable=False
    )

    class Meta(PreparedFile.Meta):
        verbose_name = _("funder report")
        verbose_name_plural = _("funder reports")

    def __str__(self) -> str:
        return f"{self.programme} {self.starts_on} to {self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("reports:funder_report", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        return f"rare-report-{self.programme.slug}-{self.starts_on:%Y%m%d}-{self.ends_on:%Y%m%d}.pdf"


class ExportJob(PreparedFile):
    """A long list written to XLSX in the background, with its progress; only its requester opens it."""

    name = models.CharField(_("list"), max_length=40)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"), upload_to="exports/", storage=EncryptedFileSystemStorage(), blank=True, editable=False
    )

    class Meta(PreparedFile.Meta):
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:export_job", kwargs={"pk": self.pk})

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.created_at:%Y%m%d-%H%M}.xlsx"
