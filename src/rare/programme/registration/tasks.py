"""Background work for registration: reminder e-mails, and the daily reminder before each deadline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from rare.community.models import Person
from rare.core.scheduling import periodic
from rare.programme.models import Camp, Registration

KINDS = ("registered", "deadline")


@task(queue_name="notifications")
def send_camp_reminder(*, camp_id: int, person_id: int, kind: str, language: str) -> bool:
    """E-mail one person about a camp: a reminder for the registered, or of the deadline for the others.

    Checked again when it runs: nothing is sent if the person cancelled (or registered, for the
    deadline reminder) in the meantime, or has no active account any more.
    """
    if kind not in KINDS:
        return False
    camp = Camp.objects.select_related("programme").filter(pk=camp_id).first()
    person = Person.objects.select_related("user").filter(pk=person_id, user__is_active=True).first()
    if camp is None or person is None or not person.user.email:
        return False
    registration = Registration.objects.filter(camp=camp, person=person).first()
    if kind == "registered" and (registration is None or registration.status != Registration.Status.REGISTERED):
        return False
    if kind == "deadline" and registration is not None:
        return False
    from rare.programme.registration.queries import closes_at

    with translation.override(language):
        context = {
            "person": person,
            "camp": camp,
            "registration": registration,
            "closes_at": closes_at(camp),
            "register_url": f"{settings.SITE_URL}{reverse('programme:register', kwargs={'slug': camp.slug})}",
        }
        subject = " ".join(render_to_string(f"programme/registration/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"programme/registration/email/{kind}_message.txt", context)
    EmailMessage(subject=subject, body=body, to=[person.user.email]).send()
    return True


@periodic("programme.registration_deadline_reminders", every=dt.timedelta(days=1))
@task()
def remind_before_registration_deadlines() -> int:
    """Remind participants who have not registered, a few days before each camp's deadline (daily)."""
    from rare.programme.registration.services import send_deadline_reminders

    return send_deadline_reminders()
