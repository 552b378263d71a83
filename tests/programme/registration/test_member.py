import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from rare.core.models import AuditEntry
from rare.programme.models import Membership, Registration
from tests.factories import AttendanceFactory, CampFactory, RegistrationFactory, SessionFactory
from tests.programme.registration.conftest import member

NEEDS = {
    "travel_needs": "Train from Budapest, need help with the visa letter",
    "accommodation_needs": "Ground-floor room",
    "dietary_needs": "No peanuts: severe allergy",
    "access_needs": "Wheelchair user",
}


def form_data(world, **changes):
    data = {
        "arrives_on": world.camp.starts_on.isoformat(),
        "departs_on": world.camp.ends_on.isoformat(),
        "needs_accommodation": "on",
        **NEEDS,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_member_registers_with_needs_and_sees_them_again(world, client):
    client.force_login(world.participant)

    page = client.get(world.register_url)
    response = client.post(world.register_url, form_data(world), follow=True)

    registration = Registration.objects.get(camp=world.camp, person=world.participant.person)
    body = response.content.decode()
    assert "Only you and the programme team of this camp can read it." in page.content.decode()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.dietary_needs == "No peanuts: severe allergy"
    assert "You are registered for this camp." in body
    assert "No peanuts: severe allergy" in body
    assert "Cancel my registration" in body


def test_registration_is_audited_without_the_needs(world, client):
    client.force_login(world.participant)
    client.post(world.register_url, form_data(world))
    client.post(world.register_url, form_data(world, dietary_needs="Vegan"))
    client.post(f"{world.register_url}cancel/")

    entries = list(AuditEntry.objects.filter(action__startswith="registration.").order_by("at", "pk"))
    assert [e.action for e in entries] == ["registration.created", "registration.changed", "registration.cancelled"]
    assert entries[1].details["fields"] == ["dietary_needs"]
    trail = " ".join(str(e.details) for e in entries)
    for text in [*NEEDS.values(), "Vegan"]:
        assert text not in trail


def test_member_changes_and_cancels_then_registers_again(world, client):
    client.force_login(world.participant)
    client.post(world.register_url, form_data(world))
    client.post(world.register_url, form_data(world, needs_accommodation=None, access_needs=""))
    registration = Registration.objects.get(camp=world.camp)
    assert (registration.needs_accommodation, registration.access_needs) == (False, "")

    client.post(f"{world.register_url}cancel/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    client.post(world.register_url, form_data(world))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert Registration.objects.count() == 1


def test_departure_before_arrival_is_refused(world, client):
    client.force_login(world.participant)
    response = client.post(
        world.register_url,
        form_data(world, arrives_on=world.camp.ends_on.isoformat(), departs_on=world.camp.starts_on.isoformat()),
    )

    assert response.status_code == 200
    assert "The departure is before the arrival." in response.content.decode()
    assert Registration.objects.count() == 0


def test_needs_are_not_stored_in_clear_text(world, client):
    client.force_login(world.participant)
    client.post(world.register_url, form_data(world))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT travel_needs, accommodation_needs, dietary_needs, access_needs FROM programme_registration"
        )
        raw = cursor.fetchone()
    assert all(value for value in raw)
    for value in raw:
        for text in NEEDS.values():
            assert text not in value
        assert "peanut" not in value


def test_after_the_deadline_the_page_is_read_only(world, client):
    world.camp.registration_deadline = timezone.now() - dt.timedelta(hours=1)
    world.camp.save()
    registration = RegistrationFactory(camp=world.camp, person=world.participant.person, dietary_needs="Halal")
    client.force_login(world.participant)

    page = client.get(world.register_url).content.decode()
    changed = client.post(world.register_url, form_data(world, dietary_needs="Kosher"), follow=True)
    cancelled = client.post(f"{world.register_url}cancel/", follow=True)

    registration.refresh_from_db()
    assert "Registration closed on" in page
    assert "Halal" in page
    assert "<textarea" not in page
    assert "Cancel my registration" not in page
    assert "Registration for this camp has closed." in changed.content.decode()
    assert "Registration for this camp has closed." in cancelled.content.decode()
    assert (registration.dietary_needs, registration.status) == ("Halal", Registration.Status.REGISTERED)


def test_without_a_deadline_registration_closes_when_the_camp_starts(world, client):
    world.camp.starts_on = timezone.localdate()
    world.camp.save()
    client.force_login(world.participant)

    client.post(world.register_url, form_data(world))

    assert Registration.objects.count() == 0


def test_the_member_sees_their_own_attendance(world, client):
    registration = RegistrationFactory(camp=world.camp, person=world.participant.person)
    morning = SessionFactory(camp=world.camp, title="Strategic litigation")
    SessionFactory(
        camp=world.camp, title="Site visit", starts_at=morning.ends_at, ends_at=morning.ends_at + dt.timedelta(hours=1)
    )
    AttendanceFactory(session=morning, person=registration.person, present=True)
    client.force_login(world.participant)

    body = client.get(world.register_url).content.decode()

    assert "Your attendance" in body
    assert "Strategic litigation" in body
    assert "present" in body
    assert "not recorded" in body


def test_members_see_only_their_own_registration(world, client):
    RegistrationFactory(camp=world.camp, person=world.other.person, dietary_needs="Gluten-free")
    client.force_login(world.participant)

    body = client.get(world.register_url).content.decode()

    assert "Gluten-free" not in body
    assert "not registered" in body


def test_another_participant_gets_404_on_someone_elses_registration(world, client):
    registration = RegistrationFactory(camp=world.camp, person=world.other.person, dietary_needs="Gluten-free")
    client.force_login(world.participant)

    for url in (
        f"/team/camps/{world.camp.slug}/registrations/{registration.pk}/",
        world.list_url,
        f"{world.list_url}export.csv",
        f"/team/camps/{world.camp.slug}/attendance/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_duty_officer_who_is_not_on_the_team_does_not_see_needs(world, client):
    registration = RegistrationFactory(camp=world.camp, person=world.other.person)
    client.force_login(member(world.programme, Membership.Role.DUTY_OFFICER))

    assert client.get(f"{world.list_url}{registration.pk}/").status_code == 404
    assert client.get(world.list_url).status_code == 404


def test_the_team_of_another_programme_does_not_see_needs(world, client):
    registration = RegistrationFactory(camp=world.camp, person=world.other.person)
    elsewhere = CampFactory()
    client.force_login(member(elsewhere.programme, Membership.Role.TEAM))

    assert client.get(f"{world.list_url}{registration.pk}/").status_code == 404


def test_people_outside_the_camps_programme_cannot_register(world, client):
    outsider = member(CampFactory().programme)
    client.force_login(outsider)

    assert client.get(world.register_url).status_code == 404
    assert client.post(world.register_url, form_data(world)).status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_visitors_are_sent_to_sign_in(world, client):
    response = client.get(world.register_url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_camp_page_offers_members_the_registration(world, client):
    client.force_login(world.participant)

    body = client.get(f"/camps/{world.camp.slug}/").content.decode()

    assert world.register_url in body
