"""Factories of the alliance app (kept here until the lead moves them into tests/factories.py)."""

import factory
from factory.django import DjangoModelFactory

from rare.alliance.models import WorkingGroup
from rare.core.visibility import Visibility
from tests.factories import ProgrammeFactory


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
