"""Full-text search of the directory: one function, `search()`, whichever database runs underneath.

What is searched
    a person        name (weighted most), role, organisation name and expertise, then the biography
    an organisation name (weighted most), city and themes, then the description

Each person and organisation has one `SearchDocument` row holding those words, already folded (lower
case, accents removed, so "zsofia" finds "Zsófia" on both databases). The rows are kept current by the
signal handlers at the end of this module (saves and deletes of people, organisations and themes, and
changes of expertise and themes) and rebuilt whole by `rare reindex` after bulk writes.

How each database indexes them
    SQLite      an FTS5 table `community_searchdocument_fts` over the rows (external content, kept in step
                by triggers; see migration 0003); ranked by bm25 with the three parts weighted 10, 4, 1
    PostgreSQL  the `vector` column, a tsvector with weights A, B, C built with the 'simple' configuration
                (no stemming or stop words, so names in any language match) and a GIN index; ranked by
                ts_rank

Every word of the query must match, and the last letters may be missing: "migr" finds "migration".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from rare.community.models import Organisation, Person, SearchDocument, Theme

FTS_TABLE = "community_searchdocument_fts"
MAX_TERMS = 10
CONFIG = "simple"


# -- the query side --------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: the form both the index and the queries use."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def terms(text: str) -> list[str]:
    """The words of a query (letters and digits only, so nothing reaches the query syntax of either engine)."""
    return re.findall(r"[^\W_]+", fold(text))[:MAX_TERMS]


class _Fts5Rank(Func):
    """SQLite: how well the document with the given id matches (higher is better), NULL if it does not."""

    output_field = FloatField()
    arity = 1

    def __init__(self, document_id, match: str):
        super().__init__(document_id)
        self.match = match

    def as_sql(self, compiler, connection, **extra):
        document_sql, params = compiler.compile(self.source_expressions[0])
        # The table name is a constant and the query text travels as a parameter.
        sql = (
            f"(SELECT -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {document_sql})"
        )
        return sql, (self.match, *params)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """`queryset` (of Person or Organisation) narrowed to what matches `text`, best matches first.

    Each row gets `search_rank` (higher is better). A query without any word returns `queryset` unchanged.
    """
    words = terms(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config=CONFIG)
        found = queryset.filter(search_document__vector=query).annotate(
            search_rank=SearchRank(F("search_document__vector"), query)
        )
    else:
        match = " ".join(f'"{w}"*' for w in words)
        matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))  # noqa: S608, S611
        found = queryset.filter(search_document__id__in=matching).annotate(
            search_rank=_Fts5Rank(F("search_document__id"), match)
        )
    return found.order_by("-search_rank", "name", "pk")


# -- the index side --------------------------------------------------------------------------------


def _join(parts: Iterable[str]) -> str:
    return fold(" ".join(p for p in parts if p))


def person_words(person) -> dict[str, str]:
    """The three weighted parts of a person's document (the person's expertise and organisation loaded)."""
    organisation = person.organisation.name if person.organisation_id else ""
    return {
        "title": _join([person.name]),
        "keywords": _join([person.role, organisation, *(t.name for t in person.expertise.all())]),
        "body": _join([person.bio]),
    }


def organisation_words(organisation) -> dict[str, str]:
    return {
        "title": _join([organisation.name]),
        "keywords": _join([organisation.city, *(t.name for t in organisation.themes.all())]),
        "body": _join([organisation.description]),
    }


def _vectorise(documents: QuerySet) -> None:
    """PostgreSQL: (re)compute `vector` of the given documents from their words."""
    if connection.vendor != "postgresql":
        return
    documents.update(
        vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("keywords", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def index_people(ids: Iterable[int]) -> None:
    """Write the documents of these people (missing people are skipped)."""
    ids = set(ids)
    if not ids:
        return
    people = Person.objects.filter(pk__in=ids).select_related("organisation").prefetch_related("expertise")
    with transaction.atomic():
        for person in people:
            SearchDocument.objects.update_or_create(person=person, defaults=person_words(person))
        _vectorise(SearchDocument.objects.filter(person_id__in=ids))


def index_organisations(ids: Iterable[int]) -> None:
    ids = set(ids)
    if not ids:
        return
    with transaction.atomic():
        for organisation in Organisation.objects.filter(pk__in=ids).prefetch_related("themes"):
            SearchDocument.objects.update_or_create(
                organisation=organisation, defaults=organisation_words(organisation)
            )
        _vectorise(SearchDocument.objects.filter(organisation_id__in=ids))


@transaction.atomic
def rebuild_index() -> tuple[int, int]:
    """Drop every document and write them all again; returns (people, organisations) indexed."""
    SearchDocument.objects.all().delete()
    people = Person.objects.select_related("organisation").prefetch_related("expertise")
    organisations = Organisation.objects.prefetch_related("themes")
    documents = [SearchDocument(person=p, **person_words(p)) for p in people.iterator(chunk_size=500)]
    documents += [
        SearchDocument(organisation=o, **organisation_words(o)) for o in organisations.iterator(chunk_size=500)
    ]
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    _vectorise(SearchDocument.objects.all())
    return (
        sum(1 for d in documents if d.person_id is not None),
        sum(1 for d in documents if d.organisation_id is not None),
    )


# -- keeping it current ------------------------------------------------------------------------------


def _now(index, ids) -> None:
    """Index at once, inside the writer's transaction, so a search right after an edit sees it."""
    index(list(ids))


