"""The demo's call for applications: "RARE cohort 2", open now, with a few fictional applications.

`load_demo_calls()` is idempotent: it creates what is missing (the programme, the call, each
application, each review) and leaves everything else alone. The call's dates are computed when it
is first loaded, so the demo always shows an open call. Every applicant is invented; their addresses
use the reserved example.net domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rare.community.models import Theme
from rare.programme.models import Application, Call, Programme, Review

CALL_SLUG = "rare-cohort-2"

DESCRIPTION = """\
RARE brings together senior staff of human rights organisations from across Europe for two years of
training, peer learning and joint advocacy. The second cohort starts next spring.

## Who can apply

- Executive directors, heads of programme and senior staff of **non-governmental human rights
  organisations** based in a member state of the Council of Europe.
- People who can take part in all camps (about one week every three months, travel and stay covered).

## What we ask of you

Tell us about your organisation's work, what you have achieved in advocacy, and why you want to join.
Write in the language you are most comfortable with: English, German or Hungarian.

## How we select

Several members of the programme team read and score every application. We aim for a cohort that is
diverse in countries, themes and kinds of organisation. We write to every applicant after the deadline.
"""


@dataclass(frozen=True)
class _Applicant:
    name: str
    email: str
    organisation: str
    country: str
    role: str
    seniority: str
    track_record: str
    motivation: str
    topics: tuple[str, ...]
    status: str = Application.Status.SUBMITTED
    # (reviewer's demo address, score, comment)
    reviews: tuple[tuple[str, int, str], ...] = ()


S = Application.Seniority
APPLICANTS = [
    _Applicant(
        name="Ilona Varga-Szabó",
        email="ilona.varga@example.net",
        organisation="Tisza Legal Aid Network",
        country="HU",
        role="Executive director",
        seniority=S.DIRECTOR,
        track_record="We run free legal clinics in eleven towns and won two cases on access to public information.",
        motivation="We want to connect our local cases to European advocacy and learn from peers abroad.",
        topics=("rule-of-law", "strategic-litigation"),
        reviews=(
            ("team@example.org", 5, "Clear record, strong local base, good fit for the litigation track."),
            ("duty@example.org", 4, "Convincing; ask how much time the director can give."),
        ),
    ),
    _Applicant(
        name="Tomasz Wierzbicki",
        email="tomasz.wierzbicki@example.net",
        organisation="Open Courts Watch",
        country="PL",
        role="Head of monitoring",
        seniority=S.HEAD,
        track_record="Five hundred trial monitoring reports a year; our volunteers observe courts in six regions.",
        motivation="Our data is good; our advocacy is not. We want to learn to turn findings into change.",
        topics=("rule-of-law", "criminal-justice"),
        reviews=(("team@example.org", 4, "Solid monitoring work; advocacy capacity is the gap the programme fills."),),
    ),
    _Applicant(
        name="Marta Koutsou",
        email="marta.koutsou@example.net",
        organisation="Aegean Refugee Rights",
        country="GR",
        role="Senior policy officer",
        seniority=S.SENIOR,
        track_record="We documented pushbacks at sea and brought the findings to two UN special rapporteurs.",
        motivation="We need allies in other countries to keep our findings on the European agenda.",
        topics=("migration", "eu-advocacy"),
    ),
    _Applicant(
        name="Jonas Petraitis",
        email="jonas.petraitis@example.net",
        organisation="Baltic Digital Freedom",
        country="LT",
        role="Co-director",
        seniority=S.DIRECTOR,
        track_record="Our campaign stopped a bill that would have let police read chats without a warrant.",
        motivation="We want to work with others on the European rules for encryption and surveillance.",
        topics=("digital-rights", "campaigning"),
        reviews=(("duty@example.org", 3, "Good campaign, but the organisation is very small; check capacity."),),
    ),
    _Applicant(
        name="Ana Ribeiro",
        email="ana.ribeiro@example.net",
        organisation="Lisbon Equality Forum",
        country="PT",
        role="Programme coordinator",
        seniority=S.OTHER,
        track_record="We train municipal staff on non-discrimination and run a reporting line for hate incidents.",
        motivation="I would like to grow into a leadership role and bring European tools to our city work.",
        topics=("equality",),
    ),
]


def load_demo_calls(*, now: dt.datetime | None = None) -> Call:
    """Create the open call for cohort 2 and its fictional applications and reviews, if missing."""
    now = now or timezone.now()
    with transaction.atomic():
        programme, _ = Programme.objects.get_or_create(
            slug="rare-cohort-2",
            defaults={
                "name": "RARE cohort 2",
                "cohort": 2,
                "starts_on": (now + dt.timedelta(days=120)).date(),
                "ends_on": (now + dt.timedelta(days=120 + 600)).date(),
                "status": Programme.Status.UPCOMING,
                "summary": "The second cohort of RARE: two years of camps, peer learning and joint advocacy.",
            },
        )
        call, _ = Call.objects.get_or_create(
            slug=CALL_SLUG,
            defaults={
                "programme": programme,
                "title": "Call for applications: RARE cohort 2",
                "description": DESCRIPTION,
                "opens_at": now - dt.timedelta(days=14),
                "deadline": (now + dt.timedelta(weeks=5)).replace(hour=23, minute=59, second=0, microsecond=0),
                "places": 26,
            },
        )
        if call.deadline <= now:  # a demo loaded long ago: open the call again
            call.opens_at = now - dt.timedelta(days=14)
            call.deadline = (now + dt.timedelta(weeks=5)).replace(hour=23, minute=59, second=0, microsecond=0)
            call.save(update_fields=["opens_at", "deadline"])
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        reviewers = {
            user.email: user
            for user in get_user_model().objects.filter(
                email__in={email for a in APPLICANTS for email, _score, _comment in a.reviews}
            )
        }
        existing = {a.email: a for a in call.applications.all()}
        for applicant in APPLICANTS:
            application = existing.get(applicant.email)
            if application is None:
                application = Application.objects.create(
                    call=call,
                    name=applicant.name,
                    email=applicant.email,
                    organisation_name=applicant.organisation,
                    country=applicant.country,
                    role=applicant.role,
                    seniority=applicant.seniority,
                    track_record=applicant.track_record,
                    motivation=applicant.motivation,
                    status=applicant.status,
                    language="en",
                )
                application.topics.set([themes[slug] for slug in applicant.topics if slug in themes])
            for email, score, comment in applicant.reviews:
                if email in reviewers:
                    Review.objects.get_or_create(
                        application=application,
                        reviewer=reviewers[email],
                        defaults={"score": score, "comment": comment},
                    )
    return call
