"""Every admin of a visibility-controlled model applies visibility as the pages do (rare.core.admin)."""

import pytest
from django.urls import reverse

from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    AlertFactory,
    MeasureFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkingGroupFactory,
)

ADMINS = [
    ("solidarity_alert", AlertFactory),
    ("monitor_measure", MeasureFactory),
    ("alliance_workinggroup", WorkingGroupFactory),
]


@pytest.fixture
def team_member(client, db):
    user = UserFactory(is_staff=True)
    MembershipFactory(person=PersonFactory(user=user), role=Membership.Role.TEAM)
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(("admin_name", "factory"), ADMINS)
def test_the_audience_picker_never_names_a_group_the_team_member_may_not_see(client, team_member, admin_name, factory):
    WorkingGroupFactory(name="Open circle", visibility=Visibility.MEMBERS)
    WorkingGroupFactory(name="Hidden circle", visibility=Visibility.RESTRICTED)

    page = client.get(reverse(f"admin:{admin_name}_add")).content.decode()

    assert "Open circle" in page
    assert "Hidden circle" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("admin_name", "factory"), ADMINS)
def test_restricted_records_are_absent_from_lists_and_missing_when_opened(client, team_member, admin_name, factory):
    hidden = factory(visibility=Visibility.RESTRICTED)

    listing = client.get(reverse(f"admin:{admin_name}_changelist"))
    opened = client.get(reverse(f"admin:{admin_name}_change", args=[hidden.pk]))

    assert str(hidden) not in listing.content.decode()
    assert opened.status_code == 302  # the admin sends a missing object back to the list
    assert AuditEntry.objects.filter(action="record.viewed").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("admin_name", "factory"), ADMINS)
def test_opening_a_restricted_record_one_is_named_on_is_audited(client, team_member, admin_name, factory):
    named = factory(visibility=Visibility.RESTRICTED)
    named.allowed_people.add(team_member.person)

    assert client.get(reverse(f"admin:{admin_name}_change", args=[named.pk])).status_code == 200
    entry = AuditEntry.objects.get(action="record.viewed")
    assert (entry.actor_id, entry.target_id) == (team_member.pk, str(named.pk))
