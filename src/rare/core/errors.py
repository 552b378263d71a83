"""The 500 page, rendered without the database, the session or any context processor.

Whatever broke (the database, a context processor, a template) must not also break the page that
says so. `templates/500.html` is a standalone document that needs only static file URLs and two
reversed URLs, and if even that fails a plain fallback is sent.

When the error is the database being out of reach (a restart, a fail-over), the answer is a 503
with `Retry-After` instead: nothing is broken, the person should simply try again in a moment, and
clients and proxies that honour the header do so on their own.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse

log = logging.getLogger(__name__)

FALLBACK = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p><a href=/>Back to the home page</a></p></html>"
)


def _url(name: str, default: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return default


# Seconds a client is asked to wait when the database is out of reach: a restart takes a few.
RETRY_AFTER_SECONDS = 10


def database_unreachable() -> bool:
    """Whether the exception being handled says the database could not be reached.

    Django calls the 500 handler inside its `except` block, so the exception is still at hand here.
    """
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def server_error(request, template_name: str = "500.html"):
    if database_unreachable():
        return _render("503.html", status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return _render(template_name, status=500)


def _render(template_name: str, *, status: int, headers: dict | None = None) -> HttpResponse:
    try:
        template = loader.get_template(template_name)
        body = template.render({"home_url": _url("website:home", "/"), "quick_exit_url": _url("quick_exit", "/leave/")})
    except Exception:
        log.exception("The error page %s could not be rendered; sending the plain fallback.", template_name)
        body = FALLBACK
    return HttpResponse(body, status=status, headers=headers)
