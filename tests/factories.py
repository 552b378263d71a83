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
