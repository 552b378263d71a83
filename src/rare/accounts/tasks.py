"""Background work for accounts: the e-mails people get about their account."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from rare.accounts.models import Invitation
from rare.core.scheduling import periodic


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(*, to: str, template: str, context: dict) -> None:
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{template}_message.txt", context)
    EmailMessage(subject=subject, body=body, to=[to]).send()


@task(queue_name="notifications")
def send_invitation_email(*, invitation_id: int, sealed_token: str, language: str) -> None:
    """E-mail the single-use link. The token travels through the task queue encrypted."""
    from rare.accounts.services import INVITATION_CRYPTO_CONTEXT
    from rare.core.crypto import decrypt_text

    invitation = Invitation.objects.select_related("invited_by", "programme").filter(pk=invitation_id).first()
    if invitation is None or invitation.is_used or invitation.is_expired:
        return
    token = decrypt_text(sealed_token, context=INVITATION_CRYPTO_CONTEXT)
    with translation.override(language):
        _send(
            to=invitation.email,
            template="invitation",
            context={
                "invitation": invitation,
                "accept_url": _absolute(reverse("accounts:accept_invitation", kwargs={"token": token})),
                "days": settings.RARE_INVITATION_DAYS,
            },
        )


@task(queue_name="notifications")
def send_new_device_notice(*, user_id: int, device: str, network: str, signed_in_at: str, language: str) -> None:
    """Tell a member their account was signed in from a device it has not used lately."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(language):
        _send(
            to=user.email,
            template="new_device",
            context={
                "user": user,
                "device": device,
                "network": network,
                "signed_in_at": dt.datetime.fromisoformat(signed_in_at),
                "sessions_url": _absolute(reverse("accounts:sessions")),
                "security_url": _absolute(reverse("accounts:security")),
            },
        )


@periodic("accounts.purge_stale_sessions", every=dt.timedelta(hours=6))
@task()
def purge_stale_sessions() -> int:
    """Forget the rows of sessions that timed out without signing out (run daily)."""
    from rare.accounts.services import purge_stale_sessions as purge

    return purge()
