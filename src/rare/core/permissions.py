"""Views declare what they need; everything else is denied.

    @permission_required_or_404("alliance.view_group", fn=lambda request, slug: get_group(slug))
    def group_detail(request, slug): ...

    @members_only
    def directory(request): ...

    class GroupDetail(PermissionRequiredOr404Mixin, DetailView):
        permission_required = "alliance.view_group"

    @public
    def home(request): ...

What a refused request sees:
- an anonymous visitor is sent to the sign-in page (and back afterwards);
- a signed-in account without the permission gets the ordinary 404 page, never 403, so that a
  record's existence does not leak. A record that does not exist is answered the same way: 404 for
  a signed-in account, the sign-in page for a visitor.

Every refusal is written to the audit trail as "permission.denied" with the permission (or
"membership") and the view. Permissions are looked up in the `rules` registry directly, not through
`user.has_perm`, so a superuser passes only where a rule lets them through and a permission nobody
defined denies everyone (and raises ImproperlyConfigured, so that a typo shows up in the tests).
Every view behind these helpers is answered with `Cache-Control: no-store`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url

MEMBERSHIP = "membership"

ObjectGetter = Callable[..., Any]


def permission_required_or_404(perm: str, fn: ObjectGetter | None = None):
    """Let the view run only for someone who holds `perm` (on the object `fn` returns, if given).

    `fn(request, *args, **kwargs)` receives the view's arguments and returns the object the
    permission is checked against; it may raise Http404 or DoesNotExist for a missing record.
    """

    def check(request: HttpRequest, args: tuple, kwargs: dict) -> tuple[bool, Any]:
        if not rules.perm_exists(perm):
            raise ImproperlyConfigured(f"No rule defines the permission {perm!r}.")
        obj = fn(request, *args, **kwargs) if fn is not None else None
        return rules.has_perm(perm, request.user, obj), obj

    return _guard(check, label=perm)


def members_only(view):
    """Only for people who hold a role in any programme (alumni included)."""
    from rare.programme.rules import is_member

    def check(request: HttpRequest, args: tuple, kwargs: dict) -> tuple[bool, Any]:
        return bool(is_member.test(request.user)), None

    return _guard(check, label=MEMBERSHIP)(view)


def public(view):
    """Mark a view as deliberately open to everybody (the other half of "views declare what they need")."""
    view.rare_access = "public"
    return view


def by_visibility(view):
    """Mark a view whose records decide who sees them: it lists through `visible_to(user)` and opens a
    record through `get_visible_or_404`, so the page itself is open and each record is checked."""
    view.rare_access = "visibility"
    return view


def access_of(view) -> str | None:
    """What a view declared: "public", "visibility", "membership", a permission name, or None if nothing."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        declared = getattr(view_class, "rare_access", None)
        if declared:
            return declared
        if issubclass(view_class, PermissionRequiredOr404Mixin):
            return view_class.permission_required or None
    return getattr(view, "rare_access", None)


def _guard(check: Callable[[HttpRequest, tuple, dict], tuple[bool, Any]], *, label: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            denied = _denial(request, check, args, kwargs, label=label, view=view)
            if denied is not None:
                return denied
            return view(request, *args, **kwargs)

        wrapper.rare_access = label
        return wrapper

    return decorator


def _denial(request: HttpRequest, check, args: tuple, kwargs: dict, *, label: str, view) -> HttpResponse | None:
    """None if the request may go on; otherwise the refusal (a redirect to sign in) or Http404."""
    request.rare_no_store = True
    anonymous = not request.user.is_authenticated
    try:
        allowed, obj = check(request, args, kwargs)
    except (Http404, ObjectDoesNotExist):
        if not anonymous:
            raise Http404 from None
        # A visitor learns nothing from the difference between "missing" and "members only".
        allowed, obj = False, None
    if allowed:
        return None
    _record_denial(request, label=label, view=view, target=obj)
    if anonymous:
        return _to_sign_in(request)
    raise Http404


def _record_denial(request: HttpRequest, *, label: str, view, target) -> None:
    from rare.core import audit

    name = getattr(view, "__qualname__", getattr(view, "__name__", type(view).__name__))
    audit.record(
        "permission.denied",
        actor=request.user if request.user.is_authenticated else None,
        request=request,
        target=target if getattr(target, "pk", None) is not None else None,
        outcome="denied",
        permission=label,
        view=f"{view.__module__}.{name}",
    )


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    login_url = resolve_url(settings.LOGIN_URL)
    if getattr(request, "htmx", False):
        # A fragment request would swap the sign-in page into part of the page; send the browser there.
        from django_htmx.http import HttpResponseClientRedirect

        return HttpResponseClientRedirect(redirect_to_login(request.get_full_path(), login_url).url)
    return redirect_to_login(request.get_full_path(), login_url)


class PermissionRequiredOr404Mixin:
    """The class-based form: set `permission_required`; override `get_permission_object()` for a record.

    `get_permission_object()` runs before the view's own `get()`; return None for a permission on no
    particular record. The object is kept as `self.permission_object` so the view need not load it twice.
    """

    permission_required: str = ""
    permission_object: Any = None

    def get_permission_object(self) -> Any:
        return None

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        perm = self.permission_required
        if not perm:
            raise ImproperlyConfigured(f"{type(self).__name__} must set permission_required.")

        def check(request: HttpRequest, args: tuple, kwargs: dict) -> tuple[bool, Any]:
            if not rules.perm_exists(perm):
                raise ImproperlyConfigured(f"No rule defines the permission {perm!r}.")
            self.permission_object = self.get_permission_object()
            return rules.has_perm(perm, request.user, self.permission_object), self.permission_object

        denied = _denial(request, check, args, kwargs, label=perm, view=type(self))
        if denied is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)


class MembersOnlyMixin:
    """The class-based form of `members_only`."""

    rare_access = MEMBERSHIP

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        from rare.programme.rules import is_member

        def check(request: HttpRequest, args: tuple, kwargs: dict) -> tuple[bool, Any]:
            return bool(is_member.test(request.user)), None

        denied = _denial(request, check, args, kwargs, label=MEMBERSHIP, view=type(self))
        if denied is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)
