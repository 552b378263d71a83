import pytest

from rare.programme.models import Membership
from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture
def member(db):
    """A signed-in participant of a programme (no country, so it stays out of country counts)."""
    person = PersonFactory(name="Signed-in Member", user=UserFactory(), country="", organisation=None)
    MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)
    return person


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def outsider_client(client, db):
    """Signed in, but without any role in a programme."""
    client.force_login(UserFactory())
    return client
