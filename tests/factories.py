"""Factories for the test suite: real rows in the real database, no mocks."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from rare.accounts.models import User
from rare.community.models import Organisation, Person, Theme
from rare.programme.models import Application, Call, Camp, Membership, Programme, Review, Session

PASSWORD = "a-long-test-passphrase"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Civic Organisation {n}")
    slug = factory.Sequence(lambda n: f"civic-organisation-{n}")
    country = "HU"
    city = "Budapest"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    country = "HU"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"RARE cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    cohort = factory.Sequence(lambda n: n + 1)
    starts_on = dt.date(2021, 3, 1)
    ends_on = dt.date(2022, 10, 31)
    status = Programme.Status.RUNNING


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.PARTICIPANT


class CampFactory(DjangoModelFactory):
    class Meta:
        model = Camp

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"camp-{n}")
    title = factory.Sequence(lambda n: f"Camp in city {n}")
    city = "Vienna"
    country = "AT"
    starts_on = dt.date(2021, 6, 7)
    ends_on = dt.date(2021, 6, 10)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    camp = factory.SubFactory(CampFactory)
    kind = Session.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.camp.starts_on, dt.time(9, 30)))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1, minutes=30))


# --- Calls for applications ----------------------------------------------------------------------


class CallFactory(DjangoModelFactory):
    """An open call: it opened a week ago and closes in three weeks."""

    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory, status=Programme.Status.UPCOMING)
    title = factory.Sequence(lambda n: f"Call for cohort {n + 2}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    description = "Senior staff of **human rights organisations** may apply."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=21))


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Applicant {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@example.net")
    organisation_name = factory.Sequence(lambda n: f"Rights Watch {n}")
    country = "PL"
    role = "Head of advocacy"
    seniority = Application.Seniority.HEAD
    track_record = "Ten years of litigation on press freedom."
    motivation = "We want to learn to work with allies across borders."
    language = "en"


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)
    score = 4
    comment = "Strong track record."


# --- Camps area: session materials and calendar feeds ---------------------------------------------

import hashlib  # noqa: E402

from rare.programme.models import CalendarFeed, Material  # noqa: E402


class MaterialFactory(DjangoModelFactory):
    """A link by default (no file on disk); pass file=ContentFile(b"...", name="x.pdf") for a file."""

    class Meta:
        model = Material

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Slides {n}")
    link = factory.Sequence(lambda n: f"https://example.org/slides-{n}")
    visibility = "public"


class CalendarFeedFactory(DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    person = factory.SubFactory(PersonFactory)
    token = factory.Sequence(lambda n: f"calendar-secret-{n}")
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())


# --- Registration and attendance -------------------------------------------------------------------

from rare.programme.models import Attendance, Registration  # noqa: E402


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    camp = factory.SubFactory(CampFactory)
    person = factory.SubFactory(PersonFactory)
    arrives_on = factory.LazyAttribute(lambda o: o.camp.starts_on)
    departs_on = factory.LazyAttribute(lambda o: o.camp.ends_on)
    needs_accommodation = True


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    present = True


# --- Directory: institutions and their contacts ------------------------------------------------------

from rare.community.models import Contact, Institution  # noqa: E402


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Committee {n}")
    slug = factory.Sequence(lambda n: f"institution-{n}")
    kind = Institution.Kind.EP_COMMITTEE


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    position = "Policy adviser"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


# --- Solidarity: alerts and their timeline ------------------------------------------------------------

from rare.solidarity.models import Alert, AlertUpdate  # noqa: E402


class AlertFactory(DjangoModelFactory):
    class Meta:
        model = Alert

    title = factory.Sequence(lambda n: f"Alert {n}")
    country = "HU"
    occurred_on = dt.date(2026, 10, 1)
    category = Alert.Category.JUDICIAL_HARASSMENT
    perpetrator = Alert.Perpetrator.STATE
    severity = Alert.Severity.HIGH
    summary = "A public summary."
    details = "Confidential details."
    sources = "https://example.org/one\nhttps://example.org/two"


class AlertUpdateFactory(DjangoModelFactory):
    class Meta:
        model = AlertUpdate

    alert = factory.SubFactory(AlertFactory)
    kind = AlertUpdate.Kind.UPDATE
    text = "An update."
    is_public = True


# --- Civic-space monitor: ratings and measures -------------------------------------------------------

from rare.monitor.models import CountryRating, Measure  # noqa: E402


class CountryRatingFactory(DjangoModelFactory):
    class Meta:
        model = CountryRating

    country = "HU"
    rating = "obstructed"
    rated_on = factory.Sequence(lambda n: dt.date(2000, 1, 1) + dt.timedelta(days=n))
    source_name = "Civic space watch"
    source_url = "https://example.org/ratings"


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    country = "HU"
    title = factory.Sequence(lambda n: f"Restrictive law {n}")
    kind = Measure.Kind.LAW
    status = Measure.Status.PROPOSED
    introduced_on = dt.date(2024, 1, 15)
    summary = "Limits foreign funding of associations."
    visibility = "public"


# --- Alliance: working groups -----------------------------------------------------------------------

from rare.alliance.models import WorkingGroup  # noqa: E402
from rare.core.visibility import Visibility  # noqa: E402


class WorkingGroupFactory(DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Working group {n:03d}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    purpose = "Joint advocacy across borders."
    visibility = Visibility.MEMBERS

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.add(*extracted)

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.add(*extracted)


# --- Notifications (core) ----------------------------------------------------------------------------

from rare.core.models import NotificationPreference  # noqa: E402


class NotificationPreferenceFactory(DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    alerts = NotificationPreference.Mode.IMMEDIATE
    follows = NotificationPreference.Mode.IMMEDIATE


# --- API tokens -----------------------------------------------------------------------------------------

from rare.api.models import ApiToken  # noqa: E402
from rare.api.queries import hash_secret  # noqa: E402


class ApiTokenFactory(DjangoModelFactory):
    """A token whose secret is `rare_test_<n>` (tests that call the API mostly use services.create_token)."""

    class Meta:
        model = ApiToken

    class Params:
        secret = factory.Sequence(lambda n: f"rare_test_{n}")

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Script {n}")
    scope = ApiToken.Scope.READ
    prefix = factory.LazyAttribute(lambda o: o.secret[:11])
    token_hash = factory.LazyAttribute(lambda o: hash_secret(o.secret))


# --- Solidarity: pledges and evidence ----------------------------------------------------------------

from django.core.files.base import ContentFile  # noqa: E402

from rare.solidarity.models import AlertEvidence, Pledge  # noqa: E402


class PledgeFactory(DjangoModelFactory):
    class Meta:
        model = Pledge

    alert = factory.SubFactory(AlertFactory, status=Alert.Status.VERIFIED, visibility=Visibility.MEMBERS)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Pledge.Kind.LETTER
    note = "To our foreign ministry."


class AlertEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = AlertEvidence

    alert = factory.SubFactory(AlertFactory)
    filename = "evidence.txt"
    content_type = "text/plain"
    size = 17
    file = factory.LazyFunction(lambda: ContentFile(b"What the witness", name="evidence.txt"))


# --- Monitor: spill-over links -------------------------------------------------------------------------

from rare.monitor.models import SpilloverLink, Tactic, TacticSighting  # noqa: E402


class TacticFactory(DjangoModelFactory):
    class Meta:
        model = Tactic
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"Foreign agent register {n}")
    key = factory.LazyAttribute(lambda o: " ".join(o.name.casefold().split()))


class TacticSightingFactory(DjangoModelFactory):
    class Meta:
        model = TacticSighting

    tactic = factory.SubFactory(TacticFactory)
    country = "HU"
    seen_on = dt.date(2024, 1, 15)
    measure = factory.SubFactory(MeasureFactory, country="HU")


class SpilloverLinkFactory(DjangoModelFactory):
    class Meta:
        model = SpilloverLink

    source_measure = factory.SubFactory(MeasureFactory, country="HU", introduced_on=dt.date(2023, 3, 1))
    target_measure = factory.SubFactory(MeasureFactory, country="SK", introduced_on=dt.date(2024, 6, 1))
    kind = SpilloverLink.Kind.LAW_TEMPLATE
    note = "The same wording, article by article."


# --- Alliance: meetings, action plan, campaigns, engagements -------------------------------------------

from rare.alliance.plan.models import (  # noqa: E402
    Action,
    Campaign,
    CampaignOutput,
    Engagement,
    FollowUp,
    Meeting,
    Milestone,
    Objective,
    PriorityIssue,
)


class PriorityIssueFactory(DjangoModelFactory):
    class Meta:
        model = PriorityIssue

    title = factory.Sequence(lambda n: f"Priority issue {n}")
    position = factory.Sequence(lambda n: n)


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    priority = factory.SubFactory(PriorityIssueFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    position = factory.Sequence(lambda n: n)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Action {n:03d}")
    description = "Coordinate a joint submission."
    due_date = dt.date(2030, 6, 30)
    status = Action.Status.PLANNED
    progress = 0
    visibility = Visibility.MEMBERS

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.owners.add(*extracted)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due = dt.date(2030, 3, 31)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Group meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    place = "Online"
    agenda = "1. Updates\n2. Next steps"


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Campaign {n:03d}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    goal = "An EU strategy for civil society."
    asks = "Adopt a strategy\nFund civil society"
    starts_on = dt.date(2026, 1, 15)
    status = Campaign.Status.ACTIVE
    visibility = Visibility.MEMBERS

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.add(*extracted)


class CampaignOutputFactory(DjangoModelFactory):
    class Meta:
        model = CampaignOutput

    campaign = factory.SubFactory(CampaignFactory)
    kind = CampaignOutput.Kind.BRIEF
    title = factory.Sequence(lambda n: f"Joint brief {n}")
    url = "https://example.org/brief.pdf"
    published_on = dt.date(2026, 2, 1)


class EngagementFactory(DjangoModelFactory):
    class Meta:
        model = Engagement

    kind = Engagement.Kind.MEETING
    title = factory.Sequence(lambda n: f"Meeting with a committee {n}")
    date = dt.date(2026, 3, 10)
    institution = factory.SubFactory(InstitutionFactory)
    ask = "Hold a hearing on civic space."
    outcome = "They agreed to consider it."
    visibility = Visibility.MEMBERS


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    engagement = factory.SubFactory(EngagementFactory)
    what = "Send the brief"
    due = dt.date(2026, 4, 1)


# --- Alliance: decisions and joint statements ----------------------------------------------------------

from rare.alliance.models import Answer, Option, Proposal, Signature, Statement, StatementVersion  # noqa: E402


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    group = factory.SubFactory(WorkingGroupFactory)
    programme = factory.SelfAttribute("group.programme")
    kind = Proposal.Kind.CONSENT
    title = factory.Sequence(lambda n: f"Proposal {n:03d}")
    body = "We propose a joint letter to the Commission."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=6))
    created_by = factory.SubFactory(PersonFactory)


class OptionFactory(DjangoModelFactory):
    class Meta:
        model = Option

    proposal = factory.SubFactory(ProposalFactory, kind=Proposal.Kind.VOTE)
    label = factory.Sequence(lambda n: f"Option {n}")
    position = factory.Sequence(lambda n: n)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    proposal = factory.SubFactory(ProposalFactory)
    person = factory.SubFactory(PersonFactory)
    position = Answer.Position.AGREE
    reason = "It helps our members."


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = Statement

    title = factory.Sequence(lambda n: f"Joint statement {n:03d}")
    slug = factory.Sequence(lambda n: f"joint-statement-{n}")
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    status = Statement.Status.OPEN
    created_by = factory.SubFactory(PersonFactory)


class StatementVersionFactory(DjangoModelFactory):
    class Meta:
        model = StatementVersion

    statement = factory.SubFactory(StatementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "We call on the EU to adopt a strategy for civil society."


class SignatureFactory(DjangoModelFactory):
    class Meta:
        model = Signature

    version = factory.SubFactory(StatementVersionFactory)
    statement = factory.SelfAttribute("version.statement")
    organisation = factory.SubFactory(OrganisationFactory)
    signed_by = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))


# --- Learning: framework, assessments, growth, learning plans ------------------------------------------

from rare.learning.models import (  # noqa: E402
    AssessmentRound,
    Competency,
    LearningPlan,
    PlanItem,
    Rating,
    SelfAssessment,
)


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    position = factory.Sequence(lambda n: n)


class AssessmentRoundFactory(DjangoModelFactory):
    """An open baseline round by default (opened yesterday, closes in two weeks)."""

    class Meta:
        model = AssessmentRound

    programme = factory.SubFactory(ProgrammeFactory)
    kind = AssessmentRound.Kind.BASELINE
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class SelfAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    round = factory.SubFactory(AssessmentRoundFactory)
    person = factory.SubFactory(PersonFactory)


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    assessment = factory.SubFactory(SelfAssessmentFactory)
    competency = factory.SubFactory(CompetencyFactory, programme=factory.SelfAttribute("..assessment.round.programme"))
    level = 3


class LearningPlanFactory(DjangoModelFactory):
    class Meta:
        model = LearningPlan

    person = factory.SubFactory(PersonFactory)
    programme = factory.SubFactory(ProgrammeFactory)


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(LearningPlanFactory)
    title = factory.Sequence(lambda n: f"Reading {n}")


# --- Reports: targeted messages ----------------------------------------------------------------------

from rare.reports.models import Message  # noqa: E402


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    programme = factory.SubFactory(ProgrammeFactory)
    subject = factory.Sequence(lambda n: f"Message {n}")
    body = "Please bring your passport to the camp."


# --- Learning: feedback, evaluations, resource library -------------------------------------------------

from rare.learning.models import FeedbackForm, Resource  # noqa: E402


class FeedbackFormFactory(DjangoModelFactory):
    """An anonymous feedback form on a session, open from yesterday for a week."""

    class Meta:
        model = FeedbackForm

    session = factory.SubFactory(SessionFactory)
    anonymous = True
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + dt.timedelta(days=7))


class ResourceFactory(DjangoModelFactory):
    """A public link by default; pass file=ContentFile(b"...", name="x.pdf"), kind="file" for a file."""

    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Toolkit {n}")
    kind = "link"
    url = factory.Sequence(lambda n: f"https://example.org/toolkit-{n}")
    visibility = "public"
