"""Targeted messages: the team writes to a segment, previews who gets it, sends it, and sees the emails go."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rare.core.models import Delivery
from rare.core.visibility import Visibility
from rare.programme.models import Membership, Registration
from rare.reports import queries
from rare.reports.models import Message, Recipient
from tests.factories import (
    CampFactory,
    MembershipFactory,
    MessageFactory,
    PersonFactory,
    ProgrammeFactory,
    RegistrationFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role


def member(programme, *, role=Role.PARTICIPANT, country="HU", languages="", name=None):
    user = UserFactory(name=name or "Member")
    person = PersonFactory(user=user, country=country, languages=languages, name=name or user.name)
    MembershipFactory(programme=programme, person=person, role=role)
    return user


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.fixture
def send(client, django_capture_on_commit_callbacks, tasks_run_now):
    """Post the send form, running what waits for the commit (the fan-out and its emails)."""

    def post(message, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("reports:message_send", kwargs={"pk": message.pk}),
                {"confirm": "on"} if data is None else data,
                **kwargs,
            )

    return post


@pytest.fixture
def team(programme, client):
    user = member(programme, role=Role.TEAM, name="Team Lead")
    client.force_login(user)
    return user


def test_the_segment_narrows_by_role_country_group_and_registration(programme):
    hu = member(programme, country="HU", name="Hanna")
    pl = member(programme, country="PL", name="Piotr")
    expert = member(programme, role=Role.EXPERT, country="PL", name="Edit")
    member(ProgrammeFactory(), country="PL", name="Other programme")
    camp = CampFactory(programme=programme)
    RegistrationFactory(camp=camp, person=pl.person)
    RegistrationFactory(camp=camp, person=hu.person, status=Registration.Status.CANCELLED)
    group = WorkingGroupFactory(programme=programme, visibility=Visibility.MEMBERS)
    group.members.add(hu.person, expert.person)

    def names(**segment):
        message = MessageFactory(programme=programme, **segment)
        return sorted(queries.segment_users(message).values_list("person__name", flat=True))

    assert names() == ["Edit", "Hanna", "Piotr"]
    assert names(roles=[Role.PARTICIPANT]) == ["Hanna", "Piotr"]
    assert names(countries=["PL"]) == ["Edit", "Piotr"]
    assert names(working_group=group) == ["Edit", "Hanna"]
    assert names(camp=camp) == ["Hanna", "Piotr"]
    assert names(camp=camp, registration_statuses=[Registration.Status.REGISTERED]) == ["Piotr"]
    assert names(roles=[Role.PARTICIPANT], countries=["PL"], camp=camp) == ["Piotr"]


def test_team_previews_then_sends_and_each_member_gets_one_email_in_their_language(programme, team, client, send):
    german = member(programme, country="DE", languages="de", name="Greta")
    english = member(programme, country="PL", languages="en", name="Piotr")
    member(programme, role=Role.EXPERT, name="Edit")

    response = client.post(
        reverse("reports:message_new"),
        {
            "programme": programme.pk,
            "subject": "Visa letters for Brussels",
            "body": "Ask us for an invitation letter by Friday.",
            "roles": [Role.PARTICIPANT],
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == message.get_absolute_url()
    preview = client.get(message.get_absolute_url()).content.decode()
    assert "2 members would receive it now." in preview
    assert "Greta" in preview and "Piotr" in preview and "Edit" not in preview
    assert mail.outbox == []

    refused = send(message, {}, follow=True)
    assert "Tick the box" in refused.content.decode()
    assert mail.outbox == []

    send(message)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.recipient_count == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([german.email, english.email])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[german.email].subject == "Visa letters for Brussels"
    assert by_address[german.email].body.startswith("Guten Tag Greta,")
    assert by_address[english.email].body.startswith("Hello Piotr")
    assert "Ask us for an invitation letter by Friday." in by_address[english.email].body
    status = client.get(message.get_absolute_url()).content.decode()
    assert "Emails sent" in status
    assert queries.delivery_status(message)["sent"] == 2

    send(message)
    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 2


def test_nobody_is_messaged_about_a_group_they_may_not_see(programme, team, send):
    """A restricted group's member in travel mode does not see the group, so is not reached through it."""
    group = WorkingGroupFactory(programme=programme, visibility=Visibility.RESTRICTED)
    group.allowed_people.add(team.person)
    travelling = member(programme, name="Travelling")
    at_home = member(programme, name="At home")
    group.members.add(travelling.person, at_home.person)
    travelling.travel_mode = True
    travelling.save()
    message = MessageFactory(programme=programme, working_group=group)

    send(message)

    assert list(Recipient.objects.values_list("user__person__name", flat=True)) == ["At home"]
    assert [m.to[0] for m in mail.outbox] == [at_home.email]


def test_only_the_team_writes_and_only_recipients_read(programme, client, send):
    sender = member(programme, role=Role.TEAM)
    reader = member(programme, country="PL")
    outsider = member(programme, country="HU")
    message = MessageFactory(programme=programme, countries=["PL"], created_by=sender)
    client.force_login(outsider)
    assert client.get(reverse("reports:messages")).status_code == 404
    assert client.get(reverse("reports:message_new")).status_code == 404
    assert send(message).status_code == 404
    assert client.get(message.get_absolute_url()).status_code == 404

    client.force_login(sender)
    send(message)

    client.force_login(reader)
    page = client.get(message.get_absolute_url())
    assert page.status_code == 200
    assert "Please bring your passport" in page.content.decode()
    assert "Emails sent" not in page.content.decode()
    client.force_login(outsider)
    assert client.get(message.get_absolute_url()).status_code == 404


def test_a_segment_without_anyone_is_not_sent(programme, team, send):
    message = MessageFactory(programme=programme, countries=["IS"])
    response = send(message, follow=True)
    assert "Nobody is in this segment" in response.content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.DRAFT


def test_the_camp_must_belong_to_the_programme(programme, team, client):
    other_camp = CampFactory()
    response = client.post(
        reverse("reports:message_new"),
        {"programme": programme.pk, "subject": "S", "body": "B", "camp": other_camp.pk},
    )
    assert response.status_code == 200
    assert "This camp belongs to another programme." in response.content.decode()
    assert not Message.objects.exists()


def test_the_message_list_reads_a_constant_number_of_queries(programme, team, client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse("reports:messages")).status_code == 200
        return len(run)

    MessageFactory.create_batch(3, programme=programme, created_by=team)
    few = count_queries()
    MessageFactory.create_batch(27, programme=programme, created_by=team)
    assert count_queries() == few
