"""Joint statements: versions, signatures per organisation, export, publishing and the public page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from rare.alliance.statements import services
from rare.alliance.statements.models import Signature, Statement
from rare.core.models import AuditEntry, Notice
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SignatureFactory,
    StatementFactory,
    StatementVersionFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role


def _member(role=Role.PARTICIPANT, **person_fields):
    person = PersonFactory(user=UserFactory(), **person_fields)
    MembershipFactory(person=person, role=role)
    return person


@pytest.fixture
def draft(db):
    team = _member(role=Role.TEAM, name="Tea Team")
    statement = services.create_statement(
        author=team,
        actor=team.user,
        title="For an EU strategy for civil society",
        text="We ask for **four** things.",
        deadline=timezone.now() + dt.timedelta(days=7),
    )
    return statement, team


def _signer(org_name: str, country: str = "HU"):
    return _member(organisation=OrganisationFactory(name=org_name, country=country))


def test_a_draft_has_version_one_and_a_unique_slug(draft):
    statement, team = draft
    again = services.create_statement(
        author=team,
        actor=team.user,
        title="For an EU strategy for civil society",
        text="Other",
        deadline=timezone.now() + dt.timedelta(days=7),
    )
    assert (statement.slug, again.slug) == (
        "for-an-eu-strategy-for-civil-society",
        "for-an-eu-strategy-for-civil-society-2",
    )
    assert list(statement.versions.values_list("number", "text")) == [(1, "We ask for **four** things.")]


def test_organisations_sign_once_each_and_signatures_keep_their_version(draft):
    statement, team = draft
    services.open_for_signature(statement=statement, actor=team.user)
    first = _signer("Hungarian Helsinki Committee")
    colleague = _member(organisation=first.organisation)
    services.sign(statement=statement, person=first, actor=first.user)

    with pytest.raises(ValidationError):
        services.sign(statement=statement, person=colleague, actor=colleague.user)
    services.revise(statement=statement, author=team, actor=team.user, text="We ask for five things.")
    second = _signer("Netherlands Helsinki Committee", "NL")
    services.sign(statement=statement, person=second, actor=second.user)

    assert list(
        Signature.objects.order_by("organisation__name").values_list("organisation__name", "version__number")
    ) == [("Hungarian Helsinki Committee", 1), ("Netherlands Helsinki Committee", 2)]
    assert Notice.objects.get(kind="statement.opened").dedupe_key == f"statement.opened:{statement.pk}"


def test_only_members_with_an_organisation_sign_and_only_before_the_deadline(draft):
    statement, team = draft
    statement = services.open_for_signature(statement=statement, actor=team.user)
    no_role = PersonFactory(user=UserFactory())
    no_org = _member(organisation=None)
    signer = _signer("Civil Liberties Union")

    for person in (no_role, no_org):
        with pytest.raises(PermissionDenied):
            services.sign(statement=statement, person=person, actor=person.user)
    with pytest.raises(PermissionDenied):
        services.sign(
            statement=statement, person=signer, actor=signer.user, now=statement.deadline + dt.timedelta(seconds=1)
        )
    assert [rules.has_perm("alliance.sign_statement", p.user, statement) for p in (no_role, no_org, signer)] == [
        False,
        False,
        True,
    ]


def test_a_signature_can_be_withdrawn_before_the_deadline(draft, client):
    statement, team = draft
    services.open_for_signature(statement=statement, actor=team.user)
    signer = _signer("Rights Watch")
    client.force_login(signer.user)

    client.post(f"/groups/statements/{statement.slug}/sign/")
    signed = Signature.objects.count()
    client.post(f"/groups/statements/{statement.slug}/sign/", {"withdraw": "1"})

    assert (signed, Signature.objects.count()) == (1, 0)
    actions = AuditEntry.objects.filter(action__startswith="statement.sig").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["statement.signed", "statement.signature_withdrawn"]


def test_editing_after_signatures_makes_a_new_version_shown_on_the_page(draft, client):
    statement, team = draft
    services.open_for_signature(statement=statement, actor=team.user)
    signer = _signer("Early Signer")
    services.sign(statement=statement, person=signer, actor=signer.user)
    client.force_login(team.user)

    response = client.post(f"/groups/statements/{statement.slug}/edit/", {"text": "A sharper text."})
    body = client.get(statement.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert statement.versions.count() == 2
    assert "A sharper text." in body
    assert "signed version 1" in body


def test_the_signatories_export_as_csv_and_xlsx(draft, client):
    statement, team = draft
    services.open_for_signature(statement=statement, actor=team.user)
    for name in ("=Formula Org", "Beta Org"):
        signer = _signer(name)
        services.sign(statement=statement, person=signer, actor=signer.user)
    client.force_login(team.user)

    csv_response = client.get(f"/groups/statements/{statement.slug}/signatories.csv")
    xlsx_response = client.get(f"/groups/statements/{statement.slug}/signatories.xlsx")

    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(xlsx_response.content), read_only=True).active
    cells = [list(row[:4]) for row in sheet.iter_rows(values_only=True)]
    assert [row[0] for row in rows] == ["Organisation", "'=Formula Org", "Beta Org"]
    assert [row[0] for row in cells] == ["Organisation", "'=Formula Org", "Beta Org"]
    assert rows[1][1:4] == ["HU", rows[1][2], "1"]


def test_publishing_makes_a_public_page_and_drafts_stay_hidden(draft, client):
    statement, team = draft
    services.open_for_signature(statement=statement, actor=team.user)
    for name in ("Alpha Org", "Beta Org", "Gamma Org"):
        signer = _signer(name)
        services.sign(statement=statement, person=signer, actor=signer.user)
    hidden = client.get(f"/statements/{statement.slug}/").status_code

    services.publish(statement=statement, actor=team.user)
    response = client.get(f"/statements/{statement.slug}/")

    body = response.content.decode()
    assert (hidden, response.status_code) == (404, 200)
    assert "We ask for <strong>four</strong> things." in body
    assert [name in body for name in ("Alpha Org", "Beta Org", "Gamma Org")] == [True, True, True]
    statement.refresh_from_db()
    assert (statement.status, statement.visibility) == ("published", Visibility.PUBLIC)
    assert sorted(Notice.objects.get(kind="statement.published").recipient_ids) == sorted(
        Signature.objects.values_list("signed_by__user_id", flat=True)
    )


def test_a_withdrawn_statement_leaves_the_public_site(draft, client):
    statement, team = draft
    services.publish(statement=statement, actor=team.user)
    services.withdraw(statement=statement, actor=team.user)
    assert client.get(f"/statements/{statement.slug}/").status_code == 404


def test_publishing_through_the_page_needs_the_team_or_the_convener(draft, client):
    statement, team = draft
    member = _member()
    client.force_login(member.user)
    refused = client.post(f"/groups/statements/{statement.slug}/publish/")
    client.force_login(team.user)
    done = client.post(f"/groups/statements/{statement.slug}/publish/")

    statement.refresh_from_db()
    assert (refused.status_code, done.status_code, statement.status) == (404, 302, "published")


def test_a_group_statement_is_seen_by_the_group_only_until_published(db):
    convener = _member()
    insider = _member()
    outsider = _member()
    group = WorkingGroupFactory(convener=convener, members=[insider], visibility=Visibility.GROUP)
    statement = services.create_statement(
        author=convener,
        actor=convener.user,
        title="Group text",
        text="Text",
        group=group,
        deadline=timezone.now() + dt.timedelta(days=3),
    )

    def sees(person):
        return Statement.objects.visible_to(person.user).filter(pk=statement.pk).exists()

    before = [sees(p) for p in (convener, insider, outsider)]
    services.publish(statement=statement, actor=convener.user)
    assert (before, sees(outsider)) == ([True, True, False], True)
    assert rules.has_perm("alliance.manage_statement", convener.user, statement)


def test_the_team_creates_a_statement_through_the_form(db, client):
    team = _member(role=Role.TEAM)
    client.force_login(team.user)
    response = client.post(
        "/groups/statements/new/",
        {"title": "Stop the foreign agent law", "deadline": "2031-01-01T12:00", "text": "We object."},
    )
    statement = Statement.objects.get()
    assert (response.status_code, statement.status, statement.versions.count()) == (302, "draft", 1)


def test_the_statement_list_needs_the_same_number_of_queries_for_3_and_30(db, client):
    member = _member()
    client.force_login(member.user)

    def count() -> int:
        client.get("/groups/statements/")
        with CaptureQueriesContext(connection) as run:
            response = client.get("/groups/statements/")
        assert response.status_code == 200
        return len(run)

    def add(n: int) -> None:
        for _i in range(n):
            SignatureFactory(version=StatementVersionFactory(statement=StatementFactory()))

    add(3)
    few = count()
    add(27)
    assert count() == few
