"""The 500 page, rendered without the database, the session or any context processor.

Whatever broke (the database, a context processor, a template) must not also break the page that
says so. `templates/500.html` is a standalone document that needs only static file URLs and two
reversed URLs, and if even that fails a plain fallback is sent.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
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


def server_error(request, template_name: str = "500.html"):
    try:
        template = loader.get_template(template_name)
        body = template.render({"home_url": _url("website:home", "/"), "quick_exit_url": _url("quick_exit", "/leave/")})
    except Exception:
        log.exception("The 500 page could not be rendered; sending the plain fallback.")
        body = FALLBACK
    return HttpResponseServerError(body)
