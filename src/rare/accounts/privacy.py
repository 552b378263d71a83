"""Personal data: a download of everything about a person, erasure that reaches history, public-profile consent.

Two registries let every app take part without this module knowing about it:

- `register_exporter(name, fn)`: `fn(user)` returns a dict or a list (anything `DjangoJSONEncoder` can write)
  that appears under `name` in the person's download. An app registers its exporter in its
  `AppConfig.ready()` (or at import of a module loaded there), e.g. alerts, pledges, assessments.
- `register_eraser(name, fn)`: `fn(user)` removes or pseudonymises that app's data about the user. Erasers
  run inside the erasure transaction, before the account itself is pseudonymised, so they can still read
  `user.email` and `user.person`. They must not delete rows other people rely on (a pledge, a decision):
  they blank what identifies the person and keep the rest.

The exporters and erasers for the data of the first apps (accounts, community, programme, alliance, allauth's
MFA, the audit trail, the task queue and the admin log) are registered at the bottom of this module, where
anyone adding a field to those models can find them.

What erasure keeps, on purpose: the person's rows in memberships, working groups and session speaker lists
(so that a cohort still counts its participants and an agenda still shows that a session had a speaker),
now pointing to a "Former member" with nothing else about them; and the audit trail, whose rows never held
identifying text about their actor (an FK to the account plus a pseudonymous label), so they keep the action
and now point to the pseudonymised account.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.sessions.models import Session as DbSession
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rare.core.audit import record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rare.accounts.models import User
    from rare.community.models import Person

Exporter = Callable[["User"], dict | list | None]
Eraser = Callable[["User"], None]

EXPORT_FORMAT = "rare-personal-data"
EXPORT_VERSION = 1
# What an erased account and its person are called from then on. Stored data, so not translated here;
# templates may translate it when they show it.
FORMER_MEMBER = "Former member"
ERASED_EMAIL_DOMAIN = "invalid"  # reserved by RFC 2606: mail to it can never be delivered

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def _register(registry: dict, kind: str, name: str, fn: Callable | None):
    def add(function: Callable) -> Callable:
        known = registry.get(name)
        if known is not None and known is not function:
            raise ValueError(f"An {kind} named {name!r} is already registered.")
        registry[name] = function
        return function

    return add if fn is None else add(fn)


def register_exporter(name: str, fn: Exporter | None = None):
    """Add `fn(user) -> dict | list` to the download under `name`. Usable as a decorator."""
    if name == "export":
        raise ValueError("'export' is reserved for the description of the download itself.")
    return _register(_exporters, "exporter", name, fn)


def register_eraser(name: str, fn: Eraser | None = None):
    """Run `fn(user)` when the account is erased, before the account itself is pseudonymised."""
    return _register(_erasers, "eraser", name, fn)


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def erasers() -> dict[str, Eraser]:
    return dict(_erasers)


# --- Download -------------------------------------------------------------------------------------


def export_personal_data(*, user: User, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything the platform holds about `user`, one section per registered exporter. Audited."""
    data: dict[str, Any] = {
        "export": {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "generated_at": timezone.now(),
            "sections": list(_exporters),
        }
    }
    for name, exporter in _exporters.items():
        data[name] = exporter(user)
    record("privacy.export", actor=user, request=request, sections=len(_exporters))
    return data


def export_filename(*, at: datetime | None = None) -> str:
    at = at or timezone.now()
    return f"rare-my-data-{timezone.localtime(at):%Y-%m-%d}.json"


# --- Erasure --------------------------------------------------------------------------------------


def _token() -> str:
    return secrets.token_hex(8)


def erased_email() -> str:
    return f"erased-{_token()}@{ERASED_EMAIL_DOMAIN}"


