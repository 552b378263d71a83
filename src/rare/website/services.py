"""Writes of the website: every change to a page is a new version, one transaction each."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rare.website.models import Page, PageVersion

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def _check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}; expected one of {sorted(LANGUAGE_CODES)}.")


def _add_version(*, page: Page, language: str, title: str, body: str, author, restored_from=None) -> PageVersion:
    """Append a version; the caller holds the page row locked so that numbers never collide."""
    latest = page.versions.filter(language=language).aggregate(latest=Max("number"))["latest"] or 0
    return PageVersion.objects.create(
        page=page,
        language=language,
        number=latest + 1,
        title=title.strip(),
        body=body.replace("\r\n", "\n").strip(),
        author=author,
        restored_from=restored_from,
    )


def _locked(page: Page) -> Page:
    return Page.objects.select_for_update().get(pk=page.pk)


@transaction.atomic
def create_page(
    *,
    kind: str,
    slug: str,
    title: str,
    body: str,
    author,
    language: str = "en",
    position: int = 100,
    published_at: dt.datetime | None = None,
) -> Page:
    """A new page or news post with its first version."""
    _check_language(language)
    page = Page.objects.create(kind=kind, slug=slug, position=position, published_at=published_at or timezone.now())
    _add_version(page=page, language=language, title=title, body=body, author=author)
    return page


@transaction.atomic
def save_version(*, page: Page, language: str, title: str, body: str, author) -> tuple[PageVersion, bool]:
    """Save the text of `page` in `language` as a new version.

    Returns the version and whether it is new: saving the same title and text as the newest version
    adds nothing to the history and returns that version.
    """
    _check_language(language)
    page = _locked(page)
    current = page.versions.filter(language=language).order_by("-number").first()
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    if current is not None and (current.title, current.body) == (title, body):
        return current, False
    return _add_version(page=page, language=language, title=title, body=body, author=author), True


@transaction.atomic
def restore_version(*, version: PageVersion, author) -> PageVersion:
    """Make an earlier version current again by saving a copy of it as the newest version."""
    page = _locked(version.page)
    return _add_version(
        page=page,
        language=version.language,
        title=version.title,
        body=version.body,
        author=author,
        restored_from=version,
    )
