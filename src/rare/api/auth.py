"""Who is calling: a personal token in `Authorization: Bearer ...`, or nobody (public records only).

A request without the header is anonymous and sees what a visitor sees. A header that is there but
does not carry a working token (unknown, revoked, expired, its account disabled) is refused with 401:
a caller who meant to sign in must not silently get the public view instead. The session cookie is
ignored, so the API never acts on a browser's behalf (no CSRF exposure).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from rare.api import queries, services
from rare.api.models import ApiToken


@dataclass
class Caller:
    """The account behind a request (AnonymousUser without a token) and the token it used."""

    user: object
    token: ApiToken | None = None

    def __bool__(self) -> bool:  # ninja treats a falsy result as "not authenticated"
        return True

    @property
    def can_write(self) -> bool:
        return self.token is not None and self.token.can_write


class TokenAuth(HttpBearer):
    """Bearer tokens, optional: no header means an anonymous caller."""

    def __call__(self, request: HttpRequest) -> Caller:
        value = request.headers.get(self.header, "")
        if not value:
            return Caller(user=AnonymousUser())
        scheme, _space, secret = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(message="Send the token as 'Authorization: Bearer <token>'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = queries.token_for_secret(token) if len(token) <= 200 else None
        if found is None or not found.is_active or not found.user.is_active:
            raise AuthenticationError(message="The token is not valid (unknown, revoked or expired).")
        services.mark_used(found)
        return Caller(user=found.user, token=found)


def caller_of(request: HttpRequest) -> Caller:
    return getattr(request, "auth", None) or Caller(user=AnonymousUser())


def require_member(request: HttpRequest) -> Caller:
    """The caller must hold a role in a programme: 401 without a token, 403 with a visitor's token."""
    from rare.programme.rules import is_member

    caller = caller_of(request)
    if caller.token is None:
        raise AuthenticationError(message="This resource is for members: send a personal API token.")
    if not is_member(caller.user):
        raise AuthorizationError(message="This resource is for members of a programme.")
    return caller


def require_write(request: HttpRequest) -> Caller:
    caller = require_member(request)
    if not caller.can_write:
        raise AuthorizationError(message="This token may only read: make a token with the write scope.")
    return caller


class RateLimit(BaseThrottle):
    """A fixed window of one minute per token, or per client address for anonymous callers.

    The count lives in the Django cache, so every app server sharing the cache (Redis) shares it.
    """

    window = 60

    def allow_request(self, request: HttpRequest) -> bool:
        caller = getattr(request, "auth", None)
        if caller is not None and caller.token is not None:
            ident, limit = f"t{caller.token.pk}", settings.RARE_API_RATE_TOKEN
        else:
            ident, limit = f"a{self.get_ident(request)}", settings.RARE_API_RATE_ANONYMOUS
        now = time.time()
        window_start = int(now // self.window) * self.window
        key = f"rare:api:rate:{ident}:{window_start}"
        cache.add(key, 0, timeout=self.window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window + 5)
            count = 1
        self._wait = window_start + self.window - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)
