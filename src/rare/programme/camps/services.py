"""Writes of the camps area: session materials and personal calendar feeds."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename

from rare.alliance.models import WorkingGroup
from rare.community.models import Person
from rare.core import audit
from rare.core.visibility import Visibility
from rare.programme.camps.queries import hash_token
from rare.programme.models import CalendarFeed, Material, Session


@transaction.atomic
def add_material(
    *,
    session: Session,
    actor,
    title: str,
    visibility: str,
    data: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    link: str = "",
    groups: Iterable[WorkingGroup] = (),
    request=None,
) -> Material:
    """Attach a file (already checked, see uploads.check_upload) or a link to a session.

    The uploader's person is named on the material, so a group or restricted file stays visible to
    whoever put it there; so are the session's speakers for a restricted one.
    """
    if bool(data) == bool(link):
        raise ValueError("A material is either a file or a link.")
    material = Material(session=session, title=title, visibility=visibility, link=link, uploaded_by=actor)
    if data:
        name = get_valid_filename(os.path.basename(filename)) or "material"
        material.file.save(name, ContentFile(data), save=False)
        material.size = len(data)
        material.content_type = content_type
    material.save()
    if visibility in {Visibility.GROUP, Visibility.RESTRICTED}:
        named = [p.pk for p in session.speakers.all()] if visibility == Visibility.RESTRICTED else []
        uploader = getattr(actor, "person", None) if actor is not None else None
        if uploader is not None:
            named.append(uploader.pk)
        material.allowed_people.set(set(named))
        if visibility == Visibility.GROUP:
            material.allowed_groups.set(list(groups))
    audit.record(
        "material.uploaded",
        actor=actor,
        request=request,
        target=material,
        visibility=visibility,
        kind="file" if data else "link",
        size=material.size,
    )
    return material


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_token(*, person: Person) -> str:
    """The secret of the person's calendar feed, made on first use."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is not None:
        return feed.token
    token = _new_token()
    CalendarFeed.objects.create(person=person, token=token, token_hash=hash_token(token))
    return token


@transaction.atomic
def reset_calendar_feed(*, person: Person, actor=None, request=None) -> str:
    """A new secret for the person's feed: the old address stops working at once."""
    token = _new_token()
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        person=person, defaults={"token": token, "token_hash": hash_token(token)}
    )
    if not created:
        feed.token = token
        feed.token_hash = hash_token(token)
        feed.save(update_fields=["token", "token_hash", "created_at"])
    audit.record("calendar.feed_reset", actor=actor, request=request, target=feed)
    return token