def erase_account(*, user: User, request: HttpRequest | None = None) -> User:
    """Pseudonymise `user` everywhere and close the account, in one transaction.

    The account row stays (history points at it) but holds nothing that identifies the person: a random
    placeholder email, the name "Former member", no usable password, inactive, no roles, no second factors,
    no sessions. The registered erasers of other apps run first, while the account and its person can
    still be read; then the data of the first apps is pseudonymised (see `_erase_*` below).
    Returns the pseudonymised user.
    """
    from rare.accounts.models import User

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for eraser in _erasers.values():
            eraser(user)
        person = _erase_person(user)
        _erase_allauth(user)
        _erase_invitations(user, person)
        _erase_admin_log(user, person)
        _erase_tasks(user)
        _end_sessions(user, request)

        user.email = erased_email()
        user.name = FORMER_MEMBER
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.travel_mode = False
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        # The audit trail already names the account only by its pseudonym (rare.core.audit), so its
        # entries stay as they are and now point at this pseudonymised account.
        record("account.erased", actor=user, request=request)
    return user


def _erase_person(user: User) -> Person | None:
    """The person keeps their place in memberships, groups and agendas, as a "Former member" with no details."""
    from rare.community.models import Person

    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None:
        return None
    person.user = None
    person.name = FORMER_MEMBER
    person.slug = f"former-member-{_token()}"
    person.pronouns = ""
    person.role = ""
    person.languages = ""
    person.bio = ""
    person.country = ""
    # Where someone worked identifies them as much as their name does in a small network.
    person.organisation = None
    person.public_profile = False
    person.save()
    person.expertise.clear()
    return person


def _erase_allauth(user: User) -> None:
    """Second factors and the email addresses allauth keeps next to the account."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()


def _erase_invitations(user: User, person: Person | None) -> None:
    """Invitations sent to the person name them: keep the row (who invited whom, when), drop the name.

    A pending one expires now, so that its link cannot bring the account back.
    """
    from rare.accounts.models import Invitation

    mine = Q(user=user) | Q(email__iexact=user.email)
    if person is not None:
        mine |= Q(person=person)
    now = timezone.now()
    for invitation in Invitation.objects.filter(mine):
        invitation.email = erased_email()
        invitation.name = ""
        if invitation.used_at is None and invitation.expires_at > now:
            invitation.expires_at = now
        invitation.save(update_fields=["email", "name", "expires_at"])


def _erase_admin_log(user: User, person: Person | None) -> None:
    """The admin's change log names the object it changed; rename the person's and the account's entries."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    targets = Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    if person is not None:
        targets |= Q(content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk))
    LogEntry.objects.filter(targets).update(object_repr=FORMER_MEMBER)


