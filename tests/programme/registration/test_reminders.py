import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from rare.core.models import AuditEntry
from rare.core.scheduling import registered
from rare.programme.models import Membership, Registration
from rare.programme.registration.services import send_deadline_reminders
from rare.programme.registration.tasks import send_camp_reminder
from tests.factories import RegistrationFactory
from tests.programme.registration.conftest import member


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks, tasks_run_now):
    """Run what is enqueued on commit at once, with the tasks executing immediately."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def test_team_reminds_everyone_registered_once_a_day(world, client, run_on_commit):
    RegistrationFactory(camp=world.camp, person=world.participant.person)
    RegistrationFactory(camp=world.camp, person=world.other.person)
    RegistrationFactory(camp=world.camp, status=Registration.Status.CANCELLED, person=world.team.person)
    client.force_login(world.team)

    first = run_on_commit(client.post, f"{world.list_url}remind/", follow=True)
    second = run_on_commit(client.post, f"{world.list_url}remind/", follow=True)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.participant.email, world.other.email])
    assert "2 reminders are on their way." in first.content.decode()
    assert "Nobody was reminded" in second.content.decode()
    assert all(world.camp.title in message.body for message in mail.outbox)
    assert AuditEntry.objects.filter(action="registration.reminded").count() == 2


def test_reminders_are_written_in_each_recipients_language(world, client, run_on_commit):
    RegistrationFactory(camp=world.camp, person=world.participant.person)  # speaks hu, en
    RegistrationFactory(camp=world.camp, person=world.other.person)  # no language stored
    client.force_login(world.team)

    run_on_commit(client.post, f"{world.list_url}remind/")

    by_recipient = {message.to[0]: message for message in mail.outbox}
    dates = {}
    for language in ("en", "hu"):
        with translation.override(language):
            dates[language] = date_format(world.camp.starts_on, "DATE_FORMAT")
    # Dates are formatted by Django's own catalogues, so this holds before our texts are translated.
    assert dates["en"] in by_recipient[world.other.email].body
    assert dates["hu"] in by_recipient[world.participant.email].body
    assert dates["en"] not in by_recipient[world.participant.email].body


def test_bulk_reminder_goes_to_the_selected_people_only(world, client, run_on_commit):
    chosen = RegistrationFactory(camp=world.camp, person=world.participant.person)
    RegistrationFactory(camp=world.camp, person=world.other.person)
    client.force_login(world.team)

    run_on_commit(client.post, f"{world.list_url}bulk/", {"action": "remind", "ids": [chosen.pk]})

    assert [message.to for message in mail.outbox] == [[world.participant.email]]


def test_a_reminder_is_not_sent_to_someone_who_cancelled_meanwhile(world, tasks_run_now):
    RegistrationFactory(camp=world.camp, person=world.participant.person, status=Registration.Status.CANCELLED)

    send_camp_reminder.enqueue(
        camp_id=world.camp.pk, person_id=world.participant.person.pk, kind="registered", language="en"
    )

    assert mail.outbox == []


def test_deadline_reminder_goes_once_to_participants_who_have_not_registered(world, run_on_commit):
    now = timezone.now()
    world.camp.registration_deadline = now + dt.timedelta(days=2, hours=12)
    world.camp.save()
    RegistrationFactory(camp=world.camp, person=world.other.person)
    late = member(world.programme, name="Late Larry")
    RegistrationFactory(camp=world.camp, person=late.person, status=Registration.Status.CANCELLED)
    member(world.programme, Membership.Role.EXPERT)

    first = run_on_commit(send_deadline_reminders, now=now)
    again = run_on_commit(send_deadline_reminders, now=now + dt.timedelta(hours=1))

    assert (first, again) == (1, 0)
    assert [message.to for message in mail.outbox] == [[world.participant.email]]
    # Ana reads Hungarian first: the deadline reminder is written in Hungarian.
    assert "Hamarosan lezárul a regisztráció" in mail.outbox[0].body
    assert f"/camps/{world.camp.slug}/register/" in mail.outbox[0].body


def test_deadline_reminder_goes_out_on_one_daily_run_only(world, run_on_commit):
    now = timezone.now()
    world.camp.registration_deadline = now + dt.timedelta(days=10)
    world.camp.save()

    runs = [run_on_commit(send_deadline_reminders, now=now + dt.timedelta(days=day)) for day in range(10)]

    assert runs == [0, 0, 0, 0, 0, 0, 0, 2, 0, 0]  # participant and other have not registered
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.participant.email, world.other.email])


def test_the_deadline_reminder_is_a_daily_periodic_job(world, run_on_commit):
    world.camp.registration_deadline = timezone.now() + dt.timedelta(days=2, hours=12)
    world.camp.save()
    job = registered()["programme.registration_deadline_reminders"]

    run_on_commit(job.start)

    assert job.every == dt.timedelta(days=1)
    assert len(mail.outbox) == 2
