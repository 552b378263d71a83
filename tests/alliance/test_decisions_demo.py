"""The demo's decisions and joint statements."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from rare.alliance.decisions.demo import load_demo_decisions
from rare.alliance.decisions.models import Proposal
from rare.alliance.statements.models import Signature, Statement


@pytest.mark.django_db
def test_the_demo_has_a_closed_consent_an_open_vote_a_time_poll_and_two_statements(client):
    call_command("demo", stdout=StringIO())

    proposals = {p.kind: p for p in Proposal.objects.all()}
    statements = {s.status: s for s in Statement.objects.all()}
    assert sorted(proposals) == ["consent", "time_poll", "vote"]
    assert (proposals["consent"].status, bool(proposals["consent"].outcome)) == ("closed", True)
    assert proposals["consent"].result["passed"] is True
    assert (proposals["vote"].status, proposals["vote"].options.count()) == ("open", 3)
    assert sorted(statements) == ["open", "published"]
    assert Signature.objects.filter(statement=statements["published"]).count() >= 3
    assert client.get(f"/statements/{statements['published'].slug}/").status_code == 200
    assert client.get(f"/statements/{statements['open'].slug}/").status_code == 404
    assert load_demo_decisions() == 0
