"""Joint statements: a versioned text that organisations sign on to before a deadline.

Until it is published a statement is seen as its visibility says (members by default); publishing
makes it public, with a page on the public site. Each signature names the version its organisation
signed, so a later edit never puts words in a signatory's mouth.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.community.models import Organisation, Person
from rare.core.visibility import VisibilityControlled, VisibleQuerySet


class StatementQuerySet(VisibleQuerySet):
    def own_audience(self, person_id: int | None, organisation_id: int | None) -> Q:
        """The author and the people of the statement's group always see it."""
        if person_id is None:
            return Q(pk__in=[])
        from rare.alliance.models import WorkingGroup

        members = WorkingGroup.members.through.objects.filter(workinggroup=OuterRef("group_id"), person_id=person_id)
        conveners = WorkingGroup.objects.filter(pk=OuterRef("group_id"), convener_id=person_id)
        return Q(created_by_id=person_id) | Q(Exists(members)) | Q(Exists(conveners))


class Statement(VisibilityControlled):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for signature")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    group = models.ForeignKey(
        "alliance.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("working group"),
    )
    deadline = models.DateTimeField(_("signatures until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements", verbose_name=_("author")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("joint statement")
        verbose_name_plural = _("joint statements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliance:statement", kwargs={"slug": self.slug})

    def get_public_url(self) -> str:
        return reverse("public_statement", kwargs={"slug": self.slug})

    def audit_repr(self) -> str:
        return f"statement {self.slug}"

    def open_for_signature(self, now=None) -> bool:
        return self.status == self.Status.OPEN and (now or timezone.now()) < self.deadline


class StatementVersion(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), help_text=_("Markdown is allowed."))
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "-number"]
        verbose_name = _("statement version")
        verbose_name_plural = _("statement versions")
        constraints = [models.UniqueConstraint(fields=["statement", "number"], name="statement_version_number")]

    def __str__(self) -> str:
        return f"{self.statement} v{self.number}"


class Signature(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="statement_signatures")
    signed_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.ForeignKey(StatementVersion, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["statement", "organisation"], name="signature_once_per_org")]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.statement}"
