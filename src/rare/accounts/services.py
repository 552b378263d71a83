"""Writes that matter for accounts: invitations, sessions, known devices, disabling an account.

Every function takes keyword arguments only and runs in one transaction; audit entries are written in
the same transaction and e-mails are enqueued as background tasks once it commits.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from rare.accounts.models import Invitation, KnownDevice, MemberSession, TOTPStep, hash_token
from rare.core import audit
from rare.core.audit import record

if TYPE_CHECKING:
    from rare.accounts.models import User
    from rare.community.models import Person
    from rare.programme.models import Programme

INVITATION_CRYPTO_CONTEXT = "accounts.invitation-token"

# Keys this app keeps in the session data.
AUTH_AT = "rare_auth_at"  # when the member signed in (epoch seconds): absolute timeout
SEEN_AT = "rare_seen_at"  # last request, at most a minute old: idle timeout
RECORD_KEY = "rare_session_hash"  # hash of the key the MemberSession row knows this session by
TOUCH_EVERY = 60  # seconds between updates of "last seen"


class InvitationError(Exception):
    """An invitation link that cannot be used; `reason` is 'unknown', 'expired' or 'used'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Clients ----------------------------------------------------------------------------------


def describe_client(request: HttpRequest) -> tuple[str, str]:
    """The coarse device ("Firefox on Linux") and network (a /24 or /48) of a request."""
    device = audit.client_family(request.META.get("HTTP_USER_AGENT", ""))
    network = audit.network_of(audit.client_ip(request))
    return device, network


def device_fingerprint(*, user_id: int, device: str, network: str) -> str:
    """A keyed hash of (account, device, network): enough to recognise a device, useless to anyone else."""
    return salted_hmac("rare.accounts.known-device", f"{user_id}|{device}|{network}", algorithm="sha256").hexdigest()


# --- Invitations ------------------------------------------------------------------------------


