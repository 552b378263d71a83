"""Writes of joint statements: draft, revise, open for signature, sign, publish, withdraw."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rare.alliance.decisions import notices
from rare.alliance.statements.models import Signature, Statement, StatementVersion
from rare.community.models import Person
from rare.core.audit import record
from rare.core.visibility import Visibility
from rare.programme.models import Membership

Status = Statement.Status


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "statement"
    slug, n = base, 2
    while Statement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_statement(
    *,
    author: Person | None,
    actor,
    title: str,
    text: str,
    deadline: dt.datetime,
    group=None,
    request: HttpRequest | None = None,
) -> Statement:
    """A draft statement with its first version; seen as its group is, or by all members."""
    statement = Statement.objects.create(
        title=title, slug=_unique_slug(title), group=group, deadline=deadline, created_by=author
    )
    if group is not None and group.visibility in (Visibility.GROUP, Visibility.RESTRICTED):
        statement.visibility = group.visibility
        statement.save(update_fields=["visibility"])
        statement.allowed_people.set(group.allowed_people.all())
        statement.allowed_organisations.set(group.allowed_organisations.all())
        statement.allowed_groups.set([group, *group.allowed_groups.all()])
    StatementVersion.objects.create(statement=statement, number=1, text=text, author=author)
    record("statement.created", actor=actor, request=request, target=statement, group=group.slug if group else None)
    return statement


@transaction.atomic
def revise(
    *, statement: Statement, author: Person | None, actor, text: str, request: HttpRequest | None = None
) -> StatementVersion:
    """A new version of the text; signatures stay tied to the version they signed."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status not in (Status.DRAFT, Status.OPEN):
        raise PermissionDenied(_("A published or withdrawn statement can no longer be changed."))
    latest = statement.versions.aggregate(n=Max("number"))["n"] or 0
    current = statement.versions.filter(number=latest).first()
    if current is not None and current.text == text:
        return current
    version = StatementVersion.objects.create(statement=statement, number=latest + 1, text=text, author=author)
    record(
        "statement.revised",
        actor=actor,
        request=request,
        target=statement,
        version=version.number,
        signed_earlier=statement.signatures.count(),
    )
    return version


@transaction.atomic
def open_for_signature(*, statement: Statement, actor, request: HttpRequest | None = None) -> Statement:
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != Status.DRAFT:
        raise PermissionDenied(_("Only a draft can be opened for signature."))
    if statement.deadline <= timezone.now():
        raise ValidationError(_("Set a deadline in the future first."))
    statement.status = Status.OPEN
    statement.save(update_fields=["status"])
    record("statement.opened", actor=actor, request=request, target=statement)
    recipients = Person.objects.filter(
        user__isnull=False, user__is_active=True, organisation__isnull=False, memberships__isnull=False
    ).values_list("user_id", flat=True)
    notices.send(
        kind="statement.opened",
        target=statement,
        recipients=sorted(set(recipients)),
        dedupe_key=f"statement.opened:{statement.pk}",
    )
    return statement


@transaction.atomic
def publish(*, statement: Statement, actor, request: HttpRequest | None = None) -> Statement:
    """Make the statement public, with its text and signatory organisations."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status not in (Status.DRAFT, Status.OPEN):
        raise PermissionDenied(_("This statement cannot be published."))
    statement.status = Status.PUBLISHED
    statement.visibility = Visibility.PUBLIC
    statement.published_at = timezone.now()
    statement.save(update_fields=["status", "visibility", "published_at"])
    record(
        "statement.published",
        actor=actor,
        request=request,
        target=statement,
        signatures=statement.signatures.count(),
    )
    signers = statement.signatures.exclude(signed_by__user__isnull=True).values_list("signed_by__user_id", flat=True)
    notices.send(
        kind="statement.published",
        target=statement,
        recipients=sorted(set(signers)),
        dedupe_key=f"statement.published:{statement.pk}",
    )
    return statement


@transaction.atomic
def withdraw(*, statement: Statement, actor, request: HttpRequest | None = None) -> Statement:
    """Take a statement back: it leaves the public site and goes back to the members."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == Status.WITHDRAWN:
        return statement
    was_public = statement.status == Status.PUBLISHED
    statement.status = Status.WITHDRAWN
    if statement.visibility == Visibility.PUBLIC:
        statement.visibility = Visibility.MEMBERS
    statement.save(update_fields=["status", "visibility"])
    record("statement.withdrawn", actor=actor, request=request, target=statement, was_public=was_public)
    return statement


def _check_signer(statement: Statement, person: Person, now: dt.datetime) -> None:
    if not statement.open_for_signature(now):
        raise PermissionDenied(_("This statement is not open for signature."))
    if person.organisation_id is None:
        raise PermissionDenied(_("Only people who belong to an organisation can sign for it."))
    if not Membership.objects.filter(person=person).exists():
        raise PermissionDenied(_("Only members of a programme can sign for their organisation."))


@transaction.atomic
def sign(
    *, statement: Statement, person: Person, actor, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> Signature:
    """Sign the current version for the person's organisation (once per organisation)."""
    now = now or timezone.now()
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check_signer(statement, person, now)
    version = statement.versions.order_by("-number").first()
    if version is None:
        raise ValidationError(_("This statement has no text yet."))
    if Signature.objects.filter(statement=statement, organisation_id=person.organisation_id).exists():
        raise ValidationError(_("Your organisation has already signed this statement."))
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                statement=statement,
                organisation_id=person.organisation_id,
                signed_by=person,
                version=version,
                signed_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("Your organisation has already signed this statement.")) from None
    record(
        "statement.signed",
        actor=actor,
        request=request,
        target=statement,
        organisation=person.organisation_id,
        version=version.number,
    )
    return signature


@transaction.atomic
def withdraw_signature(
    *, statement: Statement, person: Person, actor, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> None:
    """Take the organisation's signature back, before the deadline."""
    now = now or timezone.now()
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check_signer(statement, person, now)
    deleted, _rows = Signature.objects.filter(statement=statement, organisation_id=person.organisation_id).delete()
    if deleted:
        record(
            "statement.signature_withdrawn",
            actor=actor,
            request=request,
            target=statement,
            organisation=person.organisation_id,
        )
