"""Security headers on every response, whatever produced it.

`SecurityHeadersMiddleware` sits right after Django's `SecurityMiddleware` and django-csp's
`CSPMiddleware`, above WhiteNoise, so it also sees static files, redirects, error pages (400, 403,
404, 500) and JSON. The work is shared like this:

    Content-Security-Policy        django-csp, from settings.CONTENT_SECURITY_POLICY (nonces)
    Strict-Transport-Security      SecurityMiddleware, only on HTTPS requests and only when
                                   SECURE_HSTS_SECONDS is set (production sets two years)
    Referrer-Policy                SecurityMiddleware (SECURE_REFERRER_POLICY = same-origin: no
                                   referrer ever leaves for another host)
    X-Content-Type-Options         SecurityMiddleware (nosniff)
    Cross-Origin-Opener-Policy     SecurityMiddleware (same-origin)
    Permissions-Policy             here
    Cross-Origin-Resource-Policy   here (same-origin)
    X-Frame-Options                here as well, because XFrameOptionsMiddleware never sees the static
                                   files that WhiteNoise answers higher up
    Cache-Control: no-store        here (see `cache_policy`)
    Server                         here (see `neutral_server_header`)

Cross-Origin-Embedder-Policy is deliberately not sent: `require-corp` would block the one framed
video host (youtube-nocookie.com), which sends no CORP header.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.functional import empty

# Every powerful feature the platform does not use is switched off for us and for any frame.
# WebAuthn passkeys need the two publickey-credentials features on our own origin. The testimonial
# video, framed from youtube-nocookie.com after a click, may start playing, go full screen or picture-in-
# picture and use its media decoders; nothing else is delegated to it.
VIDEO_HOST = '"https://www.youtube-nocookie.com"'
PERMISSIONS_POLICY: dict[str, str] = {
    "accelerometer": "()",
    "ambient-light-sensor": "()",
    "attribution-reporting": "()",
    "autoplay": f"(self {VIDEO_HOST})",
    "bluetooth": "()",
    "browsing-topics": "()",
    "camera": "()",
    "compute-pressure": "()",
    "display-capture": "()",
    "document-domain": "()",
    "encrypted-media": f"({VIDEO_HOST})",
    "fullscreen": f"(self {VIDEO_HOST})",
    "gamepad": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "hid": "()",
    "identity-credentials-get": "()",
    "idle-detection": "()",
    "interest-cohort": "()",
    "join-ad-interest-group": "()",
    "local-fonts": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "otp-credentials": "()",
    "payment": "()",
    "picture-in-picture": f"(self {VIDEO_HOST})",
    "publickey-credentials-create": "(self)",
    "publickey-credentials-get": "(self)",
    "run-ad-auction": "()",
    "screen-wake-lock": "()",
    "serial": "()",
    "storage-access": "()",
    "sync-xhr": "()",
    "usb": "()",
    "window-management": "()",
    "xr-spatial-tracking": "()",
}


def permissions_policy_header(policy: dict[str, str]) -> str:
    return ", ".join(f"{feature}={allow}" for feature, allow in sorted(policy.items()))


# The name sent instead of a server's name and version when the app can choose (see below).
NEUTRAL_SERVER = "RARE"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "RARE_PERMISSIONS_POLICY", None) or PERMISSIONS_POLICY
        self.permissions_policy = permissions_policy_header(policy)
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request):
        response = self.get_response(request)
        headers = response.headers
        headers["Permissions-Policy"] = self.permissions_policy
        headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Permitted-Cross-Domain-Policies", "none")
        cache_policy(request, response, static_prefix=self.static_prefix)
        neutral_server_header(request, response)
        return response


def cache_policy(request, response, *, static_prefix: str) -> None:
    """`Cache-Control: no-store` unless a response is provably the same for everybody.

    Decisions, in order:
    - Static files answered by WhiteNoise (no `request.user`: the request never reached the
      authentication middleware) keep WhiteNoise's caching; they are the same for everybody.
    - A page behind a permission (declared with the helpers in `rare.core.permissions`, which set
      `request.rare_no_store`), and every response to a signed-in user, is `no-store`,
      replacing whatever the view asked for: nothing about a member may stay in a browser cache or a
      shared proxy, and `no-store` also keeps such pages out of the back/forward cache, so that
      Back after a sign-out or a quick exit asks the server again.
    - Everything else is `no-store` too unless its view set a Cache-Control of its own. That covers the
      sign-in page and every page carrying a CSRF token or a form (they set none). A view that
      returns the same public bytes to everybody (a public feed, open data) may opt into caching
      with `django.views.decorators.cache.cache_control`.
    """
    if getattr(request, "rare_no_store", False) or _signed_in(request):
        _no_store(response)
        return
    if getattr(request, "user", None) is None and request.path_info.startswith(static_prefix):
        return
    if "Cache-Control" not in response.headers:
        _no_store(response)


def _no_store(response) -> None:
    current = response.headers.get("Cache-Control", "")
    if "no-store" not in {part.strip().lower() for part in current.split(",")}:
        response.headers["Cache-Control"] = "no-store"


def _signed_in(request) -> bool:
    """Is someone signed in, without loading the account when nothing else did?"""
    user = getattr(request, "user", None)
    if user is None:
        return False
    if getattr(user, "_wrapped", None) is not empty:
        return bool(user.is_authenticated)
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return False
    return SESSION_KEY in session


def neutral_server_header(request, response) -> None:
    """Never tell which server software and version answered.

    Django itself sends no `Server` header, and a view may not add one. What the web server adds
    is outside Django, except for one case:
    - `rare runserver` (wsgiref) appends `Server: WSGIServer/0.2 CPython/3.x` only when the
      application sent no `Server` header of its own, so for it we send a neutral name.
    - gunicorn (27) always writes `Server: gunicorn`, without a version, and has no setting to drop
      it; sending ours there as well would only double the header, so we do not.
    - In production nginx stands in front with `server_tokens off` and `proxy_hide_header Server`.
    """
    if "Server" in response.headers:
        del response.headers["Server"]
    if request.META.get("SERVER_SOFTWARE", "").startswith("WSGIServer"):
        response.headers["Server"] = NEUTRAL_SERVER
