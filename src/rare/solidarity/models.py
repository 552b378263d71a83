"""Alerts: attacks on civic organisations and human rights defenders, and their timeline.

Safe default: a new alert is RESTRICTED. Until a duty officer has verified it, only duty officers,
the reporter and the people of the reporter's organisation (named in the audience lists when it is
reported) see it, its title included. Visitors see an alert only when it is public AND verified.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from rare.core.crypto import EncryptedFileSystemStorage, EncryptedTextField
from rare.core.visibility import Visibility, VisibilityControlled


class Alert(VisibilityControlled):
    class Category(models.TextChoices):
        PHYSICAL_ATTACK = "physical_attack", _("physical attack")
        DETENTION = "detention", _("detention")
        JUDICIAL_HARASSMENT = "judicial_harassment", _("judicial harassment, including SLAPPs")
        SMEAR_CAMPAIGN = "smear_campaign", _("smear campaign")
        RESTRICTIVE_LAW = "restrictive_law", _("restrictive law or funding rule")
        SURVEILLANCE = "surveillance", _("surveillance")
        RAID = "raid", _("raid or seizure")
        OTHER = "other", _("other")

    class Perpetrator(models.TextChoices):
        STATE = "state", _("state authority")
        LAW_ENFORCEMENT = "law_enforcement", _("law enforcement")
        JUDICIARY = "judiciary", _("judiciary")
        ALIGNED_MEDIA = "aligned_media", _("government-aligned media")
        NON_STATE = "non_state", _("non-state actor")
        UNKNOWN = "unknown", _("unknown")

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")
        CRITICAL = "critical", _("critical")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        VERIFIED = "verified", _("verified")
        ACTIVE = "active", _("active")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", pgettext_lazy("status of an alert or a decision", "closed")

    # Allowed moves of the workflow; anything else is refused.
    TRANSITIONS = {
        Status.REPORTED: (Status.VERIFIED, Status.CLOSED),
        Status.VERIFIED: (Status.ACTIVE,),
        Status.ACTIVE: (Status.RESOLVED,),
        Status.RESOLVED: (Status.CLOSED,),
        Status.CLOSED: (),
    }

    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.RESTRICTED,
        db_index=True,
        help_text=_(
            "Restricted until verified: only duty officers and the people and organisations named see it, "
            "its title included. Public alerts appear to visitors only once verified."
        ),
    )
    country = CountryField(_("country"))
    occurred_on = models.DateField(_("date of the attack"))
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    tactic = models.CharField(_("tactic"), max_length=200, blank=True)
    perpetrator = models.CharField(
        _("perpetrator"), max_length=20, choices=Perpetrator.choices, default=Perpetrator.UNKNOWN
    )
    affected_organisations = models.ManyToManyField(
        "community.Organisation", blank=True, related_name="alerts", verbose_name=_("affected organisations")
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("public summary"), blank=True)
    details = EncryptedTextField(_("confidential details"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line: a link or a description."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_reasons = models.TextField(_("reasons for the verification"), blank=True)
    # Counters of the pledges, kept by `count_pledges` whenever a pledge is saved or deleted: the team's
    # coverage view sorts every verified alert by them, which counting a million pledges on each view
    # could not do. Ordinary saves of an alert leave them alone (see `save`).
    live_pledges = models.PositiveIntegerField(_("live pledges"), default=0, editable=False)
    done_pledges = models.PositiveIntegerField(_("pledges done"), default=0, editable=False)
    first_pledge_at = models.DateTimeField(_("first pledge"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("-occurred_on", "-pk")
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        # The lists show the newest first, a page at a time: read in this index's order, a page
        # stops after its rows instead of sorting every alert (see `make bench`).
        indexes = [
            models.Index(fields=["-occurred_on", "-id"], name="alert_newest_first"),
            models.Index(fields=["-verified_at", "-id"], name="alert_latest_verified"),  # the public feed
            # The team's coverage view: fewest pledges first (see `count_pledges`).
            models.Index(fields=["live_pledges", "done_pledges", "created_at", "id"], name="alert_fewest_pledges"),
            # The key figures count the alerts reported within a period (`reports.queries.Period`).
            models.Index(fields=["created_at"], name="alert_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        """Save every field but the pledge counters, which only `count_pledges` writes: an alert loaded
        before a pledge came in (an edit form, say) must not put back the old counts."""
        if update_fields is None and not self._state.adding:
            update_fields = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in PLEDGE_COUNTERS
            ]
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("solidarity:detail", args=[self.pk])

    @property
    def source_lines(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    def allowed_next(self) -> tuple[str, ...]:
        return tuple(self.TRANSITIONS.get(self.status, ()))


class AlertUpdate(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", _("update")
        AUTHORITY_REPLY = "authority_reply", _("reply of the authorities")
        STATUS_CHANGE = "status_change", _("status change")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="updates", verbose_name=_("alert"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField(_("text"))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to everyone who may see the alert, not only to those named.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("alert update")
        verbose_name_plural = _("alert updates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


def _evidence_path(instance: AlertEvidence, filename: str) -> str:
    return f"alerts/{instance.alert_id}/{filename}"


def _pledge_evidence_path(instance: Pledge, filename: str) -> str:
    return f"alerts/{instance.alert_id}/pledges/{filename}"


class AlertEvidence(models.Model):
    """A file backing an alert (a photo, a letter, a court paper). Stored encrypted; only those who may
    read the alert's confidential details may download it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("alert"))
    file = models.FileField(_("file"), upload_to=_evidence_path, storage=EncryptedFileSystemStorage(), max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.filename


class Pledge(models.Model):
    """A response an organisation commits to on an alert. Whoever may see the alert sees its pledges."""

    class Kind(models.TextChoices):
        JOINT_STATEMENT = "joint_statement", _("joint statement")
        LETTER = "letter", _("letter to our own government or embassy")
        INTERNATIONAL = "international", _("raising it with an EU or international body")
        MEDIA = "media", _("media work")
        LEGAL = "legal", _("legal support")
        EMERGENCY_FUND = "emergency_fund", _("emergency-fund referral")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("pledged")
        DONE = "done", _("done")
        WITHDRAWN = "withdrawn", _("withdrawn")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("alert"))
    organisation = models.ForeignKey(
        "community.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
        verbose_name=_("organisation"),
    )
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pledged by"),
    )
    person = models.ForeignKey(
        "community.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("response"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED, db_index=True)
    evidence = EncryptedTextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to=_pledge_evidence_path,
        storage=EncryptedFileSystemStorage(),
        blank=True,
        max_length=300,
    )
    evidence_filename = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("pledged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [
            models.Index(fields=["alert", "status"]),
            # The API lists pledges newest first (see `alert_newest_first`).
            models.Index(fields=["-created_at", "-id"], name="pledge_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            count_pledges(self.alert_id)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            count_pledges(self.alert_id)
        return result


PLEDGE_COUNTERS = ("live_pledges", "done_pledges", "first_pledge_at")


def count_pledges(alert_id: int) -> None:
    """Recount the pledges of one alert into its counters.

    The alert's row is locked first (PostgreSQL), so of two pledges committed at the same moment the
    second count waits for the first transaction and then sees both pledges. Bulk writes that bypass
    `Pledge.save` (the synthetic data set) recount every alert themselves.
    """
    live = Q(status__in=[Pledge.Status.PLEDGED, Pledge.Status.DONE])
    with transaction.atomic():
        list(Alert.objects.select_for_update().filter(pk=alert_id).values_list("pk"))
        totals = Pledge.objects.filter(alert_id=alert_id).aggregate(
            live=Count("pk", filter=live),
            done=Count("pk", filter=Q(status=Pledge.Status.DONE)),
            first=Min("created_at", filter=live),
        )
        Alert.objects.filter(pk=alert_id).update(
            live_pledges=totals["live"], done_pledges=totals["done"], first_pledge_at=totals["first"]
        )
