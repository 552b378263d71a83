"""Session timeouts and the second-factor requirement, checked on every request of a signed-in member.

Both sit after Django's authentication, message and allauth's account middleware.
"""

from __future__ import annotations

import contextlib
import time
from functools import cached_property
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from rare.accounts import services
from rare.accounts.models import hash_token
from rare.core.audit import record


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionTimeoutMiddleware:
    """Idle and absolute timeouts (SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT), and "last seen".

    The clocks live in the session itself, so this works with every session engine. "Last seen" on
    the member's session row is written at most once a minute; when that row is gone (the member
    ended the session from another device), the session ends here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request) -> HttpResponse | None:
        session = request.session
        now = time.time()
        started = session.get(services.AUTH_AT)
        seen = session.get(services.SEEN_AT)
        if started is None or seen is None:
            services.touch_session(request=request)
            session.setdefault(services.AUTH_AT, now)
            session[services.SEEN_AT] = now
            return None
        idle = now - seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        expired = now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if idle or expired:
            return self.end(request, reason="idle" if idle else "absolute")
        rekeyed = session.session_key and session.get(services.RECORD_KEY) != hash_token(session.session_key)
        if rekeyed or now - seen >= services.TOUCH_EVERY:
            if not services.touch_session(request=request):
                return self.end(request, reason="revoked")
            session[services.SEEN_AT] = now
        return None

    def end(self, request, *, reason: str) -> HttpResponse:
        user = request.user
        record("auth.session_expired", actor=user, request=request, reason=reason)
        logout(request)
        if reason == "idle":
            minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
            messages.info(
                request, _("You were signed out after %(minutes)d minutes without activity.") % {"minutes": minutes}
            )
        elif reason == "absolute":
            messages.info(request, _("Your session reached its time limit. Please sign in again."))
        else:
            messages.info(request, _("This session was signed out."))
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return _redirect(request, reverse("account_login") + (f"?{query}" if query else ""))


def requires_webauthn(user) -> bool:
    """Whether this account must use a passkey or security key as its second factor."""
    if not getattr(settings, "RARE_TEAM_WEBAUTHN_ONLY", False):
        return False
    from rare.programme.rules import is_team

    return is_team(user)


def has_required_second_factor(user) -> bool:
    types = (
        [Authenticator.Type.WEBAUTHN]
        if requires_webauthn(user)
        else [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    return Authenticator.objects.filter(user_id=user.pk, type__in=types).exists()


class MFARequiredMiddleware:
    """In production every member sets up a second factor before seeing anything but their security settings.

    Programme team members are held to passkeys and security keys when RARE_TEAM_WEBAUTHN_ONLY is on
    (in any environment), and cannot set up an authenticator app then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def allowed_prefixes(self) -> tuple[str, ...]:
        prefixes = [
            settings.STATIC_URL,
            reverse("mfa_index"),
            reverse("account_reauthenticate"),
            reverse("accounts:sessions"),
        ]
        for name in ("healthz", "readyz", "set_language", "javascript-catalog"):
            with contextlib.suppress(NoReverseMatch):
                prefixes.append(reverse(name))
        return tuple(prefixes)

    @cached_property
    def allowed_paths(self) -> frozenset[str]:
        names = ("account_logout", "account_change_password", "accounts:security")
        return frozenset(reverse(name) for name in names)

    def is_allowed(self, path: str) -> bool:
        return path in self.allowed_paths or path.startswith(self.allowed_prefixes)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            webauthn_only = requires_webauthn(user)
            if webauthn_only and request.path == reverse("mfa_activate_totp"):
                messages.warning(request, _("Programme team accounts use a passkey or security key."))
                return _redirect(request, reverse("mfa_add_webauthn"))
            if (settings.PRODUCTION or webauthn_only) and not has_required_second_factor(user):
                request.rare_mfa_required = True
                if not self.is_allowed(request.path):
                    return _redirect(request, reverse("mfa_index"))
        return self.get_response(request)
