"""Reads of the community app: the members' directory and the public list of participants.

Each function returns a queryset that loads what its page shows in a constant number of queries.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django_countries import countries

from rare.alliance.models import WorkingGroup
from rare.community.models import Organisation, Person
from rare.programme.models import Membership, Session

PUBLIC_ROLES = (Membership.Role.PARTICIPANT, Membership.Role.ALUMNI)


def _memberships() -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.select_related("programme").order_by("-created_at"))


def people(*, search: str = "", country: str = "") -> QuerySet[Person]:
    """Everyone in the network, for members: by name (or organisation name) and country."""
    found = Person.objects.select_related("organisation").prefetch_related("expertise", _memberships())
    if search:
        found = found.filter(Q(name__icontains=search) | Q(organisation__name__icontains=search))
    if country:
        found = found.filter(country=country)
    return found.order_by("name", "pk")


def organisations(*, search: str = "", country: str = "") -> QuerySet[Organisation]:
    found = Organisation.objects.prefetch_related("themes").annotate(people_count=Count("people"))
    if search:
        found = found.filter(name__icontains=search)
    if country:
        found = found.filter(country=country)
    return found.order_by("name", "pk")


def public_participants() -> QuerySet[Person]:
    """Participants and alumni who agreed to be shown on the public website, and nothing about anybody else."""
    in_a_cohort = Membership.objects.filter(person=OuterRef("pk"), role__in=PUBLIC_ROLES)
    return (
        Person.objects.filter(public_profile=True)
        .filter(Exists(in_a_cohort))
        .select_related("organisation")
        .prefetch_related("expertise")
        .order_by("name", "pk")
    )


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


def countries_of(queryset: QuerySet) -> list[tuple[str, str]]:
    """(code, name) of the countries present in `queryset` (which has a `country` field), sorted by name."""
    codes = queryset.exclude(country="").order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


def person_countries() -> list[tuple[str, str]]:
    return countries_of(Person.objects.all())


def organisation_countries() -> list[tuple[str, str]]:
    return countries_of(Organisation.objects.all())
