"""Reads of the community app: the members' directory and the public list of participants.

Each function returns a queryset that loads what its page shows in a constant number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language_info
from django_countries import countries

from rare.alliance.models import WorkingGroup
from rare.community.models import Contact, Institution, Organisation, Person, Theme
from rare.community.search import search as full_text
from rare.programme.models import Membership, Session

PUBLIC_ROLES = (Membership.Role.PARTICIPANT, Membership.Role.ALUMNI)


def _memberships() -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.select_related("programme").order_by("-created_at"))


def with_expertise(themes: Sequence[str]) -> Q:
    """People with any of these themes (slugs) as expertise: one EXISTS, so nobody is listed twice."""
    rows = Person.expertise.through.objects.filter(person=OuterRef("pk"), theme__slug__in=list(themes))
    return Q(Exists(rows))


def _with_themes(themes: Sequence[str]) -> Q:
    rows = Organisation.themes.through.objects.filter(organisation=OuterRef("pk"), theme__slug__in=list(themes))
    return Q(Exists(rows))


def speaks_any(languages: Sequence[str]) -> Q:
    """People whose comma-separated language list holds any of these codes (spaces and case ignored)."""
    speaks = Q(pk__in=[])
    for code in languages:
        speaks |= Q(languages__iregex=rf"(^|,)\s*{re.escape(code)}\s*(,|$)")
    return speaks


def people(
    *,
    search: str = "",
    country: str = "",
    themes: Sequence[str] = (),
    languages: Sequence[str] = (),
    size: str = "",
) -> QuerySet[Person]:
    """Everyone in the network, for members: full-text search (best matches first) and filters, combinable.

    `themes` and `languages` match any of the given values; `size` is the size of the person's organisation.
    """
    found = Person.objects.select_related("organisation").prefetch_related("expertise", _memberships())
    if country:
        found = found.filter(country=country)
    if themes:
        found = found.filter(with_expertise(themes))
    if languages:
        found = found.filter(speaks_any(languages))
    if size:
        found = found.filter(organisation__size=size)
    return full_text(found, search) if search else found.order_by("name", "pk")


def organisations(
    *, search: str = "", country: str = "", themes: Sequence[str] = (), size: str = ""
) -> QuerySet[Organisation]:
    people_count = Person.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    found = Organisation.objects.prefetch_related("themes").annotate(
        people_count=_count_of(people_count),
    )
    if country:
        found = found.filter(country=country)
    if themes:
        found = found.filter(_with_themes(themes))
    if size:
        found = found.filter(size=size)
    return full_text(found, search) if search else found.order_by("name", "pk")


def _count_of(rows: QuerySet):
    """A correlated COUNT(*) subquery (no GROUP BY on the outer query, so it composes with search ranks)."""
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def public_participants(*, search: str = "") -> QuerySet[Person]:
    """Participants and alumni who agreed to be shown on the public website, and nothing about anybody else.

    The search runs inside that set, so it can never surface anybody else.
    """
    in_a_cohort = Membership.objects.filter(person=OuterRef("pk"), role__in=PUBLIC_ROLES)
    found = (
        Person.objects.filter(public_profile=True)
        .filter(Exists(in_a_cohort))
        .select_related("organisation")
        .prefetch_related("expertise")
    )
    return full_text(found, search) if search else found.order_by("name", "pk")


def _groups_seen_by(viewer) -> Prefetch:
    return Prefetch("working_groups", queryset=WorkingGroup.objects.visible_to(viewer).order_by("name"))


def person_profile(slug: str, *, viewer) -> Person:
    """One person with their organisation, expertise, programmes, the working groups `viewer` may see,
    and the sessions they spoke at. Raises Person.DoesNotExist.
    """
    sessions = Session.objects.select_related("camp").order_by("starts_at")
    return (
        Person.objects.select_related("organisation")
        .prefetch_related(
            "expertise",
            _memberships(),
            _groups_seen_by(viewer),
            Prefetch("sessions_spoken", queryset=sessions),
        )
        .get(slug=slug)
    )


def organisation_profile(slug: str, *, viewer) -> Organisation:
    """One organisation with its themes, people and the working groups `viewer` may see.

    Raises Organisation.DoesNotExist.
    """
    return Organisation.objects.prefetch_related(
        "themes",
        Prefetch("people", queryset=Person.objects.order_by("name")),
        _groups_seen_by(viewer),
    ).get(slug=slug)


CHOICES_SECONDS = 120  # how long the filter choices of the directory lists are kept


def _kept(key: str, read) -> list[str]:
    """The codes `read()` returns, kept CHOICES_SECONDS under `key` for every viewer.

    The directory's filters offer the countries and languages present among everyone in it: reading
    them means reading every person (50,000 at europe scale, twice a page), while they change only when
    someone joins from a new country or adds a new language. The directory is the same for every member
    (no visibility applies to it), so one shared key is right; only codes are kept, their names are
    put in the language of each request. A new country or language is offered within two minutes."""
    key = f"{key}:{connection.settings_dict['NAME']}"  # the benchmark measures two databases against one Redis
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, CHOICES_SECONDS)
    return found


def _country_codes(queryset: QuerySet) -> list[str]:
    return list(queryset.exclude(country="").order_by().values_list("country", flat=True).distinct())


def _by_country_name(codes) -> list[tuple[str, str]]:
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


def countries_of(queryset: QuerySet) -> list[tuple[str, str]]:
    """(code, name) of the countries present in `queryset` (which has a `country` field), sorted by name."""
    return _by_country_name(_country_codes(queryset))


def person_countries() -> list[tuple[str, str]]:
    return _by_country_name(_kept("community:person-countries", lambda: _country_codes(Person.objects.all())))


def organisation_countries() -> list[tuple[str, str]]:
    return _by_country_name(
        _kept("community:organisation-countries", lambda: _country_codes(Organisation.objects.all()))
    )


def theme_choices() -> list[tuple[str, str]]:
    """(slug, name) of every theme, by name."""
    return list(Theme.objects.order_by("name").values_list("slug", "name"))


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of the languages people in the directory speak, by name."""

    def read() -> list[str]:
        codes = set()
        for value in Person.objects.exclude(languages="").order_by().values_list("languages", flat=True).distinct():
            codes.update(c.strip().lower() for c in value.split(",") if c.strip())
        return sorted(codes)

    codes = _kept("community:person-languages", read)
    return sorted(((code, str(language_name(code))) for code in codes), key=lambda pair: pair[1])