@receiver(post_save, sender=Person, dispatch_uid="community.search.person_saved")
def _person_saved(sender, instance: Person, raw=False, **kwargs) -> None:
    if not raw:
        _now(index_people, [instance.pk])


@receiver(post_save, sender=Organisation, dispatch_uid="community.search.organisation_saved")
def _organisation_saved(sender, instance: Organisation, raw=False, **kwargs) -> None:
    if raw:
        return
    _now(index_organisations, [instance.pk])
    # People carry their organisation's name in their own document.
    _now(index_people, Person.objects.filter(organisation=instance).values_list("pk", flat=True))


@receiver(pre_delete, sender=Organisation, dispatch_uid="community.search.organisation_deleting")
def _organisation_deleting(sender, instance: Organisation, **kwargs) -> None:
    instance._rare_people = list(Person.objects.filter(organisation=instance).values_list("pk", flat=True))


@receiver(post_delete, sender=Organisation, dispatch_uid="community.search.organisation_deleted")
def _organisation_deleted(sender, instance: Organisation, **kwargs) -> None:
    _now(index_people, getattr(instance, "_rare_people", []))


@receiver(post_save, sender=Theme, dispatch_uid="community.search.theme_saved")
def _theme_saved(sender, instance: Theme, created=False, raw=False, **kwargs) -> None:
    if raw or created:
        return
    _now(index_people, instance.experts.values_list("pk", flat=True))
    _now(index_organisations, instance.organisations.values_list("pk", flat=True))


@receiver(pre_delete, sender=Theme, dispatch_uid="community.search.theme_deleting")
def _theme_deleting(sender, instance: Theme, **kwargs) -> None:
    instance._rare_people = list(instance.experts.values_list("pk", flat=True))
    instance._rare_organisations = list(instance.organisations.values_list("pk", flat=True))


@receiver(post_delete, sender=Theme, dispatch_uid="community.search.theme_deleted")
def _theme_deleted(sender, instance: Theme, **kwargs) -> None:
    _now(index_people, getattr(instance, "_rare_people", []))
    _now(index_organisations, getattr(instance, "_rare_organisations", []))


def _m2m_handler(index, reverse_accessor: str):
    """Re-index after expertise (or themes) change, whichever side made the change.

    Forward (person.expertise.add(theme)) re-indexes the person; reverse (theme.experts.add(person)) the
    people in `pk_set`; a reverse clear() has no `pk_set`, so the people are noted just before it.
    """

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action == "pre_clear" and reverse:
            instance._rare_cleared = list(getattr(instance, reverse_accessor).values_list("pk", flat=True))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            _now(index, [instance.pk])
        elif action == "post_clear":
            _now(index, getattr(instance, "_rare_cleared", []))
        else:
            _now(index, pk_set or [])

    return handler


_expertise_changed = _m2m_handler(index_people, "experts")
_themes_changed = _m2m_handler(index_organisations, "organisations")
m2m_changed.connect(_expertise_changed, sender=Person.expertise.through, dispatch_uid="community.search.expertise")
m2m_changed.connect(_themes_changed, sender=Organisation.themes.through, dispatch_uid="community.search.themes")
