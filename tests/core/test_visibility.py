"""The visibility mechanism beyond the matrix: audit of restricted views, 404s, query shape and cost."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from rare.alliance.models import WorkingGroup
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility, can_view, get_visible_or_404
from rare.programme.models import Membership
from tests.factories import MembershipFactory, PersonFactory, UserFactory, WorkingGroupFactory

Role = Membership.Role


def _member(role=Role.PARTICIPANT, **user_fields):
    person = PersonFactory(user=UserFactory(**user_fields))
    MembershipFactory(person=person, role=role)
    return person


@pytest.mark.django_db
def test_a_new_record_is_visible_to_members_only_by_default():
    assert WorkingGroup().visibility == Visibility.MEMBERS


@pytest.mark.django_db
def test_opening_a_restricted_record_writes_one_audit_entry(client):
    officer = _member(Role.DUTY_OFFICER).user
    group = WorkingGroupFactory(slug="safe-houses", visibility=Visibility.RESTRICTED)
    client.force_login(officer)

    response = client.get("/groups/safe-houses/")

    assert response.status_code == 200
    entries = list(AuditEntry.objects.filter(action="record.viewed").values_list("actor", "target_id", "outcome"))
    assert entries == [(officer.pk, str(group.pk), "ok")]


@pytest.mark.django_db
def test_the_audit_entry_does_not_name_the_restricted_record(client):
    client.force_login(_member(Role.DUTY_OFFICER).user)
    group = WorkingGroupFactory(name="Shelter for Ada", slug="shelter", visibility=Visibility.RESTRICTED)

    client.get("/groups/shelter/")

    entry = AuditEntry.objects.get(action="record.viewed")
    assert entry.target_repr == f"working group #{group.pk}"


@pytest.mark.django_db
def test_opening_other_records_or_being_refused_writes_no_view_entry(client):
    client.force_login(_member(Role.PARTICIPANT).user)
    WorkingGroupFactory(slug="open", visibility=Visibility.MEMBERS)
    WorkingGroupFactory(slug="closed", visibility=Visibility.RESTRICTED)

    assert client.get("/groups/open/").status_code == 200
    assert client.get("/groups/closed/").status_code == 404
    assert AuditEntry.objects.filter(action="record.viewed").count() == 0


@pytest.mark.django_db
def test_get_visible_or_404_answers_404_for_hidden_and_missing_records_alike():
    WorkingGroupFactory(slug="hidden", visibility=Visibility.GROUP)
    participant = _member().user

    for slug in ("hidden", "missing"):
        with pytest.raises(Http404):
            get_visible_or_404(WorkingGroup.objects, participant, slug=slug)


@pytest.mark.django_db
def test_get_visible_or_404_accepts_a_manager_or_a_queryset():
    group = WorkingGroupFactory(slug="public", visibility=Visibility.PUBLIC)
    visitor = AnonymousUser()

    assert get_visible_or_404(WorkingGroup.objects, visitor, slug="public") == group
    assert get_visible_or_404(WorkingGroup.objects.select_related("theme"), visitor, slug="public") == group


@pytest.mark.django_db
def test_a_record_naming_the_viewer_several_ways_is_listed_once_without_distinct():
    person = _member()
    allies = WorkingGroupFactory(members=[person], organisations=[person.organisation])
    group = WorkingGroupFactory(visibility=Visibility.GROUP)
    group.allowed_people.add(person)
    group.allowed_organisations.add(person.organisation)
    group.allowed_groups.add(allies)

    visible = WorkingGroup.objects.visible_to(person.user).filter(visibility=Visibility.GROUP)

    assert list(visible) == [group]
    assert "DISTINCT" not in str(visible.query).upper()


@pytest.mark.django_db
def test_visible_to_reads_roles_and_person_once_per_user(django_assert_num_queries):
    person = _member()
    WorkingGroupFactory.create_batch(3, visibility=Visibility.GROUP, members=[person])
    user = type(person.user).objects.get(pk=person.user.pk)

    with django_assert_num_queries(3):  # roles, person, the records
        first = list(WorkingGroup.objects.visible_to(user))
    with django_assert_num_queries(1):
        second = list(WorkingGroup.objects.visible_to(user))
    assert len(first) == len(second) == 3


@pytest.mark.django_db
def test_can_view_answers_from_roles_alone_where_the_audience_does_not_matter(django_assert_num_queries):
    officer = _member(Role.DUTY_OFFICER).user
    restricted = WorkingGroupFactory(visibility=Visibility.RESTRICTED)
    public = WorkingGroupFactory(visibility=Visibility.PUBLIC)
    officer = type(officer).objects.get(pk=officer.pk)

    with django_assert_num_queries(1):  # the roles
        assert can_view(officer, restricted) is True
    with django_assert_num_queries(0):
        assert can_view(AnonymousUser(), public) is True


@pytest.mark.django_db
def test_can_view_refuses_nothing_and_unsaved_records():
    officer = _member(Role.DUTY_OFFICER).user
    assert can_view(officer, None) is False
    assert can_view(officer, WorkingGroup(visibility=Visibility.PUBLIC)) is False


@pytest.mark.django_db
def test_view_permission_of_a_group_is_the_visibility_rule():
    named = _member()
    other = _member()
    group = WorkingGroupFactory(visibility=Visibility.RESTRICTED)
    group.allowed_people.add(named)

    assert (named.user.has_perm("alliance.view_group", group), other.user.has_perm("alliance.view_group", group)) == (
        True,
        False,
    )


@pytest.mark.django_db
def test_travel_mode_hides_a_restricted_record_the_moment_it_is_switched_on():
    person = _member()
    group = WorkingGroupFactory(visibility=Visibility.RESTRICTED)
    group.allowed_people.add(person)
    user = person.user
    assert list(WorkingGroup.objects.visible_to(user)) == [group]

    user.travel_mode = True
    user.save(update_fields=["travel_mode"])

    assert list(WorkingGroup.objects.visible_to(user)) == []
    assert can_view(user, group) is False
