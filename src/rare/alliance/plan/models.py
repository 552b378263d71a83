"""The alliance at work: working-group meetings, the joint strategic action plan, campaigns and the
advocacy engagement log.

Actions, campaigns and engagements carry their own visibility (members by default). A meeting is
visible exactly as its working group is; a milestone, an output and a follow-up as the record they
belong to. `ActionChange` is the history of an action: written by `rare.alliance.plan.services` for
every change, never edited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.community.models import Contact, Institution, Organisation, Person
from rare.core.crypto import EncryptedFileSystemStorage
from rare.core.visibility import VisibilityControlled

# --- The joint strategic action plan ----------------------------------------------------------------


class PriorityIssue(models.Model):
    """An issue the alliance chose to work on together, such as the rule of law or civic space."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "title", "pk"]
        verbose_name = _("priority issue")
        verbose_name_plural = _("priority issues")

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    """What the alliance wants to achieve on one priority issue."""

    priority = models.ForeignKey(
        PriorityIssue, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("priority issue")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["priority__position", "position", "title", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class Action(VisibilityControlled):
    """One thing the alliance does towards an objective, owned by one or more organisations."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        BLOCKED = "blocked", _("blocked")
        DROPPED = "dropped", _("dropped")

    # Statuses in which an action can no longer be late.
    CLOSED = (Status.DONE, Status.DROPPED)

    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="actions", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owners = models.ManyToManyField(
        Organisation, blank=True, related_name="owned_actions", verbose_name=_("owner organisations")
    )
    working_group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("working group"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("depends on")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["objective__priority__position", "objective__position", "due_date", "title", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliance:action", kwargs={"pk": self.pk})

    def is_late_on(self, day: dt.date) -> bool:
        return self.due_date is not None and self.due_date < day and self.status not in self.CLOSED

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ActionChange(models.Model):
    """One change to one field of an action: who, when, before and after. Append-only."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    field = models.CharField(_("field"), max_length=40)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("action change")
        verbose_name_plural = _("action changes")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.field}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The history of an action is never edited.")
        super().save(*args, **kwargs)


# --- Working-group meetings -------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """The meetings of the groups `user` may see."""
        from rare.alliance.models import WorkingGroup

        return self.filter(group__in=WorkingGroup.objects.visible_to(user).values("pk"))


class Meeting(models.Model):
    """A meeting of a working group, visible exactly as its group is."""

    group = models.ForeignKey(
        "alliance.WorkingGroup", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("working group")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliance:meeting", kwargs={"slug": self.group.slug, "pk": self.pk})


# --- Campaigns ----------------------------------------------------------------------------------------


class Campaign(VisibilityControlled):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        CONCLUDED = "concluded", _("concluded")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    goal = models.TextField(_("goal"), blank=True)
    asks = models.TextField(_("asks"), blank=True, help_text=_("One ask per line."))
    target_institutions = models.ManyToManyField(
        Institution, blank=True, related_name="campaigns", verbose_name=_("target institutions")
    )
    target_contacts = models.ManyToManyField(
        Contact, blank=True, related_name="campaigns", verbose_name=_("target contacts")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="campaigns", verbose_name=_("participating organisations")
    )
    working_group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("working group"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliance:campaign", kwargs={"slug": self.slug})

    @property
    def ask_lines(self) -> list[str]:
        return [line.strip() for line in self.asks.splitlines() if line.strip()]


def _output_path(instance: CampaignOutput, filename: str) -> str:
    return f"campaigns/{instance.campaign_id}/{filename}"


class CampaignOutput(models.Model):
    """Something a campaign produced: a brief, a letter, a statement, media coverage."""

    class Kind(models.TextChoices):
        BRIEF = "brief", _("brief")
        LETTER = "letter", _("letter")
        STATEMENT = "statement", _("statement")
        MEDIA = "media", _("media coverage")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to=_output_path, storage=EncryptedFileSystemStorage(), blank=True, max_length=300
    )
    published_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "pk"]
        verbose_name = _("campaign output")
        verbose_name_plural = _("campaign outputs")

    def __str__(self) -> str:
        return self.title


# --- Advocacy engagement log --------------------------------------------------------------------------


class Engagement(VisibilityControlled):
    """A meeting, letter, hearing or consultation with an advocacy target, and what came of it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        LETTER = "letter", _("letter")
        HEARING = "hearing", _("hearing")
        CONSULTATION = "consultation", _("consultation")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("institution"),
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="engagements", verbose_name=_("contacts"))
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("campaign"),
    )
    participants = models.ManyToManyField(
        Person, blank=True, related_name="engagements", verbose_name=_("who took part")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="engagements", verbose_name=_("organisations that took part")
    )
    ask = models.TextField(_("what we asked"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliance:engagement", kwargs={"pk": self.pk})


class FollowUp(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="follow_ups")
    what = models.CharField(_("what"), max_length=300)
    due = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )

    class Meta:
        ordering = ["done", "due", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.what