def create_invitation(
    *,
    invited_by: User,
    email: str,
    name: str = "",
    person: Person | None = None,
    programme: Programme | None = None,
    role: str = "",
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its single-use link. Returns the invitation and the raw token.

    The token exists only in the e-mail (and in the return value); the database keeps its hash, and
    the queued e-mail task holds it encrypted.
    """
    from rare.accounts.tasks import send_invitation_email
    from rare.core.crypto import encrypt_text

    token = secrets.token_urlsafe(32)
    email = get_user_model().objects.normalize_email(email).lower()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            name=name,
            person=person,
            programme=programme,
            role=role if programme else "",
            invited_by=invited_by,
            token_hash=hash_token(token),
            expires_at=timezone.now() + dt.timedelta(days=settings.RARE_INVITATION_DAYS),
        )
        record(
            "invitation.created",
            actor=invited_by,
            request=request,
            target=invitation,
            programme=programme.pk if programme else None,
            role=invitation.role,
        )
        sealed = encrypt_text(token, context=INVITATION_CRYPTO_CONTEXT)
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(
            lambda: send_invitation_email.enqueue(invitation_id=invitation.pk, sealed_token=sealed, language=language)
        )
    return invitation, token


def check_invitation(invitation: Invitation | None) -> Invitation:
    """The invitation if it can still be accepted, else InvitationError with the reason."""
    if invitation is None:
        raise InvitationError("unknown")
    if invitation.is_used:
        raise InvitationError("used")
    if invitation.is_expired:
        raise InvitationError("expired")
    return invitation


def accept_invitation(*, token: str, name: str, password: str, request: HttpRequest | None = None) -> User:
    """Use an invitation: create (or link) the account, its person and role, and mark the link used.

    Raises InvitationError when the link is unknown, expired or already used (checked again under a
    row lock, so two simultaneous submissions cannot both succeed).
    """
    from rare.community.models import Person
    from rare.programme.models import Membership

    User = get_user_model()
    with transaction.atomic():
        invitation = check_invitation(
            Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        )
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(email=invitation.email)
        user.name = name
        user.is_active = True
        user.set_password(password)
        user.save()
        EmailAddress.objects.filter(user=user).exclude(email__iexact=invitation.email).update(primary=False)
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=invitation.email, defaults={"primary": True, "verified": True}
        )
        if not (address.primary and address.verified):
            address.primary = address.verified = True
            address.save(update_fields=["primary", "verified"])

        person = Person.objects.filter(user=user).first()
        if person is None:
            person = invitation.person if invitation.person and invitation.person.user_id is None else None
            if person is None:
                person = Person.objects.create(name=name, slug=_unique_person_slug(name))
            person.user = user
            person.save(update_fields=["user"])
        if invitation.programme_id and invitation.role:
            Membership.objects.get_or_create(programme_id=invitation.programme_id, person=person, role=invitation.role)

        invitation.used_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["used_at", "user"])
        record("invitation.accepted", actor=user, request=request, target=invitation)
    return user


def _unique_person_slug(name: str) -> str:
    from rare.community.models import Person

    base = slugify(name)[:180] or "member"
    slug = base
    while Person.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


# --- Sessions ---------------------------------------------------------------------------------


def _session_store(session_key: str) -> SessionBase:
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)


def start_session(*, request: HttpRequest, user: User) -> MemberSession | None:
    """Record a fresh sign-in: the session row, the timeout clocks and the device check.

    Called from the `user_logged_in` signal, right after Django gave the session a new key.
    """
    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.session_key:
        session.save()
    key = session.session_key
    now = time.time()
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    session[RECORD_KEY] = hash_token(key)
    device, network = describe_client(request)
    with transaction.atomic():
        member_session, _ = MemberSession.objects.update_or_create(
            key_hash=hash_token(key),
            defaults={
                "user": user,
                "session_key": key,
                "created_at": timezone.now(),
                "last_seen_at": timezone.now(),
                "device": device,
                "network": network,
            },
        )
        _forget_stale_sessions(user=user)
        is_new = _note_device(user=user, device=device, network=network)
    if is_new:
        from rare.accounts.tasks import send_new_device_notice

        language = translation.get_language() or settings.LANGUAGE_CODE
        signed_in_at = timezone.now().isoformat()
        transaction.on_commit(
            lambda: send_new_device_notice.enqueue(
                user_id=user.pk, device=device, network=network, signed_in_at=signed_in_at, language=language
            )
        )
    return member_session


def _note_device(*, user: User, device: str, network: str) -> bool:
    """Remember the device; True when it was not seen in the last RARE_NEW_DEVICE_DAYS (and is not the first)."""
    now = timezone.now()
    horizon = now - dt.timedelta(days=settings.RARE_NEW_DEVICE_DAYS)
    fingerprint = device_fingerprint(user_id=user.pk, device=device, network=network)
    known = KnownDevice.objects.filter(user=user)
    # "First ever" counts rows of any age: a dormant account signed in from somewhere new is news.
    first_ever = not known.exists()
    seen_lately = known.filter(fingerprint=fingerprint, last_seen_at__gte=horizon).update(last_seen_at=now)
    known.filter(last_seen_at__lt=horizon).delete()
    if seen_lately:
        return False
    try:
        with transaction.atomic():
            KnownDevice.objects.create(user=user, fingerprint=fingerprint, first_seen_at=now, last_seen_at=now)
    except IntegrityError:  # the same device signing in twice at once
        return False
    return not first_ever


def _forget_stale_sessions(*, user: User) -> None:
    """Drop rows of sessions that timed out without signing out (their store entries expire by themselves)."""
    MemberSession.objects.filter(user=user).filter(stale_sessions_q()).delete()


def stale_sessions_q(now: dt.datetime | None = None) -> Q:
    """Sessions past their idle or absolute timeout."""
    now = now or timezone.now()
    return Q(last_seen_at__lt=now - settings.SESSION_IDLE_TIMEOUT) | Q(
        created_at__lt=now - settings.SESSION_ABSOLUTE_TIMEOUT
    )


def purge_stale_sessions() -> int:
    """Forget the rows of every timed-out session (a periodic job)."""
    count, _ = MemberSession.objects.filter(stale_sessions_q()).delete()
    return count


def touch_session(*, request: HttpRequest) -> bool:
    """Keep the session row current. Returns False when the row is gone (the session was ended)."""
    session = request.session
    key = session.session_key
    if not key:
        return True
    known_hash = session.get(RECORD_KEY)
    current_hash = hash_token(key)
    now = timezone.now()
    if known_hash is None:
        # A session from before sessions were recorded: start recording it.
        start_session(request=request, user=request.user)
        return True
    updates = {"last_seen_at": now}
    if known_hash != current_hash:
        # Django gave the session a new key (e.g. after a password change): follow it.
        updates.update(key_hash=current_hash, session_key=key)
        session[RECORD_KEY] = current_hash
    return MemberSession.objects.filter(key_hash=known_hash, user=request.user).update(**updates) == 1


def end_session(*, user: User, member_session: MemberSession, request: HttpRequest | None = None, actor=None) -> None:
    """Sign one of the member's sessions out, wherever it is (`actor`: who did it, if not the member)."""
    with transaction.atomic():
        _end(member_session)
        record(
            "session.revoked",
            actor=actor if actor is not None else user,
            request=request,
            target=user,
            device=member_session.device,
        )


def end_other_sessions(*, user: User, request: HttpRequest | None = None, reason: str = "") -> int:
    """End every session of the account except the one making the request. Returns how many ended."""
    keep = None
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        keep = hash_token(request.session.session_key)
    with transaction.atomic():
        others = MemberSession.objects.filter(user=user)
        if keep:
            others = others.exclude(key_hash=keep).exclude(key_hash=request.session.get(RECORD_KEY, ""))
        count = 0
        for member_session in others.select_for_update():
            _end(member_session)
            count += 1
        if count:
            record("session.revoked_all", actor=user, request=request, ended=count, reason=reason, kept_current=True)
    return count


def end_all_sessions(*, user: User, request: HttpRequest | None = None, actor=None, reason: str = "") -> int:
    """End every session of the account, the current one included. Returns how many ended."""
    with transaction.atomic():
        count = 0
        for member_session in MemberSession.objects.filter(user=user).select_for_update():
            _end(member_session)
            count += 1
        record(
            "session.revoked_all",
            actor=actor if actor is not None else user,
            request=request,
            target=user,
            ended=count,
            reason=reason,
        )
    return count


def _end(member_session: MemberSession) -> None:
    if member_session.session_key:
        _session_store(member_session.session_key).delete()
    member_session.delete()


# --- Second factors ---------------------------------------------------------------------------


def claim_totp_step(*, authenticator, code: str) -> bool:
    """Accept an authenticator-app code that allauth found valid only if its time step is new.

    Returns False for a code of a step this authenticator was already used with (a replay).
    """
    from allauth.core.internal.cryptokit import compare_user_code
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    secret = decrypt(authenticator.data["secret"])
    steps = [
        c
        for c in yield_hotp_counters_from_time()
        if compare_user_code(actual=code, expected=format_hotp_value(hotp_value(secret, c)))
    ]
    if not steps:
        return False
    step = max(steps)
    with transaction.atomic():
        updated = TOTPStep.objects.filter(authenticator=authenticator, counter__lt=step).update(counter=step)
        if updated:
            return True
        if TOTPStep.objects.filter(authenticator=authenticator).exists():
            return False
        try:
            with transaction.atomic():
                TOTPStep.objects.create(authenticator=authenticator, counter=step)
        except IntegrityError:  # the same code submitted twice at once
            return False
    return True


# --- Accounts ---------------------------------------------------------------------------------


def disable_account(*, user: User, actor=None, request: HttpRequest | None = None) -> None:
    """Switch an account off. Saving is_active=False ends its sessions at once (see signals)."""
    with transaction.atomic():
        user.is_active = False
        user._rare_disabled_by = actor  # read by the post_save handler for the audit entry
        user._rare_request = request
        user.save(update_fields=["is_active"])


def account_was_disabled(*, user: User) -> None:
    """What follows a switch of is_active to False, however it was saved (a service, the admin, a shell)."""
    actor = getattr(user, "_rare_disabled_by", None)
    request = getattr(user, "_rare_request", None)
    with transaction.atomic():
        for member_session in MemberSession.objects.filter(user=user).select_for_update():
            _end(member_session)
        record("account.disabled", actor=actor, request=request, target=user)
