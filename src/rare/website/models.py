"""The public website: pages and news written by the programme team, and video testimonials.

A `Page` is a public page (what RARE is, why, how, ...) or a news post. Its text lives in
`PageVersion` rows, one per save and language, never changed afterwards: the newest version of a
language is what visitors read, the older ones are the page's history. Restoring an old version adds a
new version that copies it. Writes go through `rare.website.services`.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from rare.website.markup import render_markdown


class Page(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        NEWS = "news", _("news post")

    # The page shown at /about/; every other page lives at /about/<slug>/.
    INDEX_SLUG = "about"

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PAGE)
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("Order of the page in the sub-navigation (smallest first).")
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "position", "slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        indexes = [models.Index(fields=["kind", "-published_at"], name="website_page_kind_published")]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.NEWS:
            return reverse("website:news", kwargs={"slug": self.slug})
        if self.slug == self.INDEX_SLUG:
            return reverse("website:about")
        return reverse("website:page", kwargs={"slug": self.slug})


class VersionImmutable(Exception):
    """A page version is a record of what was published; it is never changed or deleted."""


class PageVersion(models.Model):
    """The text of a page in one language as one person saved it at one moment."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="versions", verbose_name=_("page"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    restored_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restored from"),
    )

    class Meta:
        ordering = ["page_id", "language", "-number"]
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        constraints = [
            models.UniqueConstraint(fields=["page", "language", "number"], name="website_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.page.slug} [{self.language}] v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise VersionImmutable("A saved page version cannot be changed; save a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise VersionImmutable("Page versions are kept as the page's history and cannot be deleted.")

    @cached_property
    def html(self) -> SafeString:
        return render_markdown(self.body)


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
validate_youtube_id = RegexValidator(
    YOUTUBE_ID, _("A YouTube video id has exactly 11 letters, digits, hyphens or underscores.")
)

# Preview images we drew ourselves, shipped as static files: nothing is fetched from YouTube.
PREVIEW_IMAGES = [
    ("rare/testimonials/preview-horizon.svg", _("Horizon")),
    ("rare/testimonials/preview-circles.svg", _("Circles")),
    ("rare/testimonials/preview-bridge.svg", _("Bridge")),
]
YOUTUBE_NOCOOKIE = "https://www.youtube-nocookie.com/embed/"


class TestimonialQuerySet(models.QuerySet):
    def published(self) -> TestimonialQuerySet:
        return self.filter(is_published=True)


class Testimonial(models.Model):
    """A short video in which someone tells what the programme meant to them."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role and organisation"), max_length=200, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    video_id = models.CharField(
        _("YouTube video id"),
        max_length=11,
        validators=[validate_youtube_id],
        help_text=_("The 11 characters after 'v=' in the video's address."),
    )
    preview = models.CharField(_("preview image"), max_length=120, choices=PREVIEW_IMAGES, default=PREVIEW_IMAGES[0][0])
    page = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonials",
        verbose_name=_("shown on page"),
        limit_choices_to={"kind": Page.Kind.PAGE},
    )
    on_home_page = models.BooleanField(_("shown on the home page"), default=True)
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("The person and the video are examples.")
    )

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("video testimonial")
        verbose_name_plural = _("video testimonials")

    def __str__(self) -> str:
        return self.name

    @property
    def preview_url(self) -> str:
        return static(self.preview)

    @property
    def embed_url(self) -> str:
        """The player, started at once: used only after the visitor clicks the preview."""
        return f"{YOUTUBE_NOCOOKIE}{self.video_id}?autoplay=1"

    @property
    def watch_url(self) -> str:
        """Where the link leads when the page runs without JavaScript."""
        return f"{YOUTUBE_NOCOOKIE}{self.video_id}"