# -- find allies -------------------------------------------------------------------------------------


@dataclass
class AlliesIn:
    """The people and organisations found in one country."""

    code: str
    name: str
    people: list[Person] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.people) + len(self.organisations)


def allies(*, themes: Sequence[str], countries_wanted: Sequence[str]) -> list[AlliesIn]:
    """People with any of `themes` as expertise and organisations working on any of them, in any of
    `countries_wanted`, grouped by country (by name). An empty list of either means "any". Four queries.
    """
    if not themes and not countries_wanted:
        return []
    found_people = Person.objects.select_related("organisation").prefetch_related(
        Prefetch("expertise", queryset=Theme.objects.order_by("name"))
    )
    found_organisations = Organisation.objects.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name"))
    )
    if themes:
        found_people = found_people.filter(with_expertise(themes))
        found_organisations = found_organisations.filter(_with_themes(themes))
    if countries_wanted:
        found_people = found_people.filter(country__in=list(countries_wanted))
        found_organisations = found_organisations.filter(country__in=list(countries_wanted))
    else:
        found_people = found_people.exclude(country="")

    groups: dict[str, AlliesIn] = {}

    def group(code: str) -> AlliesIn:
        if code not in groups:
            groups[code] = AlliesIn(code=code, name=str(countries.name(code)))
        return groups[code]

    for person in found_people.order_by("name", "pk"):
        group(person.country.code).people.append(person)
    for organisation in found_organisations.order_by("name", "pk"):
        group(organisation.country.code).organisations.append(organisation)
    return sorted(groups.values(), key=lambda g: g.name)


# -- the map ----------------------------------------------------------------------------------------


def counts_by_country(*, with_people: bool) -> dict[str, dict[str, int]]:
    """{country code: {"organisations": n, "people": n}}; people are counted only if `with_people`."""
    counts: dict[str, dict[str, int]] = {}
    rows = Organisation.objects.exclude(country="").order_by().values("country").annotate(n=Count("pk"))
    for row in rows:
        counts.setdefault(row["country"], {"organisations": 0, "people": 0})["organisations"] = row["n"]
    if with_people:
        rows = Person.objects.exclude(country="").order_by().values("country").annotate(n=Count("pk"))
        for row in rows:
            counts.setdefault(row["country"], {"organisations": 0, "people": 0})["people"] = row["n"]
    return counts


# -- institutions -----------------------------------------------------------------------------------


def institutions(*, search: str = "", kind: str = "", country: str = "") -> QuerySet[Institution]:
    """Institutions with their parent body and number of contacts, by name; `search` looks in the name,
    acronym, description and the parent's name and acronym.
    """
    contacts = Contact.objects.filter(institution=OuterRef("pk")).order_by().values("institution")
    found = Institution.objects.select_related("parent").annotate(contact_count=_count_of(contacts))
    if kind:
        found = found.filter(kind=kind)
    if country:
        found = found.filter(country=country)
    for word in search.split()[:10]:
        found = found.filter(
            Q(name__icontains=word)
            | Q(acronym__icontains=word)
            | Q(description__icontains=word)
            | Q(parent__name__icontains=word)
            | Q(parent__acronym__icontains=word)
        )
    return found.order_by("name", "pk")


def institution_profile(slug: str) -> Institution:
    """One institution with its parent, its parts and its contacts. Raises Institution.DoesNotExist."""
    return (
        Institution.objects.select_related("parent")
        .prefetch_related(
            Prefetch("parts", queryset=Institution.objects.order_by("name")),
            Prefetch("contacts", queryset=Contact.objects.order_by("name")),
        )
        .get(slug=slug)
    )


def institution_countries() -> list[tuple[str, str]]:
    return countries_of(Institution.objects.all())


def countries_of_network() -> list[tuple[str, str]]:
    """(code, name) of the countries where there is a person or an organisation, by name (two queries, none
    while the choices are kept)."""
    codes = dict(person_countries())
    codes.update(organisation_countries())
    return sorted(codes.items(), key=lambda pair: pair[1])
