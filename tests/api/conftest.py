"""People with each role, and clients that call the API with or without a token."""

from __future__ import annotations

import pytest
from django.test import Client

from rare.api import services
from rare.api.models import ApiToken
from rare.programme.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, ProgrammeFactory, UserFactory


class Api:
    """A test client for /api/v1/ that sends `Authorization: Bearer <secret>` when it has one."""

    def __init__(self, secret: str = "", user=None):
        # CSRF checks on, as for a real program: the API must not need a CSRF token.
        self.client = Client(raise_request_exception=False, enforce_csrf_checks=True)
        self.secret = secret
        self.user = user

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers())

    def post(self, path: str, data: dict):
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", **self._headers())


def api_for(user, *, scope: str = ApiToken.Scope.READ) -> Api:
    _token, secret = services.create_token(user=user, name="tests", scope=scope)
    return Api(secret, user=user)


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


def member_with_role(programme, role: str, *, organisation=None, **person):
    user = UserFactory()
    kwargs = {"organisation": organisation} if organisation is not None else {}
    member = PersonFactory(user=user, **kwargs, **person)
    MembershipFactory(programme=programme, person=member, role=role)
    return user


@pytest.fixture
def participant(programme, organisation):
    return member_with_role(programme, Membership.Role.PARTICIPANT, organisation=organisation)


@pytest.fixture
def team(programme):
    return member_with_role(programme, Membership.Role.TEAM)


@pytest.fixture
def duty_officer(programme):
    return member_with_role(programme, Membership.Role.DUTY_OFFICER)


@pytest.fixture
def outsider(db):
    """Signed in, but holding no role: a visitor as far as visibility goes."""
    return UserFactory()


@pytest.fixture
def anonymous(db):
    return Api()
