"""Property-based tests of the API against its own OpenAPI document (schemathesis, in-process WSGI).

Every operation gets generated requests, anonymously and with a member's write token, over a small data
set: no server error, and every answer (errors included) matches the document.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rare.api.models import ApiToken
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.api.conftest import api_for, member_with_role
from tests.factories import (
    ActionFactory,
    AlertFactory,
    CampaignFactory,
    CampFactory,
    CountryRatingFactory,
    MeasureFactory,
    OptionFactory,
    PledgeFactory,
    ProposalFactory,
    SessionFactory,
    SignatureFactory,
    StatementVersionFactory,
    WorkingGroupFactory,
)

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = 10


@pytest.fixture
def world(programme, organisation, settings):
    settings.RARE_API_RATE_ANONYMOUS = 100_000
    settings.RARE_API_RATE_TOKEN = 100_000
    camp = CampFactory(programme=programme)
    session = SessionFactory(camp=camp)
    alert = AlertFactory(visibility=Visibility.PUBLIC, status="verified", verified_at=timezone.now())
    AlertFactory(visibility=Visibility.MEMBERS)
    measure = MeasureFactory()
    CountryRatingFactory(country="HU")
    group = WorkingGroupFactory(programme=programme, visibility=Visibility.PUBLIC)
    user = member_with_role(programme, Membership.Role.PARTICIPANT, organisation=organisation, public_profile=True)
    group.members.add(user.person)
    session.speakers.add(user.person)
    alert.affected_organisations.add(organisation)
    pledge = PledgeFactory(alert=alert, organisation=organisation)
    action = ActionFactory(visibility=Visibility.PUBLIC)
    action.owners.add(organisation)
    campaign = CampaignFactory(visibility=Visibility.PUBLIC)
    proposal = ProposalFactory(group=group, visibility=Visibility.PUBLIC)
    OptionFactory(proposal=proposal)
    version = StatementVersionFactory(statement__visibility=Visibility.PUBLIC)
    SignatureFactory(version=version, organisation=organisation)
    known = {
        "decisions/{id}": {"id": proposal.pk},
        "statements/{slug}": {"slug": version.statement.slug},
        "actions/{id}": {"id": action.pk},
        "campaigns/{slug}": {"slug": campaign.slug},
        "pledges/{id}": {"id": pledge.pk},
        "programmes/{slug}": {"slug": programme.slug},
        "camps/{slug}": {"slug": camp.slug},
        "sessions/{id}": {"id": session.pk},
        "alerts/{id}": {"id": alert.pk},
        "measures/{id}": {"id": measure.pk},
        "countries/{code}": {"code": "HU"},
        "working-groups/{slug}": {"slug": group.slug},
        "people/{slug}": {"slug": user.person.slug},
        "organisations/{slug}": {"slug": organisation.slug},
    }
    return user, known


@pytest.fixture
def wsgi_app():
    """The real WSGI application, keeping the test's database connection open between requests (as
    Django's test client does: a finished request would otherwise close it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_every_operation_answers_as_documented(world, who, wsgi_app):
    user, known = world
    app = wsgi_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {}
    if who == "member":
        headers = {"Authorization": f"Bearer {api_for(user, scope=ApiToken.Scope.WRITE).secret}"}
    seen = []
    for operation in _operations(schema):
        seen.append(operation.label)
        # Generated values rarely name a record that exists: ask for one that does, too.
        for template, values in known.items():
            if operation.method == "get" and operation.path.endswith(template):
                case = operation.Case(path_parameters=values)
                response = case.call(headers=headers)
                assert response.status_code in {200, 401, 403}, (operation.label, response.status_code)
                case.validate_response(response, checks=CHECKS, headers=headers)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        run()
    assert len(seen) >= 20
