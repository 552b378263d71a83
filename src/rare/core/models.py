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
