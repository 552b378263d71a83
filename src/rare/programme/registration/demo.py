"""Demo data of registration: most participants registered for each camp, some with needs, and the
attendance of the camps that are over. Loading twice adds nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rare.community.models import Person
from rare.demo import data
from rare.programme.models import Attendance, Camp, Registration, Session

DEMO_PARTICIPANT = "participant@example.org"

# A few needs, given by some participants (written for the demo).
NEEDS = [
    {"dietary_needs": "Vegetarian."},
    {"access_needs": "I use a wheelchair: a step-free room and venue, please."},
    {"dietary_needs": "Gluten-free (coeliac).", "accommodation_needs": "A quiet room if possible."},
    {"travel_needs": "I need an invitation letter for my visa application."},
    {"dietary_needs": "No pork."},
    {"access_needs": "Captions or a written summary of the plenary sessions help me follow."},
]


@transaction.atomic
def load_demo_registration() -> int:
    """Register the demo participants for the demo camps and record attendance; returns rows added."""
    camps = list(Camp.objects.filter(programme__slug=data.PROGRAMME["slug"]).order_by("number"))
    if not camps or Registration.objects.filter(camp__in=camps).exists():
        return 0
    people = list(Person.objects.filter(slug__in=[slugify(m.name) for m in data.PARTICIPANTS]).select_related("user"))
    people.sort(key=lambda p: p.slug)
    registrations = []
    for camp in camps:
        for index, person in enumerate(people):
            demo_account = person.user is not None and person.user.email == DEMO_PARTICIPANT
            if not demo_account and (index + camp.number) % 6 == 0:
                continue  # most, not all, come to every camp
            needs = NEEDS[(index + camp.number) % len(NEEDS)] if (index + camp.number) % 3 == 0 else {}
            cancelled = not demo_account and (index * 7 + camp.number) % 13 == 0
            registrations.append(
                Registration(
                    camp=camp,
                    person=person,
                    status=Registration.Status.CANCELLED if cancelled else Registration.Status.REGISTERED,
                    arrives_on=camp.starts_on,
                    departs_on=camp.ends_on,
                    needs_accommodation=camp.format != Camp.Format.ONLINE and index % 5 != 0,
                    **needs,
                )
            )
    Registration.objects.bulk_create(registrations, ignore_conflicts=True)

    today = timezone.localdate()
    team = get_user_model().objects.filter(email=data.TEAM_ACCOUNT).first()
    past = {camp.pk for camp in camps if camp.ends_on < today}
    attending = {}
    for registration in registrations:
        if registration.camp_id in past and registration.status == Registration.Status.REGISTERED:
            attending.setdefault(registration.camp_id, []).append(registration.person)
    attendance = [
        Attendance(
            session=session,
            person=person,
            present=(session.pk + person.pk) % 9 != 0,  # now and then someone missed a session
            recorded_by=team,
        )
        for session in Session.objects.filter(camp_id__in=past)
        for person in attending.get(session.camp_id, [])
    ]
    Attendance.objects.bulk_create(attendance, ignore_conflicts=True)
    return len(registrations) + len(attendance)
