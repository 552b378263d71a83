"""Factories for the test suite: real rows in the real database, no mocks."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from rare.accounts.models import User
from rare.community.models import Organisation, Person, Theme
from rare.programme.models import Camp, Membership, Programme, Session

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
