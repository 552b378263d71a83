"""A large synthetic data set at the proportions of a Europe-wide network: `rare generate --scale N`.

Why: the benchmark (`make bench`) and operators trying the platform at size need a database that looks
like years of a busy alliance, not like the 26 people of the demo. Everything is fictional: names of
people and organisations are built from small word and syllable lists in this module, texts from
templates; no real person or organisation is named. Output is deterministic for a given seed and scale.

What `--scale europe` (factor 1.0) writes, at least (see EUROPE; a factor multiplies every count):

    organisations 10,000   people 50,000 (a quarter of them members with an account)
    programmes 200         camps 2,000           sessions 50,000
    alerts 200,000         pledges 1,000,000
    assessment rows 1,000,000: the `learning_rating` rows, one self-assessment rating of one competency
        (scale 1 to 5) by one person in one assessment round; the self-assessments holding them
        (`learning_selfassessment`, about 100,000) come on top

and around them memberships, accounts, working groups, registrations for camps, the action plan,
decisions, joint statements, library resources, restrictive measures and the directory's search index.
Every visibility level appears, most records are not public, and confidential fields (alert details,
pledge evidence, registration needs, expectations) are encrypted with `rare.core.crypto` exactly as the
models store them. Accounts get unusable passwords (nobody can sign in as a generated person), so no
password is hashed.

How it stays fast: rows are produced by generators and streamed into PostgreSQL with COPY (psycopg 3
`cursor.copy()`), with ids allocated here above the current maximum of each table and the sequences
moved past them at the end; the schema (indexes, constraints) is left whole. On SQLite (small factors
only) the same rows go in with `executemany`. Model signals do not run, so the search index is written
directly (SQLite's FTS triggers pick the rows up; on PostgreSQL the vectors are computed in one UPDATE),
and `VACUUM (ANALYZE)` refreshes the planner statistics and the visibility map on PostgreSQL.

The data set is refused a second time: generated organisations carry slugs starting with `gen-`, and
their presence means the database already holds a generated set.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

from rare.accounts.models import User
from rare.alliance.models import (
    Action,
    Answer,
    Milestone,
    Objective,
    PriorityIssue,
    Proposal,
    Signature,
    Statement,
    StatementVersion,
    WorkingGroup,
)
from rare.community.models import Organisation, Person, SearchDocument, Theme
from rare.community.search import fold
from rare.core.crypto import EncryptedTextField, encrypt_text
from rare.core.visibility import Visibility
from rare.learning.models import AssessmentRound, Competency, Rating, Resource, SelfAssessment
from rare.monitor.models import Measure
from rare.programme.models import Camp, Membership, Programme, Registration, Session
from rare.solidarity.models import Alert, AlertUpdate, Pledge

DEFAULT_SEED = 2021
SLUG_PREFIX = "gen-"

# Counts at factor 1.0 ("europe"). The first eight are the floor the benchmark relies on.
EUROPE = {
    "organisations": 10_000,
    "people": 50_000,
    "programmes": 200,
    "camps": 2_000,
    "sessions": 50_000,
    "alerts": 200_000,
    "pledges": 1_000_000,
    "ratings": 1_000_000,
    "working_groups": 1_000,
    "alert_updates": 100_000,
    "priority_issues": 20,
    "actions": 5_000,
    "proposals": 2_000,
    "statements": 1_000,
    "resources": 2_000,
    "measures": 5_000,
}
MEMBER_SHARE = 0.24  # people with an account and a role in a programme
COMPETENCIES_PER_PROGRAMME = 10
FIXED_ROUNDS = (
    AssessmentRound.Kind.NEEDS,
    AssessmentRound.Kind.BASELINE,
    AssessmentRound.Kind.MIDTERM,
    AssessmentRound.Kind.END,
)
# Roles per programme at factor 1.0, and in that order of filling.
ROLES_PER_PROGRAMME = (("cohort", 50), ("expert", 12), ("org_admin", 5), ("team", 6), ("duty_officer", 2))

# Most records are not public; alerts even less so.
# (Plain strings rather than the enum members: the database drivers adapt them faster.)
VISIBILITY_MIX = (
    (str(Visibility.PUBLIC), 0.25),
    (str(Visibility.MEMBERS), 0.45),
    (str(Visibility.GROUP), 0.15),
    (str(Visibility.RESTRICTED), 0.15),
)
ALERT_VISIBILITY_MIX = (
    (str(Visibility.PUBLIC), 0.20),
    (str(Visibility.MEMBERS), 0.35),
    (str(Visibility.GROUP), 0.15),
    (str(Visibility.RESTRICTED), 0.30),
)

# code, relative weight (about the population), capital, time zone, local language
COUNTRIES = (
    ("AL", 3, "Tirana", "Europe/Tirane", "sq"),
    ("AM", 3, "Yerevan", "Asia/Yerevan", "hy"),
    ("AT", 9, "Vienna", "Europe/Vienna", "de"),
    ("AZ", 5, "Baku", "Asia/Baku", "az"),
    ("BA", 3, "Sarajevo", "Europe/Sarajevo", "bs"),
    ("BE", 11, "Brussels", "Europe/Brussels", "nl"),
    ("BG", 7, "Sofia", "Europe/Sofia", "bg"),
    ("BY", 5, "Minsk", "Europe/Minsk", "be"),
    ("CH", 9, "Bern", "Europe/Zurich", "de"),
    ("CY", 2, "Nicosia", "Asia/Nicosia", "el"),
    ("CZ", 10, "Prague", "Europe/Prague", "cs"),
    ("DE", 40, "Berlin", "Europe/Berlin", "de"),
    ("DK", 6, "Copenhagen", "Europe/Copenhagen", "da"),
    ("EE", 2, "Tallinn", "Europe/Tallinn", "et"),
    ("ES", 28, "Madrid", "Europe/Madrid", "es"),
    ("FI", 6, "Helsinki", "Europe/Helsinki", "fi"),
    ("FR", 35, "Paris", "Europe/Paris", "fr"),
    ("GB", 35, "London", "Europe/London", "en"),
    ("GE", 4, "Tbilisi", "Asia/Tbilisi", "ka"),
    ("GR", 10, "Athens", "Europe/Athens", "el"),
    ("HR", 4, "Zagreb", "Europe/Zagreb", "hr"),
    ("HU", 12, "Budapest", "Europe/Budapest", "hu"),
    ("IE", 5, "Dublin", "Europe/Dublin", "en"),
    ("IS", 1, "Reykjavik", "Atlantic/Reykjavik", "is"),
    ("IT", 30, "Rome", "Europe/Rome", "it"),
    ("LT", 3, "Vilnius", "Europe/Vilnius", "lt"),
    ("LU", 1, "Luxembourg", "Europe/Luxembourg", "fr"),
    ("LV", 2, "Riga", "Europe/Riga", "lv"),
    ("MD", 3, "Chisinau", "Europe/Chisinau", "ro"),
    ("ME", 1, "Podgorica", "Europe/Podgorica", "sr"),
    ("MK", 2, "Skopje", "Europe/Skopje", "mk"),
    ("MT", 1, "Valletta", "Europe/Malta", "mt"),
    ("NL", 16, "Amsterdam", "Europe/Amsterdam", "nl"),
    ("NO", 5, "Oslo", "Europe/Oslo", "no"),
    ("PL", 25, "Warsaw", "Europe/Warsaw", "pl"),
    ("PT", 10, "Lisbon", "Europe/Lisbon", "pt"),
    ("RO", 14, "Bucharest", "Europe/Bucharest", "ro"),
    ("RS", 6, "Belgrade", "Europe/Belgrade", "sr"),
    ("SE", 10, "Stockholm", "Europe/Stockholm", "sv"),
    ("SI", 2, "Ljubljana", "Europe/Ljubljana", "sl"),
    ("SK", 5, "Bratislava", "Europe/Bratislava", "sk"),
    ("TR", 30, "Ankara", "Europe/Istanbul", "tr"),
    ("UA", 20, "Kyiv", "Europe/Kyiv", "uk"),
)

# Fictional names: syllables and words combined at random, plainly made up.
GIVEN_START = ("A", "Be", "Ca", "Da", "E", "Fe", "Ga", "Ha", "I", "Jo", "Ka", "Le", "Mi", "No", "O", "Pa", "Ra")
GIVEN_START += ("Si", "Ta", "U", "Va", "Zo", "Ély", "Ste", "Dra", "Mar", "Ilo")
GIVEN_MIDDLE = ("la", "ri", "na", "to", "mi", "ren", "dor", "lin", "sa", "vo", "ne", "ka", "")
GIVEN_END = ("", "a", "o", "en", "ik", "e", "is", "ja", "na", "el")
FAMILY_START = ("Vel", "Mar", "Kor", "Dun", "Bra", "Sol", "Tem", "Rav", "Lin", "Ost", "Hal", "Nor", "Pet", "Zar")
FAMILY_START += ("Gol", "Fen", "Quel", "Dar", "Mir", "Tor", "Sza", "Ví")
FAMILY_MIDDLE = ("an", "e", "o", "i", "ar", "en", "ul", "")
FAMILY_END = ("ski", "ova", "sen", "berg", "escu", "idis", "ić", "mann", "ier", "elli", "son", "ová", "ek", "ás")
FAMILY_END += ("oglu", "yan", "ens", "ault")
PRONOUNS = ("she/her", "he/him", "they/them", "", "", "")
ORG_ADJECTIVES = ("Open", "Civic", "Northern", "Free", "Bright", "Common", "Silver", "Steady", "Clear", "Quiet")
ORG_ADJECTIVES += ("Brave", "Green", "Blue", "Amber", "Granite", "Harbour", "Southern", "Eastern", "Western")
ORG_NOUNS = ("Lantern", "Bridge", "Compass", "Anchor", "Beacon", "Meadow", "Lattice", "Horizon", "Keystone")
ORG_NOUNS += ("Orchard", "Signal", "Tideline", "Junction", "Commons", "Kite", "Hearth", "Riverbank", "Loom")
ORG_KINDS = ("Foundation", "Rights Centre", "Legal Defence Network", "Watch", "Collective", "Institute")
ORG_KINDS += ("Alliance", "Helpline", "Law Clinic", "Press Freedom Trust", "Association", "Observatory")
ROLES = ("Executive director", "Head of advocacy", "Senior lawyer", "Campaigns lead", "Policy officer")
ROLES += ("Communications manager", "Programme director", "Researcher", "Litigation coordinator", "Co-director")
THEMES = (
    ("rule-of-law", "Rule of law"),
    ("civic-space", "Civic space"),
    ("media-freedom", "Media freedom"),
    ("migration", "Migration and asylum"),
    ("anti-discrimination", "Anti-discrimination"),
    ("lgbtiq-rights", "LGBTIQ+ rights"),
    ("womens-rights", "Women's rights"),
    ("digital-rights", "Digital rights"),
    ("detention", "Detention and torture prevention"),
    ("roma-rights", "Roma rights"),
    ("environment", "Environmental defenders"),
    ("anti-corruption", "Anti-corruption"),
)
COMPETENCIES = (
    "Advocacy towards EU bodies",
    "EU policy-making",
    "Strategic litigation",
    "Campaigning and media",
    "Public speaking",
    "Coalition building",
    "Digital security",
    "Nonprofit management",
    "Fundraising",
    "Monitoring and documentation",
)
CAMP_THEMES = ("Kick-off", "Litigation lab", "Media and narratives", "Brussels advocacy", "Security and care")
CAMP_THEMES += ("Coalitions", "Funding resilience", "Campaign sprint", "Strategy retreat", "Graduation")
SESSION_WORDS = ("Mapping", "Drafting", "Pitching", "Defending", "Framing", "Building", "Testing", "Planning")
SESSION_TOPICS = ("a shadow report", "an amicus brief", "a joint letter", "a rapid response", "a media line")
SESSION_TOPICS += ("a coalition", "a funding plan", "a threat model", "an advocacy ask", "a campaign timeline")
TACTIC_PHRASES = (
    "foreign agent register",
    "tax audit of NGOs",
    "SLAPP by a state company",
    "ban on public assembly",
    "smear campaign in aligned media",
    "spyware targeting lawyers",
    "funding freeze for watchdogs",
    "raid on offices",
)
ALERT_CATEGORIES = tuple(Alert.Category.values)
PERPETRATORS = tuple(Alert.Perpetrator.values)
SEVERITIES = tuple(Alert.Severity.values)
UPDATE_KINDS = tuple(AlertUpdate.Kind.values)
WEEKDAY_HOURS = (9, 11, 14, 16)


def count(name: str, factor: float) -> int:
    """How many rows of `name` a factor asks for (never zero)."""
    return max(1, round(EUROPE[name] * factor))


class AlreadyGenerated(Exception):
    """The database already holds a generated data set."""


@dataclass
class Summary:
    tables: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(rows for _, rows, _ in self.tables)


class _Writer:
    """Streams rows into one table: COPY on PostgreSQL, executemany on SQLite; prints the progress."""

    def __init__(self, out, summary: Summary):
        self.out = out
        self.summary = summary
        self.postgres = connection.vendor == "postgresql"
        self.tables_with_ids: list[str] = []
        self.models: list = []

    def first_id(self, model) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def _converter(self, model_field) -> Callable | None:
        if isinstance(model_field, EncryptedTextField):
            context = model_field.crypto_context
            return lambda value: encrypt_text(value, context=context) if value else value
        internal = model_field.get_internal_type()
        if internal == "JSONField":
            if self.postgres:
                from psycopg.types.json import Jsonb

                return Jsonb
            return json.dumps
        if not self.postgres and internal == "DateTimeField":
            return connection.ops.adapt_datetimefield_value
        if not self.postgres and internal == "DateField":
            return connection.ops.adapt_datefield_value
        return None

    def write(self, label: str, model, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Write `rows` (tuples in the order of `columns`, attnames of `model`); returns how many."""
        started = time.monotonic()
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        converters = [(i, c) for i, name in enumerate(columns) if (c := self._converter(by_attname[name]))]
        if converters:
            rows = self._converted(rows, converters)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(by_attname[c].column) for c in columns)
        written = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
                iterator = iter(rows)
                while batch := list(itertools.islice(iterator, 2000)):
                    cursor.executemany(sql, batch)
                    written += len(batch)
        if model not in self.models:
            self.models.append(model)
        if "id" in columns and model._meta.db_table not in self.tables_with_ids:
            self.tables_with_ids.append(model._meta.db_table)
        seconds = time.monotonic() - started
        self.summary.tables.append((label, written, seconds))
        rate = written / seconds if seconds > 0 else float("inf")
        self.out.write(f"  {label:<34} {written:>10,} rows {seconds:7.1f} s {rate:>11,.0f} rows/s")
        return written

    @staticmethod
    def _converted(rows: Iterable[tuple], converters) -> Iterator[list]:
        for row in rows:
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
            yield row

    def move_sequences(self) -> None:
        """PostgreSQL: move each identity sequence past the ids written here."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in self.tables_with_ids:
                quoted = connection.ops.quote_name(table)
                sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {quoted}))"  # noqa: S608
                cursor.execute(sql, [table])


def _through(model, name: str):
    """The through model of a many-to-many field and its two column attnames (this side, other side)."""
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    return through, (m2m.m2m_column_name(), m2m.m2m_reverse_name())


@dataclass
class _Org:
    id: int
    name: str
    country: str
    themes: tuple[int, ...]


@dataclass
class _Person:
    id: int
    name: str
    organisation: _Org | None
    user_id: int | None


class Generator:
    """One run: remembers the ids it wrote so that later tables can point at them."""

    def __init__(self, *, factor: float, seed: int, out):
        self.factor = factor
        self.rng = random.Random(seed)  # noqa: S311  (made-up data that must repeat for a seed, not secrets)
        self.out = out
        self.summary = Summary()
        self.writer = _Writer(out, self.summary)
        self.today = dt.date(2026, 11, 1)  # fixed, so a seed always gives the same data
        self.now = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
        self.country_codes = [c[0] for c in COUNTRIES]
        self.country_weights = list(itertools.accumulate(c[1] for c in COUNTRIES))
        self.capital = {c[0]: c[2] for c in COUNTRIES}
        self.zone = {c[0]: c[3] for c in COUNTRIES}
        self.language = {c[0]: c[4] for c in COUNTRIES}

    # -- helpers ----------------------------------------------------------------------------------

    def n(self, name: str) -> int:
        return count(name, self.factor)

    def country(self) -> str:
        return self.rng.choices(self.country_codes, cum_weights=self.country_weights)[0]

    def visibility(self, mix=VISIBILITY_MIX) -> str:
        roll = self.rng.random()
        for level, share in mix:
            roll -= share
            if roll < 0:
                return level
        return mix[-1][0]

    def moment(self, start: dt.datetime, days: int) -> dt.datetime:
        return start + dt.timedelta(seconds=self.rng.randrange(max(1, days * 86400)))

    def person_name(self) -> str:
        r = self.rng
        given = r.choice(GIVEN_START) + r.choice(GIVEN_MIDDLE) + r.choice(GIVEN_END)
        family = r.choice(FAMILY_START) + r.choice(FAMILY_MIDDLE) + r.choice(FAMILY_END)
        return f"{given} {family}"

    def write(self, label, model, columns, rows) -> int:
        return self.writer.write(label, model, columns, rows)

    def audience(self, model, rows: list[tuple[int, str, _Person | None, int | None]]) -> None:
        """Audience lists of `model` records: (record id, level, a named person, a working group id).

        A group record names its working group; a restricted one names the person and their organisation.
        """
        label = model._meta.verbose_name_plural
        through, (own, other) = _through(model, "allowed_people")
        self.write(
            f"{label}: allowed people",
            through,
            (own, other),
            ((rid, p.id) for rid, level, p, _ in rows if level == Visibility.RESTRICTED and p),
        )
        through, (own, other) = _through(model, "allowed_organisations")
        self.write(
            f"{label}: allowed organisations",
            through,
            (own, other),
            (
                (rid, p.organisation.id)
                for rid, level, p, _ in rows
                if level == Visibility.RESTRICTED and p and p.organisation
            ),
        )
        through, (own, other) = _through(model, "allowed_groups")
        self.write(
            f"{label}: allowed groups",
            through,
            (own, other),
            ((rid, g) for rid, level, _, g in rows if level == Visibility.GROUP and g),
        )

    # -- the run ----------------------------------------------------------------------------------

    def run(self) -> Summary:
        self.themes()
        self.organisations()
        self.people()
        self.programmes()
        self.camps_and_sessions()
        self.learning()
        self.working_groups()
        self.registrations()
        self.alerts()
        self.alliance()
        self.library_and_monitor()
        self.search_index()
        self.writer.move_sequences()
        return self.summary

    def themes(self) -> None:
        ids = []
        for slug, name in THEMES:
            theme, _ = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
            ids.append(theme.pk)
        self.theme_ids = ids
        self.theme_names = dict(Theme.objects.filter(pk__in=ids).values_list("pk", "name"))

    def organisations(self) -> None:
        r = self.rng
        first = self.writer.first_id(Organisation)
        self.orgs: list[_Org] = []
        rows = []
        sizes = ("small", "small", "small", "medium", "medium", "large")
        for i in range(self.n("organisations")):
            country = self.country()
            name = f"{r.choice(ORG_ADJECTIVES)} {r.choice(ORG_NOUNS)} {r.choice(ORG_KINDS)}"
            if r.random() < 0.5:
                name = f"{name} {self.capital[country]}"
            themes = tuple(r.sample(self.theme_ids, r.randint(1, 3)))
            org = _Org(first + i, name, country, themes)
            self.orgs.append(org)
            slug = f"{SLUG_PREFIX}{slugify(name)[:150]}-{i + 1}"
            description = (
                f"{name} is a fictional civic organisation in {self.capital[country]} working on "
                + " and ".join(self.theme_names[t].lower() for t in themes)
                + "."
            )
            rows.append(
                (
                    org.id,
                    name,
                    slug,
                    country,
                    self.capital[country],
                    f"https://{slug}.example.org/",
                    r.choice(sizes),
                    description,
                    self.moment(self.now - dt.timedelta(days=3650), 3600),
                )
            )
        columns = ("id", "name", "slug", "country", "city", "website", "size", "description", "created_at")
        self.write("organisations", Organisation, columns, rows)
        through, cols = _through(Organisation, "themes")
        self.write("organisation themes", through, cols, ((o.id, t) for o in self.orgs for t in o.themes))

    def people(self) -> None:
        r = self.rng
        total = self.n("people")
        members = max(1, round(total * MEMBER_SHARE))
        first_person = self.writer.first_id(Person)
        first_user = self.writer.first_id(User)
        self.people_list: list[_Person] = []
        person_rows, user_rows, expertise = [], [], []
        for i in range(total):
            name = self.person_name()
            org = r.choice(self.orgs) if r.random() < 0.92 else None
            user_id = first_user + i if i < members else None
            person = _Person(first_person + i, name, org, user_id)
            self.people_list.append(person)
            country = org.country if org and r.random() < 0.9 else self.country()
            joined = self.moment(self.now - dt.timedelta(days=3000), 2990)
            if user_id:
                user_rows.append(
                    (
                        user_id,
                        f"!{r.getrandbits(160):040x}",  # unusable: nobody signs in as a generated person
                        joined,
                        f"{SLUG_PREFIX}member-{i + 1}@example.org",
                        name,
                        False,
                        False,
                        True,
                        False,
                    )
                )
            themes = r.sample(self.theme_ids, r.randint(1, 3))
            expertise.extend((person.id, t) for t in themes)
            role = r.choice(ROLES)
            bio = (
                f"{role} working on "
                + " and ".join(self.theme_names[t].lower() for t in themes)
                + f" in {self.capital[country]}. A fictional profile."
            )
            person_rows.append(
                (
                    person.id,
                    user_id,
                    name,
                    f"{SLUG_PREFIX}{slugify(name)}-{i + 1}",
                    r.choice(PRONOUNS),
                    org.id if org else None,
                    role,
                    country,
                    "en," + self.language[country],
                    bio,
                    r.random() < 0.3,
                    joined,
                )
            )
        self.person_role = {p[0]: p[6] for p in person_rows}
        self.person_bio = {p[0]: p[9] for p in person_rows}
        self.expertise = expertise
        self.members = self.people_list[:members]
        user_columns = ("id", "password", "date_joined", "email", "name")
        user_columns += ("is_superuser", "is_staff", "is_active", "travel_mode")
        self.write("accounts (unusable passwords)", User, user_columns, user_rows)
        columns = ("id", "user_id", "name", "slug", "pronouns", "organisation_id", "role", "country", "languages")
        columns += ("bio", "public_profile", "created_at")
        self.write("people", Person, columns, person_rows)
        through, cols = _through(Person, "expertise")
        self.write("people's expertise", through, cols, expertise)

    def programmes(self) -> None:
        total = self.n("programmes")
        first = self.writer.first_id(Programme)
        origin = dt.date(2012, 1, 1)
        span = (dt.date(2027, 6, 1) - origin).days
        self.programme_rows = []
        for i in range(total):
            starts = origin + dt.timedelta(days=span * i // total)
            ends = starts + dt.timedelta(days=600)
            status = "upcoming" if starts > self.today else "completed" if ends < self.today else "running"
            self.programme_rows.append((first + i, starts, ends, status))
        rows = (
            (
                pid,
                f"Synthetic cohort {i + 1} ({starts.year}-{ends.year})",
                f"{SLUG_PREFIX}cohort-{i + 1}",
                i + 1,
                starts,
                ends,
                status,
                "A generated programme edition for trying the platform at size; everyone in it is fictional.",
            )
            for i, (pid, starts, ends, status) in enumerate(self.programme_rows)
        )
        columns = ("id", "name", "slug", "cohort", "starts_on", "ends_on", "status", "summary")
        self.write("programmes", Programme, columns, rows)

        # Memberships: members are dealt out programme by programme, so most hold one role and some two.
        first_membership = self.writer.first_id(Membership)
        wanted = sum(k for _, k in ROLES_PER_PROGRAMME)
        per_programme = min(wanted, len(self.members))
        self.cohort: dict[int, list[_Person]] = {}
        self.experts: dict[int, list[_Person]] = {}
        self.team: dict[int, list[_Person]] = {}
        rows = []
        cursor = 0
        for pid, starts, _ends, status in self.programme_rows:
            chosen = [self.members[(cursor + k) % len(self.members)] for k in range(per_programme)]
            cursor += per_programme
            offset = 0
            for role, k in ROLES_PER_PROGRAMME:
                k = max(1, round(k * per_programme / wanted))
                group = chosen[offset : offset + k]
                offset += k
                if role == "cohort":
                    self.cohort[pid] = group
                    role = Membership.Role.ALUMNI if status == "completed" else Membership.Role.PARTICIPANT
                elif role == "expert":
                    self.experts[pid] = group
                elif role in ("team", "duty_officer"):
                    self.team.setdefault(pid, []).extend(group)
                created = dt.datetime.combine(starts, dt.time(10), tzinfo=dt.UTC)
                rows.extend((pid, p.id, role, created) for p in group)
        self.duty_officers = [p for ps in self.team.values() for p in ps]
        rows = [(first_membership + i, *row) for i, row in enumerate(rows)]
        self.write("memberships", Membership, ("id", "programme_id", "person_id", "role", "created_at"), rows)
        self.membership_count = len(rows)

    def camps_and_sessions(self) -> None:
        r = self.rng
        total = self.n("camps")
        first = self.writer.first_id(Camp)
        programmes = self.programme_rows
        self.camps_of: dict[int, list[tuple[int, dt.date, str]]] = {pid: [] for pid, *_ in programmes}
        rows = []
        for i in range(total):
            pid, starts, _ends, _status = programmes[i % len(programmes)]
            number = i // len(programmes) + 1
            per = math.ceil(total / len(programmes))
            camp_start = starts + dt.timedelta(days=(number - 1) * 580 // max(1, per))
            country = self.country()
            camp_id = first + i
            self.camps_of[pid].append((camp_id, camp_start, country))
            theme = CAMP_THEMES[(number - 1) % len(CAMP_THEMES)]
            rows.append(
                (
                    camp_id,
                    pid,
                    number,
                    f"{SLUG_PREFIX}cohort-{i % len(programmes) + 1}-camp-{number}",
                    f"{theme} in {self.capital[country]}",
                    self.capital[country],
                    country,
                    f"Conference centre {r.randint(1, 40)}",
                    f"{r.choice(self.orgs).name}",
                    r.choice(("in_person", "in_person", "in_person", "hybrid", "online")),
                    camp_start,
                    camp_start + dt.timedelta(days=2),
                    f"Camp {number} of a generated cohort: {theme.lower()}.",
                    "Arrive the evening before; the venue is step-free.",
                    "",
                    self.zone[country],
                    dt.datetime.combine(camp_start - dt.timedelta(days=14), dt.time(23, 59), tzinfo=dt.UTC),
                    True,
                )
            )
        columns = ("id", "programme_id", "number", "slug", "title", "city", "country", "venue", "host", "format")
        columns += ("starts_on", "ends_on", "summary", "logistics", "report", "time_zone", "registration_deadline")
        columns += ("illustrative",)
        self.write("camps", Camp, columns, rows)
        self.camp_programme = {camp_id: pid for pid, camps in self.camps_of.items() for camp_id, _, _ in camps}

        sessions_total = self.n("sessions")
        first_session = self.writer.first_id(Session)
        camp_rows = [(c[0], c[10]) for c in rows]
        kinds = Session.Kind.values
        self.sessions_of: dict[int, list[int]] = {}
        session_rows, speakers = [], []
        for i in range(sessions_total):
            camp_id, camp_start = camp_rows[i % len(camp_rows)]
            slot = i // len(camp_rows)
            day, hour = divmod(slot, len(WEEKDAY_HOURS))
            starts_at = dt.datetime.combine(
                camp_start + dt.timedelta(days=day % 3), dt.time(WEEKDAY_HOURS[hour] - 1), tzinfo=dt.UTC
            )
            sid = first_session + i
            self.sessions_of.setdefault(camp_id, []).append(sid)
            session_rows.append(
                (
                    sid,
                    camp_id,
                    r.choice(kinds),
                    f"{r.choice(SESSION_WORDS)} {r.choice(SESSION_TOPICS)}",
                    "Hands-on work in small groups, then a plenary.",
                    starts_at,
                    starts_at + dt.timedelta(minutes=90),
                    f"Room {r.randint(1, 12)}",
                    "",
                )
            )
            experts = self.experts.get(self.camp_programme[camp_id]) or self.members
            speakers.extend((sid, p.id) for p in r.sample(experts, min(len(experts), r.randint(1, 2))))
        columns = ("id", "camp_id", "kind", "title", "description", "starts_at", "ends_at", "room", "notes")
        self.write("sessions", Session, columns, session_rows)
        through, cols = _through(Session, "speakers")
        self.write("session speakers", through, cols, speakers)
        through, cols = _through(Session, "themes")
        self.write("session themes", through, cols, ((row[0], r.choice(self.theme_ids)) for row in session_rows))
        self.session_rows = session_rows

    def learning(self) -> None:
        """Competencies, assessment rounds, self-assessments and their ratings (the assessment rows)."""
        r = self.rng
        first = self.writer.first_id(Competency)
        self.competencies: dict[int, list[int]] = {}
        rows = []
        for pid, *_ in self.programme_rows:
            ids = list(range(first + len(rows), first + len(rows) + COMPETENCIES_PER_PROGRAMME))
            self.competencies[pid] = ids
            for position, (cid, name) in enumerate(zip(ids, COMPETENCIES, strict=True)):
                rows.append((cid, pid, name, slugify(name), f"{name}, as the programme trains it.", position, False))
        columns = ("id", "programme_id", "name", "slug", "description", "position", "retired")
        self.write("competencies", Competency, columns, rows)
        through, cols = _through(Session, "competencies")
        self.write(
            "session competencies",
            through,
            cols,
            ((s[0], r.choice(self.competencies[self.camp_programme[s[1]]])) for s in self.session_rows),
        )

        first_round = self.writer.first_id(AssessmentRound)
        round_rows = []
        for pid, starts, ends, _ in self.programme_rows:
            opening = dt.datetime.combine(starts, dt.time(9), tzinfo=dt.UTC)
            moments = {
                AssessmentRound.Kind.NEEDS: opening - dt.timedelta(days=21),
                AssessmentRound.Kind.BASELINE: opening,
                AssessmentRound.Kind.MIDTERM: opening + dt.timedelta(days=300),
                AssessmentRound.Kind.END: dt.datetime.combine(ends, dt.time(9), tzinfo=dt.UTC),
            }
            for kind in FIXED_ROUNDS:
                round_rows.append((pid, kind, None, moments[kind]))
            for camp_id, camp_start, _ in self.camps_of[pid]:
                after = dt.datetime.combine(camp_start + dt.timedelta(days=3), dt.time(9), tzinfo=dt.UTC)
                round_rows.append((pid, AssessmentRound.Kind.AFTER_CAMP, camp_id, after))
        round_rows = [
            (first_round + i, pid, kind, camp, opens, opens + dt.timedelta(days=21), opens)
            for i, (pid, kind, camp, opens) in enumerate(round_rows)
        ]
        columns = ("id", "programme_id", "kind", "camp_id", "opens_at", "closes_at", "created_at")
        self.write("assessment rounds", AssessmentRound, columns, round_rows)

        # Enough answers for the wanted number of ratings: each (round, cohort member) pair answers with
        # the same probability, so the rows spread over every programme and round.
        wanted = self.n("ratings")
        capacity = sum(len(self.cohort[row[1]]) * COMPETENCIES_PER_PROGRAMME for row in round_rows)
        share = min(1.0, wanted * 1.02 / max(1, capacity))
        first_answer = self.writer.first_id(SelfAssessment)
        answers: list[tuple] = []
        for rid, pid, kind, _camp, opens, _closes, _ in round_rows:
            for person in self.cohort[pid]:
                if r.random() < share:
                    answers.append((rid, pid, kind, person, self.moment(opens, 20)))
        self.answers = answers

        def answer_rows():
            for i, (rid, _pid, kind, person, at) in enumerate(answers):
                expectations = "I hope to learn how to bring our cases to European bodies." if kind == "needs" else ""
                yield (first_answer + i, rid, person.id, expectations, at, at, person.user_id)

        columns = ("id", "round_id", "person_id", "expectations", "submitted_at", "updated_at", "submitted_by_id")
        self.write("self-assessments", SelfAssessment, columns, answer_rows())

        def rating_rows():
            for i, (_rid, pid, _kind, person, _at) in enumerate(answers):
                base = 1 + person.id % 3
                for position, cid in enumerate(self.competencies[pid]):
                    level = min(5, base + (position + i) % 3 // 2 + (r.random() < 0.3))
                    yield (first_answer + i, cid, level)

        self.write("assessment ratings", Rating, ("assessment_id", "competency_id", "level"), rating_rows())
        through, cols = _through(SelfAssessment, "priorities")
        self.write(
            "needs priorities",
            through,
            cols,
            (
                (first_answer + i, cid)
                for i, (_rid, pid, kind, _p, _at) in enumerate(answers)
                if kind == "needs"
                for cid in r.sample(self.competencies[pid], 2)
            ),
        )

    def working_groups(self) -> None:
        r = self.rng
        total = self.n("working_groups")
        first = self.writer.first_id(WorkingGroup)
        self.groups_of: dict[int, list[int]] = {}
        self.group_members: dict[int, list[_Person]] = {}
        rows, members, organisations, audience = [], [], [], []
        for i in range(total):
            pid = self.programme_rows[i % len(self.programme_rows)][0]
            gid = first + i
            theme = self.theme_ids[i % len(self.theme_ids)]
            people = r.sample(self.cohort[pid], min(len(self.cohort[pid]), 8))
            self.groups_of.setdefault(pid, []).append(gid)
            self.group_members[gid] = people
            level = self.visibility()
            rows.append(
                (
                    gid,
                    level,
                    pid,
                    f"{self.theme_names[theme]} group {i + 1}",
                    f"{SLUG_PREFIX}group-{i + 1}",
                    theme,
                    people[0].id if people else None,
                    "Joint advocacy across borders on the group's theme.",
                    "A joint brief (fictional)." if level == Visibility.PUBLIC else "",
                )
            )
            members.extend((gid, p.id) for p in people)
            orgs = {p.organisation.id for p in people[:4] if p.organisation}
            organisations.extend((gid, o) for o in sorted(orgs))
            audience.append((gid, level, people[0] if people else None, gid))
        columns = ("id", "visibility", "programme_id", "name", "slug", "theme_id", "convener_id", "purpose")
        columns += ("public_output",)
        self.write("working groups", WorkingGroup, columns, rows)
        through, cols = _through(WorkingGroup, "members")
        self.write("working group members", through, cols, members)
        through, cols = _through(WorkingGroup, "organisations")
        self.write("working group organisations", through, cols, organisations)
        self.audience(WorkingGroup, audience)
        self.all_groups = [row[0] for row in rows]

    def registrations(self) -> None:
        r = self.rng
        first = self.writer.first_id(Registration)

        def rows():
            i = 0
            for pid, camps in self.camps_of.items():
                cohort = self.cohort[pid]
                for camp_id, camp_start, _country in camps:
                    for person in cohort:
                        if r.random() > 0.8:
                            continue
                        created = dt.datetime.combine(camp_start - dt.timedelta(days=30), dt.time(8), tzinfo=dt.UTC)
                        yield (
                            first + i,
                            camp_id,
                            person.id,
                            "cancelled" if r.random() < 0.05 else "registered",
                            camp_start - dt.timedelta(days=1),
                            camp_start + dt.timedelta(days=3),
                            r.random() < 0.85,
                            "Travelling by train; needs a visa letter." if r.random() < 0.3 else "",
                            "A quiet room, please." if r.random() < 0.2 else "",
                            r.choice(("Vegetarian", "Vegan", "No nuts", "Halal")) if r.random() < 0.3 else "",
                            "Step-free access." if r.random() < 0.05 else "",
                            created,
                            created,
                        )
                        i += 1

        columns = ("id", "camp_id", "person_id", "status", "arrives_on", "departs_on", "needs_accommodation")
        columns += ("travel_needs", "accommodation_needs", "dietary_needs", "access_needs", "created_at", "updated_at")
        self.write("camp registrations", Registration, columns, rows())

    def alerts(self) -> None:
        r = self.rng
        total = self.n("alerts")
        first = self.writer.first_id(Alert)
        statuses = (("reported", 0.1), ("verified", 0.25), ("active", 0.3), ("resolved", 0.2), ("closed", 0.15))
        status_values = [s for s, _ in statuses]
        status_weights = list(itertools.accumulate(w for _, w in statuses))
        duty = self.duty_officers or self.members
        start = self.now - dt.timedelta(days=6 * 365)
        alert_meta: list[tuple[int, str, _Person, int | None]] = []
        alert_created: list[dt.datetime] = []
        answerable: list[int] = []  # verified alerts, the ones members respond to
        affected: list[tuple[int, int]] = []

        def rows():
            for i in range(total):
                aid = first + i
                country = self.country()
                level = self.visibility(ALERT_VISIBILITY_MIX)
                status = r.choices(status_values, cum_weights=status_weights)[0]
                reporter = r.choice(self.members)
                created = self.moment(start, 6 * 365 - 1)
                verifier = r.choice(duty) if status != "reported" else None
                category = r.choice(ALERT_CATEGORIES)
                tactic = r.choice(TACTIC_PHRASES)
                target = r.choice(self.orgs)
                group = r.choice(self.all_groups) if level == Visibility.GROUP else None
                alert_meta.append((aid, level, reporter, group))
                alert_created.append(created)
                if status != "reported":
                    answerable.append(i)
                affected.append((aid, target.id))
                other = r.choice(self.orgs)
                if r.random() < 0.3 and other.id != target.id:
                    affected.append((aid, other.id))
                yield (
                    aid,
                    level,
                    country,
                    created.date() - dt.timedelta(days=r.randint(0, 10)),
                    category,
                    tactic,
                    r.choice(PERPETRATORS),
                    r.choice(SEVERITIES),
                    f"{category.replace('_', ' ').capitalize()} against {target.name}",
                    f"Fictional case: {tactic} reported in {self.capital[country]}.",
                    f"Names of the staff involved and the lawyer's notes (case {aid}).",
                    "https://news.example.org/story\nA statement of the organisation",
                    status,
                    reporter.user_id,
                    verifier.user_id if verifier else None,
                    created + dt.timedelta(hours=r.randint(1, 72)) if verifier else None,
                    "Checked against two independent sources." if verifier else "",
                    created,
                    created,
                    0,  # the pledge counters, counted once the pledges are in (`count_pledges`)
                    0,
                    None,
                )

        columns = ("id", "visibility", "country", "occurred_on", "category", "tactic", "perpetrator", "severity")
        columns += ("title", "summary", "details", "sources", "status", "reporter_id", "verified_by_id")
        columns += ("verified_at", "verification_reasons", "created_at", "updated_at")
        columns += ("live_pledges", "done_pledges", "first_pledge_at")
        self.write("alerts", Alert, columns, rows())
        through, cols = _through(Alert, "affected_organisations")
        self.write("alert affected organisations", through, cols, affected)
        self.audience(Alert, alert_meta)

        updates = self.n("alert_updates")
        first_update = self.writer.first_id(AlertUpdate)
        self.write(
            "alert updates",
            AlertUpdate,
            ("id", "alert_id", "kind", "text", "is_public", "author_id", "created_at"),
            (
                (
                    first_update + i,
                    first + index,
                    r.choice(UPDATE_KINDS),
                    "The authorities replied; the case continues.",
                    r.random() < 0.5,
                    r.choice(duty).user_id,
                    alert_created[index] + dt.timedelta(hours=r.randint(2, 2000)),
                )
                for i, index in enumerate(r.choices(answerable or range(total), k=updates))
            ),
        )

        pledges = self.n("pledges")
        first_pledge = self.writer.first_id(Pledge)
        kinds = Pledge.Kind.values

        def pledge_rows():
            # Responses come within days of an alert, most of them in the first two.
            for i, index in enumerate(r.choices(answerable or range(total), k=pledges)):
                aid = first + index
                person = r.choice(self.members)
                created = alert_created[index] + dt.timedelta(hours=1 + int(r.expovariate(1 / 40)))
                roll = r.random()
                status = "done" if roll < 0.45 else "pledged" if roll < 0.9 else "withdrawn"
                yield (
                    first_pledge + i,
                    aid,
                    person.organisation.id if person.organisation else None,
                    person.user_id,
                    person.id,
                    r.choice(kinds),
                    "We will raise it with our embassy." if r.random() < 0.3 else "",
                    status,
                    f"Letter sent, reference {aid}-{i}." if status == "done" else "",
                    "",
                    "",
                    "",
                    created + dt.timedelta(days=r.randint(1, 30)) if status == "done" else None,
                    created,
                    created,
                )

        columns = ("id", "alert_id", "organisation_id", "pledged_by_id", "person_id", "kind", "note", "status")
        columns += ("evidence", "evidence_file", "evidence_filename", "evidence_content_type", "done_at")
        columns += ("created_at", "updated_at")
        self.write("pledges", Pledge, columns, pledge_rows())
        self.count_pledges(first)

    def count_pledges(self, first_alert: int) -> None:
        """The alerts' pledge counters (kept by `Pledge.save` in normal use) in one grouped UPDATE."""
        started = time.monotonic()
        alert, pledge = Alert._meta.db_table, Pledge._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {alert} SET live_pledges = c.live, done_pledges = c.done, first_pledge_at = c.first
                FROM (SELECT alert_id,
                             COUNT(*) FILTER (WHERE status IN ('pledged', 'done')) AS live,
                             COUNT(*) FILTER (WHERE status = 'done') AS done,
                             MIN(created_at) FILTER (WHERE status IN ('pledged', 'done')) AS first
                      FROM {pledge} WHERE alert_id >= %s GROUP BY alert_id) AS c
                WHERE {alert}.id = c.alert_id""",  # noqa: S608 - table names from the models
                [first_alert],
            )
            counted = cursor.rowcount
        self.out.write(f"  {'alert pledge counters':<34} {counted:>10,} rows {time.monotonic() - started:7.1f} s")

    def alliance(self) -> None:
        """The action plan, decisions and joint statements."""
        r = self.rng
        issues = self.n("priority_issues")
        first_issue = self.writer.first_id(PriorityIssue)
        self.write(
            "plan priority issues",
            PriorityIssue,
            ("id", "title", "description", "position"),
            (
                (first_issue + i, f"{THEMES[i % len(THEMES)][1]} priority {i + 1}", "A shared priority.", 100 + i)
                for i in range(issues)
            ),
        )
        first_objective = self.writer.first_id(Objective)
        objectives = issues * 3
        self.write(
            "plan objectives",
            Objective,
            ("id", "priority_id", "title", "description", "position"),
            (
                (first_objective + i, first_issue + i // 3, f"Objective {i + 1}", "What success looks like.", i % 3)
                for i in range(objectives)
            ),
        )
        actions = self.n("actions")
        first_action = self.writer.first_id(Action)
        action_meta = []

        def action_rows():
            for i in range(actions):
                aid = first_action + i
                level = self.visibility()
                group = r.choice(self.all_groups)
                named = r.choice(self.members)
                action_meta.append((aid, level, named, group))
                status = r.choice(("planned", "in_progress", "in_progress", "done", "blocked", "dropped"))
                progress = 100 if status == "done" else r.randrange(0, 100, 10)
                created = self.moment(self.now - dt.timedelta(days=1500), 1400)
                yield (
                    aid,
                    level,
                    first_objective + r.randrange(objectives),
                    f"{r.choice(SESSION_WORDS)} {r.choice(SESSION_TOPICS)}",
                    "An action of the joint plan (fictional).",
                    group,
                    created.date() + dt.timedelta(days=r.randint(30, 400)),
                    status,
                    progress,
                    created,
                    created,
                )

        columns = ("id", "visibility", "objective_id", "title", "description", "working_group_id", "due_date")
        columns += ("status", "progress", "created_at", "updated_at")
        self.write("plan actions", Action, columns, action_rows())
        through, cols = _through(Action, "owners")
        self.write(
            "plan action owners",
            through,
            cols,
            ((aid, p.organisation.id) for aid, _, p, _ in action_meta if p.organisation),
        )
        self.audience(Action, action_meta)
        first_milestone = self.writer.first_id(Milestone)
        self.write(
            "plan milestones",
            Milestone,
            ("id", "action_id", "title", "due", "done"),
            (
                (first_milestone + i, aid, "First draft shared", None, r.random() < 0.5)
                for i, (aid, *_) in enumerate(action_meta)
            ),
        )

        proposals = self.n("proposals")
        first_proposal = self.writer.first_id(Proposal)
        proposal_meta = []
        answers = []

        def proposal_rows():
            for i in range(proposals):
                pid, starts, _ends, _status = self.programme_rows[i % len(self.programme_rows)]
                gid = r.choice(self.groups_of.get(pid) or self.all_groups)
                level = self.visibility()
                creator = r.choice(self.group_members.get(gid) or self.members)
                proposal_meta.append((first_proposal + i, level, creator, gid))
                opens = dt.datetime.combine(starts, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(days=r.randint(0, 500))
                closes = opens + dt.timedelta(days=14)
                closed = closes < self.now
                for person in self.group_members.get(gid, [])[: r.randint(2, 8)]:
                    answers.append((first_proposal + i, person.id, r.choice(("agree", "agree", "abstain", "object"))))
                yield (
                    first_proposal + i,
                    level,
                    pid,
                    gid,
                    "consent",
                    f"Proposal to co-sign {r.choice(SESSION_TOPICS)}",
                    "We propose that the group acts together on this.",
                    opens,
                    closes,
                    False,
                    "closed" if closed else "open",
                    {},
                    "Adopted by consent." if closed else "",
                    closes if closed else None,
                    creator.user_id,
                    opens,
                )

        columns = ("id", "visibility", "programme_id", "group_id", "kind", "title", "body", "opens_at", "closes_at")
        columns += ("hide_results", "status", "result", "outcome", "closed_at", "created_by_id", "created_at")
        self.write("decisions (proposals)", Proposal, columns, proposal_rows())
        self.audience(Proposal, proposal_meta)
        first_answer = self.writer.first_id(Answer)
        self.write(
            "decision answers",
            Answer,
            ("id", "proposal_id", "person_id", "position", "reason", "created_at", "updated_at"),
            (
                (first_answer + i, proposal, person, position, "", self.now, self.now)
                for i, (proposal, person, position) in enumerate(answers)
            ),
        )

        statements = self.n("statements")
        first_statement = self.writer.first_id(Statement)
        first_version = self.writer.first_id(StatementVersion)
        statement_meta = []
        statuses = ("draft", "open", "published", "published", "withdrawn")

        def statement_rows():
            for i in range(statements):
                gid = r.choice(self.all_groups)
                status = r.choice(statuses)
                level = Visibility.PUBLIC if status == "published" else self.visibility(VISIBILITY_MIX[1:])
                author = r.choice(self.group_members.get(gid) or self.members)
                statement_meta.append((first_statement + i, level, author, gid, status))
                created = self.moment(self.now - dt.timedelta(days=1500), 1400)
                yield (
                    first_statement + i,
                    level,
                    f"Joint statement on {r.choice(TACTIC_PHRASES)} ({i + 1})",
                    f"{SLUG_PREFIX}statement-{i + 1}",
                    gid,
                    created + dt.timedelta(days=21),
                    status,
                    created + dt.timedelta(days=22) if status == "published" else None,
                    author.user_id,
                    created,
                )

        columns = ("id", "visibility", "title", "slug", "group_id", "deadline", "status", "published_at")
        columns += ("created_by_id", "created_at")
        self.write("joint statements", Statement, columns, statement_rows())
        self.audience(Statement, [(sid, level, author, gid) for sid, level, author, gid, _ in statement_meta])
        self.write(
            "statement versions",
            StatementVersion,
            ("id", "statement_id", "number", "text", "author_id", "created_at"),
            (
                (
                    first_version + i,
                    sid,
                    1,
                    "We, the undersigned organisations, call on the authorities to stop the attacks.",
                    author.user_id,
                    self.now,
                )
                for i, (sid, _, author, _, _) in enumerate(statement_meta)
            ),
        )

        def signature_rows():
            for i, (sid, _, _author, _gid, status) in enumerate(statement_meta):
                if status == "draft":
                    continue
                for org in r.sample(self.orgs, min(len(self.orgs), r.randint(3, 12))):
                    yield (sid, org.id, first_version + i, self.now)

        self.write(
            "statement signatures",
            Signature,
            ("statement_id", "organisation_id", "version_id", "signed_at"),
            signature_rows(),
        )

    def library_and_monitor(self) -> None:
        r = self.rng
        resources = self.n("resources")
        first = self.writer.first_id(Resource)
        meta = []

        def resource_rows():
            for i in range(resources):
                level = self.visibility()
                meta.append((first + i, level, r.choice(self.members), r.choice(self.all_groups)))
                created = self.moment(self.now - dt.timedelta(days=2000), 1990)
                yield (
                    first + i,
                    level,
                    f"Guide: {r.choice(SESSION_WORDS).lower()} {r.choice(SESSION_TOPICS)}",
                    "link",
                    f"https://library.example.org/guide-{i + 1}",
                    "",
                    "",
                    0,
                    "A practical guide (fictional).",
                    r.choice(("en", "en", "fr", "de", "hu", "pl")),
                    created,
                    created,
                )

        columns = ("id", "visibility", "title", "kind", "url", "file", "content_type", "size", "description")
        columns += ("language", "created_at", "updated_at")
        self.write("library resources", Resource, columns, resource_rows())
        self.audience(Resource, meta)
        through, cols = _through(Resource, "competencies")
        all_competencies = [c for ids in self.competencies.values() for c in ids]
        self.write(
            "library resource competencies", through, cols, ((rid, r.choice(all_competencies)) for rid, *_ in meta)
        )

        measures = self.n("measures")
        first_measure = self.writer.first_id(Measure)
        measure_meta = []

        def measure_rows():
            for i in range(measures):
                level = self.visibility()
                measure_meta.append((first_measure + i, level, r.choice(self.members), r.choice(self.all_groups)))
                country = self.country()
                yield (
                    first_measure + i,
                    level,
                    country,
                    f"Draft law on {r.choice(TACTIC_PHRASES)} ({country}, {i + 1})",
                    r.choice(Measure.Kind.values),
                    r.choice(Measure.Status.values),
                    self.today - dt.timedelta(days=r.randint(0, 3650)),
                    "A restrictive measure (fictional).",
                    "https://gazette.example.org/act",
                    None,
                )

        columns = ("id", "visibility", "country", "title", "kind", "status", "introduced_on", "summary")
        columns += ("source_url", "tactic_id")
        self.write("restrictive measures", Measure, columns, measure_rows())
        self.audience(Measure, measure_meta)

    def search_index(self) -> None:
        """The directory's search documents for the generated people and organisations (as `rare reindex`)."""
        theme_names = self.theme_names
        expertise: dict[int, list[str]] = {}
        for person_id, theme in self.expertise:
            expertise.setdefault(person_id, []).append(theme_names[theme])
        first = self.writer.first_id(SearchDocument)

        def documents():
            i = 0
            for person in self.people_list:
                keywords = [self.person_role[person.id], person.organisation.name if person.organisation else ""]
                keywords += expertise.get(person.id, [])
                yield (
                    first + i,
                    person.id,
                    None,
                    fold(person.name),
                    fold(" ".join(k for k in keywords if k)),
                    fold(self.person_bio[person.id]),
                )
                i += 1
            for org in self.orgs:
                keywords = " ".join([self.capital[org.country], *(theme_names[t] for t in org.themes)])
                yield (first + i, None, org.id, fold(org.name), fold(keywords), "")
                i += 1

        columns = ("id", "person_id", "organisation_id", "title", "keywords", "body")
        self.write("directory search documents", SearchDocument, columns, documents())
        if connection.vendor == "postgresql":
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE community_searchdocument SET vector = "
                    "setweight(to_tsvector('simple', title), 'A') || "
                    "setweight(to_tsvector('simple', keywords), 'B') || "
                    "setweight(to_tsvector('simple', body), 'C') WHERE id >= %s",
                    [first],
                )
                written = cursor.rowcount
            seconds = time.monotonic() - started
            self.out.write(f"  {'directory search vectors':<34} {written:>10,} rows {seconds:7.1f} s")


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def check_references(models, out) -> None:
    """PostgreSQL: every foreign key of the written tables points at an existing row, checked per column
    with one anti-join (what the per-row constraint triggers would have checked, in a fraction of the time).
    Raises IntegrityError, which rolls the whole set back."""
    from django.db import IntegrityError

    started = time.monotonic()
    checked = 0
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            for model_field in model._meta.concrete_fields:
                if not (model_field.is_relation and model_field.db_constraint):
                    continue
                child, column = quote(model._meta.db_table), quote(model_field.column)
                parent = quote(model_field.related_model._meta.db_table)
                target = quote(model_field.target_field.column)
                cursor.execute(
                    f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{target} = c.{column})"
                )
                dangling = cursor.fetchone()[0]
                if dangling:
                    raise IntegrityError(f"{dangling} rows of {child}.{column} point at no row of {parent}.")
                checked += 1
    out.write(f"  {'references checked':<34} {checked:>10,} keys {time.monotonic() - started:7.1f} s")


