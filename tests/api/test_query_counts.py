"""Every API list answers in the same number of SQL queries for 3 rows as for 30."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rare.core.visibility import Visibility
from rare.monitor.models import CountryRating
from tests.api.conftest import api_for
from tests.factories import (
    AlertFactory,
    CampFactory,
    CountryRatingFactory,
    MeasureFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    ThemeFactory,
    WorkingGroupFactory,
)


def _programmes(n, programme):
    from tests.factories import ProgrammeFactory

    for _ in range(n):
        ProgrammeFactory()


def _camps(n, programme):
    for _ in range(n):
        SessionFactory(camp=CampFactory(programme=programme))


def _sessions(n, programme):
    camp = CampFactory(programme=programme)
    for _ in range(n):
        session = SessionFactory(camp=camp)
        session.speakers.add(PersonFactory(), PersonFactory())


def _organisations(n, programme):
    theme = ThemeFactory()
    for _ in range(n):
        OrganisationFactory().themes.add(theme)


def _people(n, programme):
    theme = ThemeFactory()
    for _ in range(n):
        PersonFactory(public_profile=True).expertise.add(theme)


def _groups(n, programme):
    for _ in range(n):
        WorkingGroupFactory(programme=programme, visibility=Visibility.MEMBERS, members=[PersonFactory()])


def _alerts(n, programme):
    for _ in range(n):
        AlertFactory(visibility=Visibility.MEMBERS)


def _countries(n, programme):
    start = CountryRating.objects.count()
    for code in EUROPE[start : start + n]:
        CountryRatingFactory(country=code)


EUROPE = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "CH", "RS",
]  # fmt: skip


def _measures(n, programme):
    for _ in range(n):
        MeasureFactory(visibility=Visibility.MEMBERS)


def _pledges(n, programme):
    from tests.factories import PledgeFactory

    alert = AlertFactory(visibility=Visibility.MEMBERS, status="verified")
    for _ in range(n):
        PledgeFactory(alert=alert, person=PersonFactory())


def _actions(n, programme):
    from tests.factories import ActionFactory

    for _ in range(n):
        ActionFactory(working_group=WorkingGroupFactory(programme=programme)).owners.add(OrganisationFactory())


def _campaigns(n, programme):
    from tests.factories import CampaignFactory

    for _ in range(n):
        CampaignFactory().organisations.add(OrganisationFactory())


def _decisions(n, programme):
    from tests.factories import OptionFactory, ProposalFactory

    for _ in range(n):
        proposal = ProposalFactory(programme=programme, group=None, visibility=Visibility.MEMBERS)
        OptionFactory(proposal=proposal)


def _statements(n, programme):
    from tests.factories import SignatureFactory, StatementVersionFactory

    for _ in range(n):
        version = StatementVersionFactory(statement__visibility=Visibility.MEMBERS)
        SignatureFactory(version=version)


LISTS = {
    "/programmes": _programmes,
    "/camps": _camps,
    "/sessions": _sessions,
    "/organisations": _organisations,
    "/people": _people,
    "/working-groups": _groups,
    "/alerts": _alerts,
    "/countries": _countries,
    "/measures": _measures,
    "/pledges": _pledges,
    "/actions": _actions,
    "/campaigns": _campaigns,
    "/decisions": _decisions,
    "/statements": _statements,
}


def _queries(api, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, limit=100)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("path", list(LISTS))
def test_list_queries_do_not_grow_with_rows(path, participant, programme):
    api = api_for(participant)
    api.get("/me")  # the token's "last used" time is written once; measure afterwards
    make = LISTS[path]
    make(3, programme)
    few = _queries(api, path)
    make(27, programme)
    many = _queries(api, path)
    assert len(api.get(path, limit=100).json()["items"]) >= 30
    assert many == few
