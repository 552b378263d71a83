"""Decisions and joint statements through the API: the same records as on the pages, nothing more."""

from __future__ import annotations

import pytest

from rare.alliance.decisions import queries as decision_queries
from rare.alliance.statements import queries as statement_queries
from rare.core.visibility import Visibility
from tests.api.conftest import Api, api_for
from tests.factories import (
    OptionFactory,
    ProposalFactory,
    SignatureFactory,
    StatementVersionFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_decisions_are_those_the_member_sees_on_the_pages(participant, programme):
    open_to_all = ProposalFactory(programme=programme, group=None, visibility=Visibility.MEMBERS, title="Open to all")
    OptionFactory(proposal=open_to_all, label="Brussels in May")
    hidden_group = WorkingGroupFactory(programme=programme, visibility=Visibility.RESTRICTED)
    hidden = ProposalFactory(group=hidden_group, visibility=Visibility.RESTRICTED, title="Witness relocation")
    api = api_for(participant)

    listed = api.get("/decisions").json()["items"]

    page = decision_queries.visible_proposals(participant)
    assert sorted(item["id"] for item in listed) == sorted(page.values_list("pk", flat=True))
    assert [item["title"] for item in listed] == ["Open to all"]
    assert listed[0]["result"] == {}  # nothing counted before the close
    detail = api.get(f"/decisions/{open_to_all.pk}").json()
    assert [option["label"] for option in detail["options"]] == ["Brussels in May"]
    assert api.get(f"/decisions/{hidden.pk}").status_code == 404


def test_statements_show_their_current_text_and_signatories(participant, organisation):
    version = StatementVersionFactory(
        statement__visibility=Visibility.MEMBERS, text="We call for an EU civil society strategy."
    )
    SignatureFactory(version=version, organisation=organisation)
    draft = StatementVersionFactory(statement__visibility=Visibility.RESTRICTED).statement
    api = api_for(participant)

    listed = api.get("/statements").json()["items"]
    assert [item["slug"] for item in listed] == list(
        statement_queries.visible_statements(participant).values_list("slug", flat=True)
    )
    assert [item["signature_count"] for item in listed] == [1]
    detail = api.get(f"/statements/{version.statement.slug}").json()
    assert (detail["text"], detail["signatories"]) == ("We call for an EU civil society strategy.", [organisation.name])
    assert api.get(f"/statements/{draft.slug}").status_code == 404
    assert Api().get("/statements").json()["items"] == []  # a visitor sees no members' statement
