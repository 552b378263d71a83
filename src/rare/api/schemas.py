"""What the API sends and accepts. Only fields the matching page shows to that caller appear here."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from rare.core.visibility import Visibility
from rare.solidarity.models import Alert

# Text from callers: no control characters other than tab and line breaks (databases refuse NUL).
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
SLUG = r"^[-a-zA-Z0-9_]+$"
COUNTRY = r"^[A-Z]{2}$"
MAX_ID = 2**63 - 1


class FieldError(Schema):
    loc: list[str | int] = Field(description="Where the problem is: the part of the request, then the field.")
    msg: str


class Error(Schema):
    detail: str = Field(description="What went wrong, in English.")
    errors: list[FieldError] = Field(default_factory=list, description="The fields in error (422 only).")


def _country(obj) -> str:
    if isinstance(obj, dict):  # already resolved (a detail built from a list item)
        return obj.get("country", "")
    return obj.country.code if obj.country else ""


class Ref(Schema):
    """A link to another record by its slug and name."""

    slug: str
    name: str


class ProgrammeOut(Schema):
    id: int
    slug: str
    name: str
    cohort: int
    starts_on: dt.date
    ends_on: dt.date
    status: str
    summary: str


class CampOut(Schema):
    id: int
    slug: str
    number: int
    title: str
    programme: str = Field(description="The programme's slug.")
    city: str
    country: str
    venue: str
    host: str
    format: str
    starts_on: dt.date
    ends_on: dt.date
    summary: str
    session_count: int

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)


class SessionOut(Schema):
    id: int
    camp: str = Field(description="The camp's slug.")
    kind: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str
    speakers: list[str] = Field(description="The speakers' names.")

    @staticmethod
    def resolve_camp(obj) -> str:
        return obj.camp.slug

    @staticmethod
    def resolve_speakers(obj) -> list[str]:
        return [person.name for person in obj.speakers.all()]


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    country: str
    city: str
    website: str
    size: str
    description: str
    themes: list[str]
    people_count: int

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return [theme.name for theme in obj.themes.all()]


class PersonOut(Schema):
    id: int
    slug: str
    name: str
    pronouns: str
    role: str
    country: str
    organisation: Ref | None
    languages: list[str]
    expertise: list[str]
    bio: str

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)

    @staticmethod
    def resolve_organisation(obj) -> dict | None:
        organisation = obj.organisation
        return {"slug": organisation.slug, "name": organisation.name} if organisation else None

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return obj.language_codes

    @staticmethod
    def resolve_expertise(obj) -> list[str]:
        return [theme.name for theme in obj.expertise.all()]


class WorkingGroupOut(Schema):
    id: int
    slug: str
    name: str
    theme: str | None
    programme: str | None = Field(description="The programme's slug.")
    purpose: str
    public_output: str
    visibility: str
    member_count: int

    @staticmethod
    def resolve_theme(obj) -> str | None:
        if isinstance(obj, dict):
            return obj.get("theme")
        return obj.theme.name if obj.theme_id else None

    @staticmethod
    def resolve_programme(obj) -> str | None:
        if isinstance(obj, dict):
            return obj.get("programme")
        return obj.programme.slug if obj.programme_id else None


class WorkingGroupDetailOut(WorkingGroupOut):
    convener: Ref | None = Field(description="Shown to members, or to everyone if the convener has a public profile.")
    members: list[Ref] = Field(description="Members see everyone; others only people with a public profile.")
    organisations: list[Ref]
    hidden_member_count: int


class ActionOut(Schema):
    """An action of the joint strategic action plan."""

    id: int
    title: str
    description: str
    priority: str = Field(description="The priority issue's title.")
    objective: str = Field(description="The objective's title.")
    working_group: str | None = Field(description="The working group's slug.")
    owners: list[str] = Field(description="The owner organisations' names.")
    due_date: dt.date | None
    status: str
    progress: int = Field(description="Per cent done.")
    visibility: str

    @staticmethod
    def resolve_priority(obj) -> str:
        return obj.objective.priority.title

    @staticmethod
    def resolve_objective(obj) -> str:
        return obj.objective.title

    @staticmethod
    def resolve_working_group(obj) -> str | None:
        return obj.working_group.slug if obj.working_group_id else None

    @staticmethod
    def resolve_owners(obj) -> list[str]:
        return [organisation.name for organisation in obj.owner_list]


class CampaignOut(Schema):
    id: int
    slug: str
    title: str
    goal: str
    asks: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None
    status: str
    working_group: str | None = Field(description="The working group's slug.")
    organisations: list[str] = Field(description="The participating organisations' names.")
    visibility: str

    @staticmethod
    def resolve_asks(obj) -> list[str]:
        return obj.ask_lines

    @staticmethod
    def resolve_working_group(obj) -> str | None:
        return obj.working_group.slug if obj.working_group_id else None

    @staticmethod
    def resolve_organisations(obj) -> list[str]:
        return [organisation.name for organisation in obj.organisation_list]


class ProposalOut(Schema):
    """A proposal put to a working group or a whole programme for a collective decision."""

    id: int
    title: str
    kind: str = Field(description="consent, vote, poll or time_poll.")
    status: str
    working_group: str | None = Field(description="The working group's slug; none for a whole programme.")
    programme: str | None = Field(description="The programme's slug.")
    opens_at: dt.datetime
    closes_at: dt.datetime
    hide_results: bool = Field(description="Whether the answers stay hidden until the close.")
    answer_count: int
    result: dict = Field(description="The counted result, once the proposal is closed; empty before.")
    outcome: str = Field(description="The outcome statement recorded at the close, if any.")
    visibility: str

    @staticmethod
    def resolve_working_group(obj) -> str | None:
        return obj.group.slug if obj.group_id else None

    @staticmethod
    def resolve_programme(obj) -> str | None:
        return obj.programme.slug if obj.programme_id else None

    @staticmethod
    def resolve_result(obj) -> dict:
        return obj.result if obj.status == "closed" else {}


class ProposalOption(Schema):
    label: str
    starts_at: dt.datetime | None


class ProposalDetailOut(ProposalOut):
    body: str
    options: list[ProposalOption]

    @staticmethod
    def resolve_options(obj) -> list[dict]:
        return [{"label": o.label, "starts_at": o.starts_at} for o in obj.options.all()]


class StatementOut(Schema):
    """A joint statement that organisations sign on to."""

    id: int
    slug: str
    title: str
    status: str
    working_group: str | None = Field(description="The working group's slug.")
    deadline: dt.datetime = Field(description="Signatures are taken until then.")
    published_at: dt.datetime | None
    signature_count: int
    visibility: str

    @staticmethod
    def resolve_working_group(obj) -> str | None:
        return obj.group.slug if obj.group_id else None


class StatementDetailOut(StatementOut):
    version: int | None = Field(description="The number of the current version of the text.")
    text: str = Field(description="The current text (Markdown).")
    signatories: list[str] = Field(description="The names of the organisations that signed.")

    @staticmethod
    def resolve_version(obj) -> int | None:
        return obj.all_versions[0].number if obj.all_versions else None

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.all_versions[0].text if obj.all_versions else ""

    @staticmethod
    def resolve_signatories(obj) -> list[str]:
        return [signature.organisation.name for signature in obj.signature_list]


class AlertOut(Schema):
    """What anyone who may see an alert sees: never its confidential details."""

    id: int
    title: str
    country: str
    occurred_on: dt.date
    category: str
    tactic: str
    perpetrator: str
    severity: str
    status: str
    summary: str
    visibility: str
    verified_at: dt.datetime | None

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)


class TimelineEntry(Schema):
    kind: str
    text: str
    created_at: dt.datetime


class AlertDetailOut(AlertOut):
    affected_organisations: list[str]
    timeline: list[TimelineEntry] = Field(description="Public entries, and every entry for those who read details.")
    details_included: bool = Field(description="Whether the caller may read the confidential details.")
    details: str | None = Field(description="Confidential details; null unless details_included.")
    sources: list[str] | None = Field(description="Sources; null unless details_included.")
    verification_reasons: str | None = Field(description="Null unless details_included.")


class AlertIn(Schema):
    """A member's report of an attack. It stays restricted and unverified until a duty officer verifies it."""

    title: str = Field(min_length=1, max_length=200, pattern=ONE_LINE)
    country: str = Field(pattern=COUNTRY, description="ISO 3166-1 alpha-2 code, e.g. HU.")
    occurred_on: dt.date
    category: Alert.Category
    perpetrator: Alert.Perpetrator = Alert.Perpetrator.UNKNOWN
    severity: Alert.Severity = Alert.Severity.MEDIUM
    tactic: str = Field("", max_length=200, pattern=ONE_LINE)
    summary: str = Field("", max_length=5000, pattern=PLAIN_TEXT)
    details: str = Field("", max_length=20000, pattern=PLAIN_TEXT, description="Confidential, stored encrypted.")
    sources: str = Field("", max_length=5000, pattern=PLAIN_TEXT, description="One source per line.")
    visibility: Literal["restricted", "members", "public"] = Visibility.RESTRICTED.value

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("occurred_on")
    @classmethod
    def _not_in_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today() + dt.timedelta(days=1):
            raise ValueError("must not be in the future")
        if value.year < 1900:
            raise ValueError("must be after 1900")
        return value


