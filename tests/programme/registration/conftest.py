"""A programme with a camp a month ahead, a participant, another participant and the programme team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from rare.accounts.models import User
from rare.programme.models import Camp, Membership, Programme
from tests.factories import CampFactory, MembershipFactory, PersonFactory, ProgrammeFactory, UserFactory


@dataclass
class World:
    programme: Programme
    camp: Camp
    participant: User
    other: User
    team: User

    @property
    def register_url(self) -> str:
        return f"/camps/{self.camp.slug}/register/"

    @property
    def list_url(self) -> str:
        return f"/team/camps/{self.camp.slug}/registrations/"


def member(programme: Programme, role=Membership.Role.PARTICIPANT, **person) -> User:
    user = UserFactory()
    MembershipFactory(programme=programme, person=PersonFactory(user=user, **person), role=role)
    return user


@pytest.fixture
def world(db) -> World:
    programme = ProgrammeFactory()
    starts = timezone.localdate() + dt.timedelta(days=30)
    camp = CampFactory(programme=programme, starts_on=starts, ends_on=starts + dt.timedelta(days=3), slug="vienna")
    return World(
        programme=programme,
        camp=camp,
        participant=member(programme, name="Ana Participant", languages="hu,en"),
        other=member(programme, name="Bo Other"),
        team=member(programme, Membership.Role.TEAM, name="Tea Team"),
    )
