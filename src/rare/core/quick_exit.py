"""The quick exit: one click (or Escape three times) and the platform is gone from the screen.

Every page carries a "Quick exit" link to `/leave/` (see templates/partials/quick_exit.html). Without
JavaScript it is an ordinary link; with it (static/rare/quick-exit.js) the page blanks at once and
the browser goes there with `location.replace`, so the current history entry is replaced.

`/leave/` then
- signs the account out, if one is signed in;
- asks the browser to clear what it keeps for this site (`Clear-Site-Data`: cache, cookies, storage);
- sends the browser on to RARE_QUICK_EXIT_URL if set (for example a national weather service; no
  referrer is sent, so that site does not learn where the person came from), else shows a neutral,
  unbranded page of our own that names neither the platform nor the person.

Limits, stated plainly: a site cannot erase the earlier entries of the browser history, only replace
the current one. Going Back after a quick exit reloads the earlier pages from the server (they are
`no-store`, so there is no cached copy), and with the session ended members' pages ask to sign in.

Signing out on GET makes `/leave/` a "CSRF-able" sign-out: another site could send a member here
and sign them out. We accept that on purpose. The worst a forged request can do is end a session,
which leaks nothing and costs a sign-in; a quick exit that waited for a form POST with a CSRF token
would not work as a plain link without JavaScript, nor with `location.replace`. Session cookies are
SameSite=Lax, so only a top-level navigation (which already takes the person away from the
platform) can carry them here; images or frames on other sites cannot.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rare.core.permissions import public

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@public
@require_safe
def leave(request):
    if request.user.is_authenticated:
        logout(request)
    target = exit_url()
    response = HttpResponseRedirect(target) if target else render(request, "core/leave.html")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def exit_url() -> str:
    """RARE_QUICK_EXIT_URL if it is a web address or a path on this site, else "" (our own page)."""
    target = (getattr(settings, "RARE_QUICK_EXIT_URL", "") or "").strip()
    if target.startswith(("https://", "http://")) or (target.startswith("/") and not target.startswith("//")):
        return target
    return ""
