"""Working-group meetings: visible as the group is, scheduled by its members, who are told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rare.alliance.plan import services
from rare.alliance.plan.models import Meeting
from rare.core.models import AuditEntry, Notice
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory, UserFactory, WorkingGroupFactory

Role = Membership.Role


def _member(role=Role.PARTICIPANT):
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person, role=role)
    return person


@pytest.mark.django_db
def test_scheduling_a_meeting_audits_and_notifies_the_group(tasks_run_now):
    convener, member, outsider = _member(), _member(), _member()
    group = WorkingGroupFactory(convener=convener, members=[member])

    meeting = services.schedule_meeting(
        group=group, actor=convener.user, title="Kick-off", starts_at=timezone.now() + dt.timedelta(days=3)
    )

    notice = Notice.objects.get(kind="group.meeting")
    assert notice.target_id == meeting.pk
    assert sorted(notice.recipient_ids) == sorted([convener.user.pk, member.user.pk])
    assert outsider.user.pk not in notice.recipient_ids
    assert AuditEntry.objects.filter(action="meeting.scheduled").count() == 1


@pytest.mark.django_db
def test_member_schedules_a_meeting_and_writes_notes_through_the_pages(client):
    member = _member()
    group = WorkingGroupFactory(slug="civic-space", members=[member])
    client.force_login(member.user)

    response = client.post(
        "/groups/civic-space/meetings/new/",
        {"title": "Planning call", "starts_at": "2030-03-01T10:00", "place": "", "online_url": "", "agenda": "Plan"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/groups/civic-space/meetings/{meeting.pk}/"

    client.post(
        f"/groups/civic-space/meetings/{meeting.pk}/edit/",
        {"title": "Planning call", "starts_at": "2030-03-01T10:00", "agenda": "Plan", "notes": "We agreed a brief."},
    )
    assert "We agreed a brief." in client.get(f"/groups/civic-space/meetings/{meeting.pk}/").content.decode()
    assert group.meetings.get().notes == "We agreed a brief."


@pytest.mark.django_db
def test_someone_outside_the_group_may_read_but_not_schedule(client):
    WorkingGroupFactory(slug="open", visibility=Visibility.MEMBERS)
    client.force_login(_member().user)

    assert client.get("/groups/open/meetings/").status_code == 200
    assert client.get("/groups/open/meetings/new/").status_code == 404


@pytest.mark.django_db
def test_meetings_of_a_group_one_may_not_see_are_a_404(client):
    group = WorkingGroupFactory(slug="hidden", visibility=Visibility.RESTRICTED)
    meeting = MeetingFactory(group=group)
    client.force_login(_member().user)

    assert client.get("/groups/hidden/meetings/").status_code == 404
    assert client.get(f"/groups/hidden/meetings/{meeting.pk}/").status_code == 404
    assert list(Meeting.objects.visible_to(_member().user)) == []


@pytest.mark.django_db
def test_a_meeting_is_only_found_under_its_own_group(client):
    meeting = MeetingFactory(group=WorkingGroupFactory(slug="one"))
    WorkingGroupFactory(slug="two")
    client.force_login(_member().user)

    assert client.get(f"/groups/one/meetings/{meeting.pk}/").status_code == 200
    assert client.get(f"/groups/two/meetings/{meeting.pk}/").status_code == 404


@pytest.mark.django_db
def test_meeting_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    group = WorkingGroupFactory(slug="busy")
    MeetingFactory.create_batch(2, group=group)
    client.force_login(_member().user)
    with django_assert_max_num_queries(20) as few:
        client.get("/groups/busy/meetings/")
    MeetingFactory.create_batch(18, group=group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/groups/busy/meetings/").content.decode().count('class="card"') == 20
