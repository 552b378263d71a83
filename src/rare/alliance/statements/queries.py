"""Reads of joint statements: visibility applied, signatures fetched in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rare.alliance.statements.models import Signature, Statement, StatementVersion

STATEMENTS_PER_PAGE = 20


def _signature_count() -> Coalesce:
    rows = (
        Signature.objects.filter(statement=OuterRef("pk"))
        .order_by()
        .values("statement")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _latest_version_number() -> Subquery:
    rows = StatementVersion.objects.filter(statement=OuterRef("pk")).order_by("-number").values("number")[:1]
    return Subquery(rows, output_field=IntegerField())


def visible_statements(user, *, status: str | None = None) -> QuerySet[Statement]:
    """The statements `user` may see, with their signature count and version, in one query."""
    statements = (
        Statement.objects.visible_to(user)
        .select_related("group")
        .annotate(signature_count=_signature_count(), version_number=_latest_version_number())
        .order_by("-created_at", "-pk")
    )
    if status in Statement.Status.values:
        statements = statements.filter(status=status)
    return statements


def signatures_of(statement: Statement) -> QuerySet[Signature]:
    return (
        Signature.objects.filter(statement=statement)
        .select_related("organisation", "signed_by", "version")
        .order_by("organisation__name", "pk")
    )


def statement_for_detail() -> QuerySet[Statement]:
    return (
        Statement.objects.select_related("group", "created_by")
        .annotate(signature_count=_signature_count())
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=StatementVersion.objects.select_related("author").order_by("-number"),
                to_attr="all_versions",
            )
        )
    )


def published() -> QuerySet[Statement]:
    """What the public site shows: published statements only, whatever else exists."""
    return statement_for_detail().filter(status=Statement.Status.PUBLISHED)


def current_version(statement: Statement) -> StatementVersion | None:
    versions = getattr(statement, "all_versions", None)
    if versions is not None:
        return versions[0] if versions else None
    return statement.versions.order_by("-number").first()


def signature_of(statement: Statement, organisation_id: int | None) -> Signature | None:
    if organisation_id is None:
        return None
    signatures = Signature.objects.filter(statement=statement, organisation_id=organisation_id)
    return signatures.select_related("version").first()
