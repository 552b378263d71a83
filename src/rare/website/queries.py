"""Reads of the website, each in a constant number of queries.

A page is read in the visitor's language: the newest version in that language, else the newest in
English, else the newest in any language. `Page.version` holds the version chosen and
`Page.is_fallback` says whether it is in another language than the one asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from rare.alliance.models import WorkingGroup
from rare.community.models import Person
from rare.programme.models import Membership, Programme
from rare.website.models import Page, PageVersion, Testimonial

FALLBACK_LANGUAGE = "en"
NEWS_PER_PAGE = 10


def _best_version_id(language: str) -> Subquery:
    preference = Case(
        When(language=language, then=Value(0)),
        When(language=FALLBACK_LANGUAGE, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    versions = (
        PageVersion.objects.filter(page=OuterRef("pk"))
        .annotate(preference=preference)
        .order_by("preference", "-number")
        .values("pk")[:1]
    )
    return Subquery(versions)


def _readable(queryset: QuerySet[Page], language: str) -> QuerySet[Page]:
    """Pages that have text to show, each annotated with the id of the version to show."""
    return queryset.annotate(version_id=_best_version_id(language)).filter(version_id__isnull=False)


def _attach_versions(pages: Iterable[Page], language: str) -> list[Page]:
    """Fetch the chosen versions of `pages` in one query and hang them on the pages."""
    pages = list(pages)
    versions = PageVersion.objects.in_bulk([page.version_id for page in pages])
    for page in pages:
        page.version = versions[page.version_id]
        page.is_fallback = page.version.language != language
    return pages


def sub_navigation(language: str) -> list[Page]:
    """The public pages in their order, with their titles in `language`."""
    pages = _readable(Page.objects.filter(kind=Page.Kind.PAGE), language).order_by("position", "slug")
    return _attach_versions(pages, language)


def readable_page(*, kind: str, slug: str, language: str) -> Page:
    """One page or news post with the version to show. Raises Page.DoesNotExist."""
    page = _readable(Page.objects.filter(kind=kind), language).get(slug=slug)
    return _attach_versions([page], language)[0]


def news(language: str, page_number: int | str | None) -> PaginatorPage:
    """One page of news posts, newest first."""
    posts = _readable(Page.objects.filter(kind=Page.Kind.NEWS), language).order_by("-published_at", "-pk")
    result = Paginator(posts, NEWS_PER_PAGE).get_page(page_number)
    result.object_list = _attach_versions(result.object_list, language)
    return result


def latest_news(language: str, limit: int = 3) -> list[Page]:
    posts = _readable(Page.objects.filter(kind=Page.Kind.NEWS), language).order_by("-published_at", "-pk")
    return _attach_versions(posts[:limit], language)


def testimonials_for_home() -> QuerySet[Testimonial]:
    return Testimonial.objects.published().filter(on_home_page=True)


def testimonials_of(page: Page) -> QuerySet[Testimonial]:
    return Testimonial.objects.published().filter(page=page)


def public_participants(programme: Programme | None) -> QuerySet[Person]:
    """Participants and alumni of `programme` who agreed to be shown on the public website."""
    if programme is None:
        return Person.objects.none()
    roles = [Membership.Role.PARTICIPANT, Membership.Role.ALUMNI]
    membership = Membership.objects.filter(person=OuterRef("pk"), programme=programme, role__in=roles)
    return (
        Person.objects.filter(Exists(membership), public_profile=True).select_related("organisation").order_by("name")
    )


def working_group_outputs(programme: Programme | None, user) -> QuerySet[WorkingGroup]:
    """The working groups of `programme` that `user` may see and that have published something."""
    if programme is None:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.visible_to(user).filter(programme=programme).exclude(public_output="").order_by("name")


# --- For the programme team -------------------------------------------------------------------


def pages_for_team(language: str) -> tuple[list[Page], list[Page]]:
    """Every page and news post, with the languages it has text in: (pages, news posts)."""
    languages = [code for code, _name in settings.LANGUAGES]
    queryset = _readable(Page.objects.all(), language).annotate(
        **{f"has_{code}": Exists(PageVersion.objects.filter(page=OuterRef("pk"), language=code)) for code in languages}
    )
    pages = _attach_versions(queryset.order_by("kind", "position", "-published_at", "slug"), language)
    for page in pages:
        page.languages = [code for code in languages if getattr(page, f"has_{code}")]
    return (
        [page for page in pages if page.kind == Page.Kind.PAGE],
        [page for page in pages if page.kind == Page.Kind.NEWS],
    )


def history(page: Page) -> dict[str, list[PageVersion]]:
    """Every version of `page`, newest first, by language in the order of settings.LANGUAGES."""
    by_language: dict[str, list[PageVersion]] = {code: [] for code, _name in settings.LANGUAGES}
    versions = page.versions.select_related("author", "restored_from").order_by("language", "-number")
    for version in versions:
        by_language.setdefault(version.language, []).append(version)
    return {code: versions for code, versions in by_language.items() if versions}


def current_version(page: Page, language: str) -> PageVersion | None:
    """The newest version of `page` in exactly `language`, or None."""
    return page.versions.filter(language=language).order_by("-number").first()


def version_of(page: Page, pk: int) -> PageVersion:
    """One version of `page`. Raises PageVersion.DoesNotExist."""
    return page.versions.select_related("author", "restored_from").get(pk=pk)
