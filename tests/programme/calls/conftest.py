"""Fixtures for the calls tests: background tasks run at once, and people in each role."""

from __future__ import annotations

import pytest

from rare.programme.models import Membership
from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def _tasks_run_now(tasks_run_now):
    """E-mails are sent as soon as the transaction that enqueued them commits."""


def person_with_role(role: str, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(person=PersonFactory(user=user, name=user.name), role=role)
    return user


@pytest.fixture
def team_user(db):
    return person_with_role(Membership.Role.TEAM, name="Rita Reviewer")


@pytest.fixture
def second_reviewer(db):
    return person_with_role(Membership.Role.TEAM, name="Otto Other")


@pytest.fixture
def participant(db):
    return person_with_role(Membership.Role.PARTICIPANT)