def _erase_tasks(user: User) -> None:
    """Queued or finished background tasks that carry the email address (a notice to send, say)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: nothing stored in our database
        return
    mentions = Q(args_kwargs__icontains=user.email) | Q(return_value__icontains=user.email)
    DBTaskResult.objects.filter(mentions).delete()


def _end_sessions(user: User, request: HttpRequest | None) -> None:
    """End every session of the account, in whichever session store is in use, and forget its devices."""
    from rare.accounts import services as account_services
    from rare.accounts.models import KnownDevice

    account_services.end_all_sessions(user=user, request=request, reason="account.erased")
    KnownDevice.objects.filter(user=user).delete()
    # Belt and braces for the database store: sessions that were never recorded (made by a test client,
    # say) are found by their content.
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        user_id = str(user.pk)
        stale = [
            session.pk
            for session in DbSession.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get("_auth_user_id") == user_id
        ]
        DbSession.objects.filter(pk__in=stale).delete()


# --- Public profile consent -----------------------------------------------------------------------


class NoPersonError(Exception):
    """The account has no person in the network, hence no profile to show or hide."""


def set_public_profile(*, user: User, public: bool, request: HttpRequest | None = None) -> Person:
    """Show (`public=True`) or hide the person of `user` on the public website. Audited when it changes."""
    from rare.community.models import Person

    with transaction.atomic():
        person = Person.objects.select_for_update().filter(user=user).first()
        if person is None:
            raise NoPersonError
        if person.public_profile != public:
            person.public_profile = public
            person.save(update_fields=["public_profile"])
            record("profile.consent_changed", actor=user, request=request, public=public)
    return person


# --- Exporters of the first apps --------------------------------------------------------------------
# Later apps register their own exporters in their AppConfig.ready(); these cover the data of accounts,
# community, programme and alliance, allauth's MFA and the audit trail.


def _code(country) -> str:
    return getattr(country, "code", "") or ""


def person_of(user: User) -> Person | None:
    """The person of an account, with what its profile shows, or None."""
    from rare.community.models import Person

    return Person.objects.filter(user=user).select_related("organisation").prefetch_related("expertise").first()


@register_exporter("account")
def export_account(user: User) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "name": user.name,
        "joined_at": user.date_joined,
        "last_sign_in_at": user.last_login,
        "active": user.is_active,
        "travel_mode": user.travel_mode,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


@register_exporter("person")
def export_person(user: User) -> dict | None:
    person = person_of(user)
    if person is None:
        return None
    return {
        "name": person.name,
        "slug": person.slug,
        "pronouns": person.pronouns,
        "role": person.role,
        "country": _code(person.country),
        "languages": person.language_codes,
        "biography": person.bio,
        "expertise": [theme.name for theme in person.expertise.all()],
        "public_profile": person.public_profile,
        "created_at": person.created_at,
    }


@register_exporter("organisation")
def export_organisation(user: User) -> dict | None:
    person = person_of(user)
    organisation = person.organisation if person is not None else None
    if organisation is None:
        return None
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "country": _code(organisation.country),
        "city": organisation.city,
        "website": organisation.website,
    }


@register_exporter("memberships")
def export_memberships(user: User) -> list:
    from rare.programme.models import Membership

    memberships = Membership.objects.filter(person__user=user).select_related("programme").order_by("created_at")
    return [
        {
            "programme": membership.programme.name,
            "programme_slug": membership.programme.slug,
            "role": membership.role,
            "since": membership.created_at,
        }
        for membership in memberships
    ]


@register_exporter("working_groups")
def export_working_groups(user: User) -> list:
    from rare.alliance.models import WorkingGroup

    groups = (
        WorkingGroup.objects.filter(Q(members__user=user) | Q(convener__user=user))
        .select_related("programme", "convener")
        .distinct()
        .order_by("name")
    )
    return [
        {
            "name": group.name,
            "slug": group.slug,
            "programme": group.programme.name if group.programme else None,
            "convener": group.convener is not None and group.convener.user_id == user.pk,
        }
        for group in groups
    ]


@register_exporter("sessions_spoken_at")
def export_sessions_spoken(user: User) -> list:
    from rare.programme.models import Session

    sessions = (
        Session.objects.filter(speakers__user=user).select_related("camp", "camp__programme").order_by("starts_at")
    )
    return [
        {
            "title": session.title,
            "kind": session.kind,
            "camp": session.camp.title,
            "programme": session.camp.programme.name,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
        }
        for session in sessions
    ]


@register_exporter("signed_in_sessions")
def export_signed_in_sessions(user: User) -> list:
    """The browsers currently signed in to the account, as coarsely as the platform keeps them."""
    from rare.accounts.models import MemberSession

    return [
        {"signed_in_at": s.created_at, "last_seen_at": s.last_seen_at, "device": s.device, "network": s.network}
        for s in MemberSession.objects.filter(user=user).only("created_at", "last_seen_at", "device", "network")
    ]


@register_exporter("second_factors")
def export_second_factors(user: User) -> list:
    """Which kinds of second factor the account has and when they were added and last used; never secrets."""
    from allauth.mfa.models import Authenticator

    return [
        {"type": authenticator.type, "added_at": authenticator.created_at, "last_used_at": authenticator.last_used_at}
        for authenticator in Authenticator.objects.filter(user=user).only("type", "created_at", "last_used_at")
    ]


@register_exporter("audit_trail")
def export_audit_trail(user: User) -> list:
    """What the audit trail recorded about the person's own actions."""
    from rare.core.models import AuditEntry

    entries = AuditEntry.objects.filter(actor=user).order_by("at", "id")
    return [
        {
            "at": entry.at,
            "action": entry.action,
            "outcome": entry.outcome,
            "target": entry.target_repr,
            "network": entry.network,
            "client": entry.client,
            "details": entry.details,
        }
        for entry in entries.iterator()
    ]
