"""Background work for calls: the e-mails applicants get."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from rare.programme.models import Application


def _send(*, to: str, template: str, context: dict) -> None:
    subject = " ".join(render_to_string(f"programme/calls/email/{template}_subject.txt", context).split())
    body = render_to_string(f"programme/calls/email/{template}_message.txt", context)
    EmailMessage(subject=subject, body=body, to=[to]).send()


@task(queue_name="notifications")
def send_application_confirmation(*, application_id: int, language: str) -> None:
    """Tell the applicant their application arrived, in the language they applied in."""
    application = Application.objects.select_related("call").filter(pk=application_id).first()
    if application is None:
        return
    with translation.override(language):
        _send(
            to=application.email,
            template="confirmation",
            context={
                "application": application,
                "call": application.call,
                "call_url": f"{settings.SITE_URL}{reverse('calls:detail', kwargs={'slug': application.call.slug})}",
            },
        )


@task(queue_name="notifications")
def send_not_selected_notice(*, application_id: int) -> None:
    """Tell an applicant, politely, that they were not selected."""
    application = Application.objects.select_related("call").filter(pk=application_id).first()
    if application is None or application.status != Application.Status.REJECTED:
        return
    with translation.override(application.language or settings.LANGUAGE_CODE):
        _send(
            to=application.email,
            template="not_selected",
            context={"application": application, "call": application.call},
        )
