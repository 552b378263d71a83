"""Helpers of the camp, session, material and calendar tests."""

from __future__ import annotations

from rare.programme.models import Membership
from tests.factories import MembershipFactory, PersonFactory, UserFactory


def member(programme, role: str = Membership.Role.PARTICIPANT, **person_fields):
    """A user whose person holds `role` in `programme`."""
    user = UserFactory()
    person = PersonFactory(user=user, **person_fields)
    MembershipFactory(programme=programme, person=person, role=role)
    return user


def signed_in(client, user):
    client.force_login(user)
    return client
