"""Writes of the resource library."""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename

from rare.alliance.models import WorkingGroup
from rare.core import audit
from rare.core.visibility import Visibility
from rare.learning.library.models import Resource
from rare.learning.models import Competency
from rare.programme.models import Session


def _apply(
    resource: Resource,
    *,
    actor,
    title: str,
    description: str,
    language: str,
    visibility: str,
    data: bytes | None,
    filename: str,
    content_type: str,
    url: str,
) -> None:
    resource.title = title
    resource.description = description
    resource.language = language.strip().lower()
    resource.visibility = visibility
    if (url or data) and resource.file:
        _remove_on_commit(resource.file.storage, resource.file.name)
        resource.file = None
    if url:
        resource.kind = Resource.Kind.LINK
        resource.url = url
        resource.size = 0
        resource.content_type = ""
    elif data:
        name = get_valid_filename(os.path.basename(filename)) or "resource"
        resource.file.save(name, ContentFile(data), save=False)
        resource.kind = Resource.Kind.FILE
        resource.url = ""
        resource.size = len(data)
        resource.content_type = content_type


def _remove_on_commit(storage, name: str) -> None:
    """Remove a replaced file once the change is committed (a rolled-back change keeps it)."""
    transaction.on_commit(lambda: storage.delete(name))


def _audience(resource: Resource, *, actor, groups: Iterable[WorkingGroup]) -> None:
    """The uploader stays named on a group or restricted resource, so it does not vanish from their view."""
    if resource.visibility in {Visibility.GROUP, Visibility.RESTRICTED}:
        person = getattr(actor, "person", None) if actor is not None else None
        if person is not None:
            resource.allowed_people.add(person)
    resource.allowed_groups.set(list(groups) if resource.visibility == Visibility.GROUP else [])


@transaction.atomic
def add_resource(
    *,
    actor,
    title: str,
    visibility: str,
    description: str = "",
    language: str = "",
    data: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    url: str = "",
    competencies: Iterable[Competency] = (),
    sessions: Iterable[Session] = (),
    groups: Iterable[WorkingGroup] = (),
    request=None,
) -> Resource:
    """Add a file (already checked with uploads.check_upload) or a link to the library."""
    if bool(data) == bool(url):
        raise ValueError("A resource is either a file or a link.")
    resource = Resource(added_by=actor)
    _apply(
        resource,
        actor=actor,
        title=title,
        description=description,
        language=language,
        visibility=visibility,
        data=data,
        filename=filename,
        content_type=content_type,
        url=url,
    )
    resource.save()
    resource.competencies.set(list(competencies))
    resource.sessions.set(list(sessions))
    _audience(resource, actor=actor, groups=groups)
    audit.record(
        "resource.added", actor=actor, request=request, target=resource, kind=resource.kind, visibility=visibility
    )
    return resource


@transaction.atomic
def change_resource(
    *,
    resource: Resource,
    actor,
    title: str,
    visibility: str,
    description: str = "",
    language: str = "",
    data: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    url: str = "",
    competencies: Iterable[Competency] = (),
    sessions: Iterable[Session] = (),
    groups: Iterable[WorkingGroup] = (),
    request=None,
) -> Resource:
    """Change a resource; a new file or link replaces the old one (the old file is removed)."""
    if data and url:
        raise ValueError("A resource is either a file or a link.")
    _apply(
        resource,
        actor=actor,
        title=title,
        description=description,
        language=language,
        visibility=visibility,
        data=data,
        filename=filename,
        content_type=content_type,
        url=url,
    )
    resource.save()
    resource.competencies.set(list(competencies))
    resource.sessions.set(list(sessions))
    _audience(resource, actor=actor, groups=groups)
    audit.record(
        "resource.changed", actor=actor, request=request, target=resource, kind=resource.kind, visibility=visibility
    )
    return resource
