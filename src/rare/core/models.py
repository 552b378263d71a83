"""Models of the core: the audit trail and the schedule of periodic jobs.

The audit table is append-only: database triggers (see migration 0002) refuse UPDATE and DELETE on
both PostgreSQL and SQLite. Two narrow exceptions exist, each checked inside the trigger:
- when an account is deleted, its entries keep their pseudonymous actor label and only lose the
  link to the account (`actor_id` set to NULL, every other column unchanged);
- the retention purge deletes entries older than a horizon it writes into `AuditPurgeGate` inside
  its own transaction; no other transaction sees that row, so nothing else can delete.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One security-relevant event: who did what to which record, when, and how it ended."""

    class Outcome(models.TextChoices):
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")
        DENIED = "denied", _("denied")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A stable pseudonym of the account, kept when the account itself is gone.
    actor_label = models.CharField(_("actor label"), max_length=40, blank=True)
    # No database constraint: removing a stale content type must not touch the append-only table.
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OK)
    # Only the network (IPv4 /24, IPv6 /48) and the browser family, never the raw values.
    network = models.CharField(_("network"), max_length=50, blank=True)
    client = models.CharField(_("client"), max_length=60, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["action", "at"], name="core_audit_action_at"),
            models.Index(fields=["actor", "at"], name="core_audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="core_audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # The trigger would refuse it anyway; say so before reaching the database.
            raise AuditEntryImmutable("Audit entries are append-only and cannot be changed.")
        if self.actor_id is not None and not self.actor_label:
            from rare.core.audit import actor_pseudonym

            self.actor_label = actor_pseudonym(self.actor)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable("Audit entries are append-only; only the retention purge removes old ones.")

    @property
    def action_label(self) -> str:
        from rare.core.audit import action_label

        return action_label(self.action)


class AuditEntryImmutable(Exception):
    """An attempt to change or delete an audit entry through the ORM."""


class AuditPurgeGate(models.Model):
    """Written only by the retention purge, inside its own transaction, and removed before it commits.

    The delete trigger on the audit table allows a row to go only while a gate row with a later
    `purge_before` is visible to the deleting transaction.
    """

    purge_before = models.DateTimeField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"purge before {self.purge_before:%Y-%m-%d %H:%M}"


class PeriodicJob(models.Model):
    """When a registered periodic job (see `rare.core.scheduling`) is due next."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


# --- Notifications (see rare.core.notifications) --------------------------------------------------


class Notice(models.Model):
    """One event worth telling people about: a kind, the record it is about, and how far its fan-out got."""

    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("record id"))
    topic = models.JSONField(_("topic"), default=dict, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    # None: everyone allowed to see the record; else the ids of the users named by the caller.
    recipient_ids = models.JSONField(_("named recipients"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    fanned_out_at = models.DateTimeField(_("fan-out finished"), null=True, blank=True)
    # Written by a sending task at every batch; the sweep restarts a notice whose sender went quiet.
    sending_seen_at = models.DateTimeField(_("last sending activity"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_notice_target")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.target_id}"


class EmailState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    CLAIMED = "claimed", _("being sent")
    SENT = "sent", _("sent")
    DIGEST = "digest", _("waiting for the daily digest")
    IN_DIGEST = "in_digest", _("in a daily digest")
    SKIPPED = "skipped", _("not sent")
    FAILED = "failed", _("failed")


class Digest(models.Model):
    """One member's daily digest email: created once per member and day, sent once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    email_state = models.CharField(
        _("email"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING, db_index=True
    )
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="core_digest_once_a_day")]

    def __str__(self) -> str:
        return f"digest {self.day} #{self.recipient_id}"


class Delivery(models.Model):
    """A notice for one member: the in-app notice (read or not) and the state of its email."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(_("email"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notice", "recipient"], name="core_delivery_once_per_member")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="core_delivery_inbox"),
            models.Index(fields=["recipient", "read_at"], name="core_delivery_unread"),
            models.Index(fields=["notice", "email_state"], name="core_delivery_sending"),
            models.Index(fields=["email_state", "recipient"], name="core_delivery_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.notice} to #{self.recipient_id}"


class NotificationPreference(models.Model):
    """How a member wants to hear about things; without a row, everything is emailed at once."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DIGEST = "digest", _("in a daily digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    language = models.CharField(
        _("email language"),
        max_length=8,
        blank=True,
        help_text=_("Empty: the first language of your profile that the platform speaks."),
    )
    alerts = models.CharField(_("alerts"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    alert_digest_categories = models.JSONField(_("alert categories for the digest"), default=list, blank=True)
    alert_digest_countries = models.JSONField(_("alert countries for the digest"), default=list, blank=True)
    follows = models.CharField(_("what you follow"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences #{self.user_id}"
