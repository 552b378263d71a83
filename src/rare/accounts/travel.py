"""Travel mode: an account that hides every restricted record until it is lifted with a second factor.

A member about to cross a border, or to hand over a device, switches travel mode on with one click; while it
is on, `rare.core.visibility` hides every restricted record from the account (even one naming them, even
for a duty officer). Whoever holds the device and the password then sees nothing restricted.

Lifting it needs a second factor, checked by django-allauth's MFA (a TOTP code, a recovery code or a
WebAuthn assertion). Two rules make that hold against someone who knows the password:

1. Only a second factor that already existed when travel mode was switched on counts. Allauth lets anyone
   who re-enters the password add a passkey, or regenerate recovery codes; a factor created during travel
   would otherwise lift travel mode with the password alone. The moment of switching on is read from the
   audit trail ("travel_mode.on"), which also records whether the account had a second factor then.
2. An account that had no second factor when it switched travel mode on cannot be lifted until it has one:
   the member sets up MFA (allauth asks for the password again to do so), then lifts travel mode with it,
   and the lift itself also asks for a fresh password re-authentication. Without any second factor the
   lift is refused with a message pointing to the MFA set-up. (In production MFA is mandatory, so this
   only matters in the demo or for an account that removed its factors.)

If the member lost every factor that existed when they switched on, the programme team lifts travel mode
with `lift_for_member()` after checking who they are by other means; the audit entry names the team member.
If the audit entry of the switch is gone (the retention purge removes old entries), every current factor
counts, since the platform no longer knows which ones are newer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rare.core.audit import record
from rare.core.models import AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rare.accounts.models import User

ON = "travel_mode.on"
OFF = "travel_mode.off"


class TravelModeError(Exception):
    """Travel mode cannot be lifted this way; `message` says why, for the member."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Switch:
    """When travel mode was last switched on, and whether the account had a second factor then."""

    at: datetime | None
    had_second_factor: bool


def has_second_factor(user: User) -> bool:
    """A factor that can stand alone: TOTP or WebAuthn (recovery codes only back those up)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def last_switch(user: User) -> Switch:
    entry = (
        AuditEntry.objects.filter(actor=user, action=ON, outcome=AuditEntry.Outcome.OK)
        .only("at", "details")
        .order_by("-at", "-id")
        .first()
    )
    if entry is None:
        return Switch(at=None, had_second_factor=True)
    return Switch(at=entry.at, had_second_factor=bool(entry.details.get("had_second_factor", True)))


def counting_authenticators(user: User):
    """The authenticators that may lift travel mode (see rule 1 above)."""
    authenticators = Authenticator.objects.filter(user=user)
    switch = last_switch(user)
    if switch.at is not None and switch.had_second_factor:
        authenticators = authenticators.filter(created_at__lte=switch.at)
    return authenticators


def needs_password_too(user: User) -> bool:
    """True when the account had no second factor as travel mode went on (see rule 2 above)."""
    return user.travel_mode and not last_switch(user).had_second_factor


def switch_on(*, user: User, request: HttpRequest | None = None) -> bool:
    """Hide restricted records from `user` from now on. Returns False when it was already on."""
    from rare.accounts.models import User

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.travel_mode:
            user.travel_mode = True
            return False
        locked.travel_mode = True
        locked.save(update_fields=["travel_mode"])
        record(ON, actor=locked, request=request, had_second_factor=has_second_factor(locked))
    user.travel_mode = True
    return True


def switch_off(*, user: User, authenticator: Authenticator, request: HttpRequest | None = None) -> None:
    """Lift travel mode for `user`, whose second factor `authenticator` has just been verified by allauth.

    Raises TravelModeError (and audits the refusal) when that factor does not count.
    """
    from rare.accounts.models import User

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        counts = (
            authenticator.user_id == locked.pk and counting_authenticators(locked).filter(pk=authenticator.pk).exists()
        )
        if locked.travel_mode and counts:
            locked.travel_mode = False
            locked.save(update_fields=["travel_mode"])
            record(OFF, actor=locked, request=request, factor=authenticator.type)
    if locked.travel_mode:
        refuse(user=locked, request=request, reason="factor_added_later", factor=authenticator.type)
        raise TravelModeError(
            _(
                "This second factor was added after travel mode was switched on, so it cannot lift it."
                " Use one you already had then."
            )
        )
    user.travel_mode = False


def lift_for_member(*, user: User, actor: User, request: HttpRequest | None = None) -> bool:
    """The programme team lifts travel mode for a member who lost their factors. Returns False if it was off."""
    from rare.accounts.models import User

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.travel_mode:
            return False
        locked.travel_mode = False
        locked.save(update_fields=["travel_mode"])
        record(OFF, actor=actor, request=request, target=locked, by="team")
    user.travel_mode = False
    return True


def refuse(
    *,
    user: User,
    request: HttpRequest | None = None,
    reason: str,
    factor: str = "",
    outcome: str = AuditEntry.Outcome.DENIED,
) -> None:
    """Audit a refused attempt to lift travel mode (`reason` is a short code, never what was typed)."""
    details = {"reason": reason}
    if factor:
        details["factor"] = factor
    record(OFF, actor=user, request=request, outcome=outcome, **details)
