"""Turns the demo records of `rare.demo.data` into rows, and removes them again.

Only the demo accounts get a real (Argon2) password hash: hashing is slow, and nobody else signs in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from rare.alliance.models import WorkingGroup
from rare.community.models import Organisation, Person, Theme
from rare.core.visibility import Visibility
from rare.demo import data
from rare.programme.models import Camp, Membership, Programme, Session

Role = Membership.Role


@dataclass(frozen=True)
class Summary:
    programme: str
    camps: int
    sessions: int
    participants: int
    countries: int
    organisations: int
    working_groups: int
    accounts: list[tuple[str, str]]

    def lines(self) -> list[str]:
        return [
            f"Loaded the demo programme {self.programme}: {self.camps} camps, {self.sessions} sessions, "
            f"{self.participants} participants from {self.countries} countries, {self.organisations} organisations, "
            f"{self.working_groups} working groups.",
            f"Sign in as {', '.join(email for email, _ in self.accounts)} with the password in RARE_DEMO_PASSWORD.",
        ]


def demo_loaded() -> bool:
    return Programme.objects.filter(slug=data.PROGRAMME["slug"]).exists()


def _everyone() -> list[data.Member]:
    return [*data.PARTICIPANTS, *data.TEAM, *data.EXPERTS, *data.ORGANISATION_ADMINS]


def _email(member: data.Member) -> str:
    return member.email or f"{slugify(member.name)}@{data.MEMBER_EMAIL_DOMAIN}"


@transaction.atomic
def remove_demo() -> None:
    """Delete what the demo created (programmes, camps, sessions, people, organisations, accounts)."""
    people = _everyone()
    from rare.solidarity.demo import remove_demo_alerts

    remove_demo_alerts()
    from rare.alliance.demo import remove_demo_plan

    remove_demo_plan()
    WorkingGroup.objects.filter(slug__in=[g.slug for g in data.WORKING_GROUPS]).delete()
    Programme.objects.filter(slug=data.PROGRAMME["slug"]).delete()
    Person.objects.filter(slug__in=[slugify(m.name) for m in people]).delete()
    Organisation.objects.filter(slug__in=[o.slug for o in data.ORGANISATIONS]).delete()
    get_user_model().objects.filter(email__in=[_email(m) for m in people]).delete()


@transaction.atomic
def load_demo(*, password: str) -> Summary:
    """Create the demo programme. The caller checks `demo_loaded()` first."""
    User = get_user_model()
    themes = {slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in data.THEMES}

    organisations = {
        o.slug: Organisation(
            slug=o.slug, name=o.name, country=o.country, city=o.city, size=o.size, description=o.description
        )
        for o in data.ORGANISATIONS
    }
    Organisation.objects.bulk_create(organisations.values())
    Organisation.themes.through.objects.bulk_create(
        Organisation.themes.through(organisation_id=organisations[o.slug].pk, theme_id=themes[t].pk)
        for o in data.ORGANISATIONS
        for t in o.themes
    )

    members = _everyone()
    staff = {m.key for m in data.TEAM if m.email}
    users = {}
    for member in members:
        user = User(email=_email(member), name=member.name, is_staff=member.key in staff)
        user.password = make_password(password if member.email else None)  # None: an unusable password
        users[member.key] = user
    User.objects.bulk_create(users.values())

    people = {
        m.key: Person(
            user=users[m.key],
            name=m.name,
            slug=slugify(m.name),
            pronouns=m.pronouns,
            organisation=organisations[m.org] if m.org else None,
            role=m.role,
            country=m.country,
            languages=m.languages,
            bio=m.bio,
            public_profile=m.public,
        )
        for m in members
    }
    Person.objects.bulk_create(people.values())
    Person.expertise.through.objects.bulk_create(
        Person.expertise.through(person_id=people[m.key].pk, theme_id=themes[t].pk) for m in members for t in m.themes
    )

    programme = Programme.objects.create(**data.PROGRAMME, status=Programme.Status.RUNNING)
    roles = [
        *((m.key, Role.PARTICIPANT) for m in data.PARTICIPANTS),
        *((m.key, Role.TEAM) for m in data.TEAM),
        *((key, Role.DUTY_OFFICER) for key in data.DUTY_OFFICERS),
        *((m.key, Role.EXPERT) for m in data.EXPERTS),
        *((m.key, Role.ORGANISATION_ADMIN) for m in data.ORGANISATION_ADMINS),
    ]
    Membership.objects.bulk_create(Membership(programme=programme, person=people[k], role=r) for k, r in roles)

    session_count = 0
    for c in data.CAMPS:
        camp = Camp.objects.create(
            programme=programme,
            number=c.number,
            slug=c.slug,
            title=c.title,
            city=c.city,
            country=c.country,
            venue=c.venue,
            host=c.host,
            format=c.format,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            summary=c.summary,
            logistics=c.logistics,
            illustrative=c.illustrative,
        )
        zone = ZoneInfo(c.time_zone)
        sessions = [
            Session(
                camp=camp,
                kind=s.kind,
                title=s.title,
                description=s.description,
                room=s.room,
                starts_at=_local(c.starts_on, s.day, s.start, zone),
                ends_at=_local(c.starts_on, s.day, s.end, zone),
            )
            for s in c.sessions
        ]
        Session.objects.bulk_create(sessions)
        Session.speakers.through.objects.bulk_create(
            Session.speakers.through(session_id=row.pk, person_id=people[key].pk)
            for row, s in zip(sessions, c.sessions, strict=True)
            for key in s.speakers
        )
        Session.themes.through.objects.bulk_create(
            Session.themes.through(session_id=row.pk, theme_id=themes[t].pk)
            for row, s in zip(sessions, c.sessions, strict=True)
            for t in s.themes
        )
        session_count += len(sessions)

    for g in data.WORKING_GROUPS:
        group = WorkingGroup.objects.create(
            programme=programme,
            slug=g.slug,
            name=g.name,
            theme=themes[g.theme],
            convener=people[g.convener],
            purpose=g.purpose,
            public_output=g.public_output,
            visibility=Visibility.PUBLIC,
        )
        group.members.set([people[k] for k in g.members])
        group.organisations.set({people[k].organisation for k in g.members if people[k].organisation})

    from rare.website.demo import load_public_pages

    team_account = next(m.key for m in data.TEAM if m.email == data.TEAM_ACCOUNT)
    load_public_pages(author=users[team_account])
    from rare.programme.camps.demo import load_demo_camps

    load_demo_camps()
    from rare.programme.calls.demo import load_demo_calls

    load_demo_calls()
    from rare.community.demo import load_demo_institutions

    load_demo_institutions()
    from rare.programme.registration.demo import load_demo_registration

    load_demo_registration()
    from rare.monitor.demo import load_demo_monitor

    load_demo_monitor()
    from rare.learning.demo import load_demo_learning

    load_demo_learning()
    from rare.learning.feedback.demo import load_demo_feedback

    load_demo_feedback()
    from rare.solidarity.demo import load_demo_alerts

    load_demo_alerts()
    from rare.monitor.demo import load_demo_spillover  # after the alerts it links

    load_demo_spillover()
    from rare.alliance.decisions.demo import load_demo_decisions

    load_demo_decisions()
    from rare.alliance.demo import load_demo_plan

    load_demo_plan()
    from rare.core.demo import load_demo_notifications  # after the alerts it tells members about

    load_demo_notifications()

    return Summary(
        programme=programme.name,
        camps=len(data.CAMPS),
        sessions=session_count,
        participants=len(data.PARTICIPANTS),
        countries=len({m.country for m in data.PARTICIPANTS}),
        organisations=len(organisations),
        working_groups=len(data.WORKING_GROUPS),
        accounts=data.DEMO_ACCOUNTS,
    )


def _local(first_day: dt.date, day: int, clock: str, zone: ZoneInfo) -> dt.datetime:
    """An aware datetime: `clock` (HH:MM) on the camp's day `day`, in the camp's time zone."""
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(first_day + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=zone)
