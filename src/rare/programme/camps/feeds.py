"""iCalendar (RFC 5545) feeds of sessions: one per camp, and a personal one behind a secret address.

Every event carries a stable UID (session-<id>@<site host>), so a calendar client that subscribes
updates its copy instead of adding duplicates. Times are written in the camp's own time zone with a
TZID, and the calendar carries a VTIMEZONE for every zone it uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rare.programme.models import Session

PRODID = "-//RARE//Programme calendar//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _location(session: Session) -> str:
    camp = session.camp
    if camp.format == camp.Format.ONLINE:
        parts = [session.room, _("online")]
    else:
        parts = [session.room, camp.venue, camp.city, camp.country.name if camp.country else ""]
    return ", ".join(p for p in parts if p)


def event_for(session: Session, *, stamp) -> icalendar.Event:
    from django.urls import reverse

    camp = session.camp
    zone = camp.zone
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}@{site_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    location = _location(session)
    if location:
        event.add("location", location)
    description = f"{session.get_kind_display()} · {camp.title}"
    if session.description:
        description += "\n\n" + session.description
    event.add("description", description)
    event.add("categories", [str(session.get_kind_display())])
    event.add(
        "url",
        absolute_url(reverse("programme:session", kwargs={"slug": camp.slug, "session_id": session.pk})),
    )
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def build_calendar(name: str, sessions: Iterable[Session]) -> bytes:
    """A VCALENDAR with one VEVENT per session and a VTIMEZONE for each zone used."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().replace(microsecond=0)
    for session in sessions:
        calendar.add_component(event_for(session, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(body: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "calendar"}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response
