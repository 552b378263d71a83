"""Working-group pages: the list, a group's page, its own members, and the admin."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role


def _member(role=Role.PARTICIPANT, **user_fields):
    person = PersonFactory(user=UserFactory(**user_fields))
    MembershipFactory(person=person, role=role)
    return person


def _titles(response) -> list[str]:
    """The names of the groups listed on a page, in order."""
    return re.findall(r'<h2 class="card__title">\s*<a href="/groups/[^"]+/">([^<]+)</a>', response.content.decode())


@pytest.mark.django_db
def test_group_page_shows_purpose_convener_members_organisations_and_output(client):
    convener = _member()
    convener.name = "Ada Convener"
    convener.save()
    organisation = OrganisationFactory(name="Helsinki Committee", country="HU")
    member = PersonFactory(name="Bela Member", organisation=organisation)
    WorkingGroupFactory(
        name="Rule of law",
        slug="rule-of-law",
        theme=ThemeFactory(name="Rule of law"),
        convener=convener,
        purpose="Defend judicial independence together.",
        public_output="A joint brief with four asks.",
        members=[member],
        organisations=[organisation],
    )
    client.force_login(convener.user)

    response = client.get("/groups/rule-of-law/")

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "<h1>Rule of law</h1>",
        "Defend judicial independence together.",
        "A joint brief with four asks.",
        "Ada Convener",
        "Bela Member",
        "Helsinki Committee",
        "Hungary",
        "Visible to members",
    ):
        assert text in body


@pytest.mark.django_db
def test_a_visitor_sees_a_public_group_but_only_people_with_a_public_profile(client):
    shown = PersonFactory(name="Petra Public", public_profile=True)
    hidden = PersonFactory(name="Quentin Quiet", public_profile=False)
    WorkingGroupFactory(slug="civic-space", visibility=Visibility.PUBLIC, convener=hidden, members=[shown, hidden])

    body = client.get("/groups/civic-space/").content.decode()

    assert ("Petra Public" in body, "Quentin Quiet" in body) == (True, False)
    assert "1 more member is shown only to members of the programme." in body


@pytest.mark.django_db
def test_a_member_sees_everyone_in_a_group(client):
    hidden = PersonFactory(name="Quentin Quiet", public_profile=False)
    WorkingGroupFactory(slug="civic-space", visibility=Visibility.PUBLIC, convener=hidden, members=[hidden])
    client.force_login(_member().user)

    body = client.get("/groups/civic-space/").content.decode()

    assert body.count("Quentin Quiet") == 2  # convener and member
    assert "shown only to members" not in body


@pytest.mark.parametrize("how", ["member", "member_organisation", "convener"])
@pytest.mark.django_db
def test_a_groups_own_people_always_see_it_even_when_restricted(client, how):
    person = _member()
    group = WorkingGroupFactory(slug="own", visibility=Visibility.RESTRICTED)
    if how == "member":
        group.members.add(person)
    elif how == "member_organisation":
        group.organisations.add(person.organisation)
    else:
        group.convener = person
        group.save()
    client.force_login(person.user)

    assert client.get("/groups/own/").status_code == 200
    assert _titles(client.get("/groups/")) == [group.name]


@pytest.mark.django_db
def test_travel_mode_hides_ones_own_restricted_group_but_not_a_group_level_one(client):
    person = _member(travel_mode=True)
    WorkingGroupFactory(slug="restricted", visibility=Visibility.RESTRICTED, members=[person])
    WorkingGroupFactory(slug="group", visibility=Visibility.GROUP, members=[person])
    client.force_login(person.user)

    assert (client.get("/groups/restricted/").status_code, client.get("/groups/group/").status_code) == (404, 200)


@pytest.mark.django_db
def test_being_in_one_group_does_not_open_another_groups_space(client):
    person = _member()
    WorkingGroupFactory(slug="mine", visibility=Visibility.GROUP, members=[person])
    WorkingGroupFactory(slug="theirs", visibility=Visibility.GROUP, members=[PersonFactory()])
    client.force_login(person.user)

    assert (client.get("/groups/mine/").status_code, client.get("/groups/theirs/").status_code) == (200, 404)


@pytest.mark.django_db
def test_the_list_shows_visible_groups_in_name_order_with_counts(client):
    WorkingGroupFactory(name="Civic space", visibility=Visibility.PUBLIC, members=PersonFactory.create_batch(3))
    WorkingGroupFactory(name="Anti-SLAPP", visibility=Visibility.PUBLIC, organisations=[OrganisationFactory()])
    WorkingGroupFactory(name="Members only", visibility=Visibility.MEMBERS)

    response = client.get("/groups/")

    body = response.content.decode()
    assert _titles(response) == ["Anti-SLAPP", "Civic space"]
    assert "3 members" in body
    assert "1 organisation" in body
    assert 'aria-current="page">Working groups</a>' in body


@pytest.mark.django_db
def test_the_list_is_paginated(client):
    WorkingGroupFactory.create_batch(25, visibility=Visibility.PUBLIC)

    first, second = client.get("/groups/"), client.get("/groups/?page=2")

    assert (len(_titles(first)), len(_titles(second))) == (20, 5)
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=1" rel="prev"' in second.content.decode()
    assert client.get("/groups/?page=nonsense").status_code == 200


@pytest.mark.django_db
def test_a_visitor_is_told_that_members_see_more(client):
    WorkingGroupFactory(visibility=Visibility.MEMBERS)

    body = client.get("/groups/").content.decode()

    assert "Members see more after signing in." in body


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_groups(client, django_assert_max_num_queries):
    person = _member()
    allies = WorkingGroupFactory(members=[person], visibility=Visibility.RESTRICTED)

    def make(count):
        for group in WorkingGroupFactory.create_batch(count, visibility=Visibility.GROUP):
            group.allowed_groups.add(allies)
            group.members.add(PersonFactory())

    make(5)
    client.force_login(person.user)
    with django_assert_max_num_queries(10) as few:
        assert len(_titles(client.get("/groups/"))) == 6
    make(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_titles(client.get("/groups/"))) == 20


@pytest.mark.django_db
def test_group_page_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    client.force_login(_member().user)
    group = WorkingGroupFactory(slug="big")

    with django_assert_max_num_queries(12) as few:
        client.get("/groups/big/")
    group.members.add(*PersonFactory.create_batch(30))
    group.organisations.add(*OrganisationFactory.create_batch(10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/groups/big/").content.decode().count("Civic Organisation") == 40


@pytest.mark.django_db
def test_admin_lists_only_the_groups_the_staff_member_may_see(client):
    team = _member(Role.TEAM, is_staff=True, is_superuser=True)
    WorkingGroupFactory(name="Open group", visibility=Visibility.GROUP)
    WorkingGroupFactory(name="Witness protection", visibility=Visibility.RESTRICTED)
    client.force_login(team.user)

    body = client.get(f"/{settings.RARE_ADMIN_PATH}/alliance/workinggroup/").content.decode()

    assert ("Open group" in body, "Witness protection" in body) == (True, False)


@pytest.mark.django_db
def test_admin_opening_a_restricted_group_is_audited(client):
    officer = _member(Role.DUTY_OFFICER, is_staff=True, is_superuser=True)
    group = WorkingGroupFactory(name="Witness protection", visibility=Visibility.RESTRICTED)
    client.force_login(officer.user)

    response = client.get(f"/{settings.RARE_ADMIN_PATH}/alliance/workinggroup/{group.pk}/change/")

    assert response.status_code == 200
    assert list(AuditEntry.objects.filter(action="record.viewed").values_list("target_id", flat=True)) == [
        str(group.pk)
    ]