class PledgeOut(Schema):
    """A response pledged on an alert: members who see the alert see who pledged what."""

    id: int
    alert: int = Field(description="The alert's id.")
    organisation: str | None = Field(description="The pledging organisation's name.")
    person: str | None = Field(description="The pledging person's name.")
    kind: str
    status: str
    note: str
    created_at: dt.datetime
    done_at: dt.datetime | None

    @staticmethod
    def resolve_alert(obj) -> int:
        return obj.alert_id

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_person(obj) -> str | None:
        return obj.person.name if obj.person_id else None


class RatingOut(Schema):
    rating: str
    rated_on: dt.date
    source_name: str
    source_url: str
    note: str


class CountryOut(Schema):
    code: str
    name: str
    rating: str = Field(description="The current civic-space rating.")
    rated_on: dt.date
    source_name: str
    source_url: str


class CountryDetailOut(CountryOut):
    history: list[RatingOut] = Field(description="Every rating, oldest first.")


class MeasureOut(Schema):
    id: int
    country: str
    title: str
    kind: str
    status: str
    introduced_on: dt.date
    summary: str
    source_url: str
    visibility: str

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)


class Me(Schema):
    authenticated: bool
    scope: str | None = Field(description="read or write; null without a token.")
    member: bool
    travel_mode: bool