def already_generated() -> bool:
    return Organisation.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def generate(*, factor: float, seed: int = DEFAULT_SEED, out) -> Summary:
    """Write the synthetic data set in one transaction; refuse if one is there already."""
    started = time.monotonic()
    out.write(f"Generating a synthetic data set at scale {factor:g} of europe (seed {seed}) on {connection.vendor}.")
    with transaction.atomic():
        if already_generated():
            raise AlreadyGenerated(
                "This database already holds a generated data set (organisations with 'gen-' slugs); "
                "generate into a new, empty database instead."
            )
        bulk_checks = connection.vendor == "postgresql" and _superuser()
        if bulk_checks:
            # Skip the per-row foreign-key triggers for this transaction only; check_references below
            # verifies every key in bulk before the commit. (Other roles check at commit, more slowly.)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        generator = Generator(factor=factor, seed=seed, out=out)
        summary = generator.run()
        if bulk_checks:
            check_references(generator.writer.models, out)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        commit_started = time.monotonic()
    out.write(f"  {'commit':<34} {'':>10}      {time.monotonic() - commit_started:7.1f} s")
    if connection.vendor == "postgresql":
        analyse_started = time.monotonic()
        # VACUUM as well as ANALYZE: it marks the freshly written pages all-visible, as autovacuum
        # would on a live server in time, so the planner can answer from indexes alone.
        # Inside an outer transaction (a test) VACUUM cannot run; ANALYZE alone then.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(statement)
        out.write(f"  {statement:<34} {'':>10}      {time.monotonic() - analyse_started:7.1f} s")
    seconds = time.monotonic() - started
    out.write(
        f"Done: {summary.total_rows:,} rows in {len(summary.tables)} tables in {seconds:.1f} s "
        f"({summary.total_rows / seconds:,.0f} rows/s)."
    )
    return summary
