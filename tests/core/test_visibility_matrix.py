"""Every viewer against every visibility level, on every surface that shows records.

The table below is the contract of rare.core.visibility. Each cell is checked on the list page
(/groups/: the record is listed or not), the detail page (200 or 404, never 403), the queryset
(`visible_to`) and the predicate (`can_view`). Working groups are the records under test: they are
the first model that uses the mechanism.

The test records name an organisation and a working group ("allies") in their audience. Viewers
marked "named" are added to the records' allowed people; none of the viewers belongs to the records'
own groups (that rule of working groups is tested in tests/alliance).

When the API (/api/v1/) exists, its list and detail endpoints join this table as two more surfaces
with exactly the same expectations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from rare.alliance.models import WorkingGroup
from rare.community.models import Organisation
from rare.core.visibility import Visibility, can_view
from rare.programme.models import Membership, Programme
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role
LEVELS = (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.GROUP, Visibility.RESTRICTED)
Y, N = True, False

# viewer                                         public members group restricted
MATRIX: dict[str, tuple[bool, bool, bool, bool]] = {
    "visitor":                                   (Y, N, N, N),
    "signed_in_without_membership":              (Y, N, N, N),
    "disabled_participant":                      (Y, N, N, N),
    "named_person_without_membership":           (Y, N, N, N),
    "participant":                               (Y, Y, N, N),
    "alumni":                                    (Y, Y, N, N),
    "expert":                                    (Y, Y, N, N),
    "organisation_admin":                        (Y, Y, N, N),
    "programme_team":                            (Y, Y, Y, N),
    "programme_team_named":                      (Y, Y, Y, Y),
    "superuser_without_membership":              (Y, Y, Y, N),
    "duty_officer":                              (Y, Y, Y, Y),
    "participant_in_travel_mode":                (Y, Y, N, N),
    "duty_officer_in_travel_mode":               (Y, Y, Y, N),
    "named_person":                              (Y, Y, Y, Y),
    "named_person_in_travel_mode":               (Y, Y, Y, N),
    "person_of_named_organisation":              (Y, Y, Y, Y),
    "member_of_allowed_group":                   (Y, Y, Y, N),
    "person_of_organisation_in_allowed_group":   (Y, Y, Y, N),
}  # fmt: skip

CELLS = [
    pytest.param(viewer, level, row[i], id=f"{viewer}-{level}")
    for viewer, row in MATRIX.items()
    for i, level in enumerate(LEVELS)
]


@dataclass
class World:
    programme: Programme
    named_organisation: Organisation
    allies: WorkingGroup
    records: dict[str, WorkingGroup]


@pytest.fixture
def world(db) -> World:
    programme = ProgrammeFactory()
    named_organisation = OrganisationFactory(name="Named Organisation")
    # The allowed group is itself restricted and names nobody: only duty officers and its members see it.
    allies = WorkingGroupFactory(name="Allies", slug="allies", programme=programme, visibility=Visibility.RESTRICTED)
    records = {}
    for level in LEVELS:
        record = WorkingGroupFactory(
            name=f"Record {level}", slug=f"record-{level}", programme=programme, visibility=level
        )
        record.allowed_organisations.add(named_organisation)
        record.allowed_groups.add(allies)
        records[level] = record
    return World(programme, named_organisation, allies, records)


def _person(world: World, role: str | None = None, *, organisation=None, **user_fields):
    person = PersonFactory(user=UserFactory(**user_fields), organisation=organisation or OrganisationFactory())
    if role:
        MembershipFactory(programme=world.programme, person=person, role=role)
    return person


def _named(world: World, person):
    for record in world.records.values():
        record.allowed_people.add(person)
    return person


def _in_allies(world: World, person):
    world.allies.members.add(person)
    return person


def _organisation_in_allies(world: World, person):
    world.allies.organisations.add(person.organisation)
    return person


VIEWERS: dict[str, Callable[[World], object]] = {
    "visitor": lambda w: None,
    "signed_in_without_membership": lambda w: _person(w).user,
    "disabled_participant": lambda w: _person(w, Role.PARTICIPANT, is_active=False).user,
    "named_person_without_membership": lambda w: _named(w, _person(w)).user,
    "participant": lambda w: _person(w, Role.PARTICIPANT).user,
    "alumni": lambda w: _person(w, Role.ALUMNI).user,
    "expert": lambda w: _person(w, Role.EXPERT).user,
    "organisation_admin": lambda w: _person(w, Role.ORGANISATION_ADMIN).user,
    "programme_team": lambda w: _person(w, Role.TEAM).user,
    "programme_team_named": lambda w: _named(w, _person(w, Role.TEAM)).user,
    "superuser_without_membership": lambda w: UserFactory(is_superuser=True, is_staff=True),
    "duty_officer": lambda w: _person(w, Role.DUTY_OFFICER).user,
    "participant_in_travel_mode": lambda w: _person(w, Role.PARTICIPANT, travel_mode=True).user,
    "duty_officer_in_travel_mode": lambda w: _person(w, Role.DUTY_OFFICER, travel_mode=True).user,
    "named_person": lambda w: _named(w, _person(w, Role.PARTICIPANT)).user,
    "named_person_in_travel_mode": lambda w: _named(w, _person(w, Role.PARTICIPANT, travel_mode=True)).user,
    "person_of_named_organisation": lambda w: _person(w, Role.PARTICIPANT, organisation=w.named_organisation).user,
    "member_of_allowed_group": lambda w: _in_allies(w, _person(w, Role.PARTICIPANT)).user,
    "person_of_organisation_in_allowed_group": lambda w: _organisation_in_allies(w, _person(w, Role.PARTICIPANT)).user,
}


def test_the_table_covers_every_viewer_and_level():
    assert set(MATRIX) == set(VIEWERS)
    assert [level.value for level in LEVELS] == Visibility.values


@pytest.mark.parametrize(("viewer", "level", "expected"), CELLS)
def test_pages(client, world, viewer, level, expected):
    user = VIEWERS[viewer](world)
    if user is not None:
        client.force_login(user)
    record = world.records[level]

    list_page = client.get("/groups/")
    detail_page = client.get(f"/groups/{record.slug}/")

    assert list_page.status_code == 200
    listed = f'href="/groups/{record.slug}/"' in list_page.content.decode()
    assert (listed, detail_page.status_code) == (expected, 200 if expected else 404)


@pytest.mark.parametrize(("viewer", "level", "expected"), CELLS)
def test_visible_to_and_can_view_agree(world, viewer, level, expected):
    user = VIEWERS[viewer](world) or AnonymousUser()
    record = world.records[level]

    in_queryset = WorkingGroup.objects.visible_to(user).filter(pk=record.pk).exists()

    assert (in_queryset, can_view(user, record)) == (expected, expected)
