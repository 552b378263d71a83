"""The resource library: files and links, tagged by competency and session, each with its own visibility."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rare.core.crypto import EncryptedFileSystemStorage
from rare.core.visibility import VisibilityControlled


def _resource_path(instance: Resource, filename: str) -> str:
    return f"resources/{filename}"


class Resource(VisibilityControlled):
    """A reading, a toolkit, a template or a recording. Files are stored encrypted and served as downloads."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")

    title = models.CharField(_("title"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, db_index=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(
        _("file"), upload_to=_resource_path, storage=EncryptedFileSystemStorage(), blank=True, max_length=300
    )
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("A language code such as en, de, hu or fr.")
    )
    competencies = models.ManyToManyField(
        "learning.Competency", blank=True, related_name="resources", verbose_name=_("competencies")
    )
    sessions = models.ManyToManyField(
        "programme.Session", blank=True, related_name="resources", verbose_name=_("sessions")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def audit_repr(self) -> str:
        return f"resource #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("learning:resource", kwargs={"pk": self.pk})
