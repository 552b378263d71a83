"""People and records the monitor tests share."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rare.programme.models import Membership
from tests.factories import AlertFactory, MembershipFactory, OrganisationFactory, PersonFactory, UserFactory


def member(role: str = Membership.Role.PARTICIPANT, *, country: str = "HU", organisation=None):
    """A user with a person, an organisation in `country` and one role."""
    organisation = organisation or OrganisationFactory(country=country)
    person = PersonFactory(user=UserFactory(), organisation=organisation, country=country)
    MembershipFactory(person=person, role=role)
    return person.user


def team():
    return member(Membership.Role.TEAM)


def duty_officer():
    return member(Membership.Role.DUTY_OFFICER)


def verified_alert(**fields):
    """An alert a duty officer has verified (public unless told otherwise)."""
    fields.setdefault("visibility", "public")
    return AlertFactory(status="verified", verified_at=timezone.now(), **fields)


def day(year: int, month: int = 1, date: int = 1) -> dt.date:
    return dt.date(year, month, date)


def counted(captured) -> int:
    """The queries a page made for its content: the session's own reads and writes (its idle-timeout
    refresh comes and goes with the clock) are left out."""
    return sum(1 for query in captured.captured_queries if "django_session" not in query["sql"])
