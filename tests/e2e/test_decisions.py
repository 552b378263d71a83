"""A decision from proposal to recorded outcome, and a joint statement from signatures to its public page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from rare.alliance.decisions import services as decisions
from rare.alliance.decisions.models import Answer, Proposal
from rare.alliance.statements import services as statements
from rare.alliance.statements.models import Statement
from rare.programme.models import Membership
from tests.e2e.conftest import _open_page, assert_accessible, horizontal_overflow
from tests.e2e.helpers import sign_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
    WorkingGroupFactory,
)


def _member(programme, name: str, organisation=None, role=Membership.Role.PARTICIPANT):
    person = PersonFactory(name=name, user=UserFactory(name=name), organisation=organisation or OrganisationFactory())
    MembershipFactory(programme=programme, person=person, role=role)
    return person


# Two cores run many suites at once: give each step more time than the shared default.
PATIENCE_MS = 60_000


def _patient(page):
    page.set_default_timeout(PATIENCE_MS)
    page.set_default_navigation_timeout(PATIENCE_MS)
    return page


def see(locator, text: str) -> None:
    expect(locator).to_contain_text(text, timeout=PATIENCE_MS)


def _as(browser, live_server, browser_log, person, **options):
    context, page = _open_page(browser, live_server, browser_log, **options)
    sign_in(_patient(page), person.user.email, PASSWORD)
    return context, page


def test_a_proposal_is_answered_with_reasons_and_closes_on_time_with_an_outcome(
    transactional_db, browser, live_server, page, browser_log
):
    programme = ProgrammeFactory()
    convener = _member(programme, "Ada Convener")
    anna = _member(programme, "Anna Member")
    bela = _member(programme, "Bela Member")
    WorkingGroupFactory(programme=programme, name="Rule of law", convener=convener, members=[anna, bela])
    deadline = timezone.localtime() + dt.timedelta(days=2)

    sign_in(_patient(page), convener.user.email, PASSWORD)
    page.goto("/groups/decisions/")
    page.get_by_role("link", name="New proposal").click()
    page.get_by_label("Working group").select_option(label="Rule of law")
    page.get_by_label("consent (objections decide)").check()
    page.get_by_label("Title").fill("Sign the brief on an EU civil-society strategy")
    page.locator("#id_body").fill("The brief has four asks. Shall we sign it?")
    page.locator("#id_closes_at").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    assert_accessible(page, "the proposal form")
    page.get_by_role("button", name="Open the proposal").click()
    see(page.locator(".messages"), "The proposal is open for answers.")
    proposal = Proposal.objects.get()

    for person, position, reason in ((anna, "agree", "It matches our work."), (bela, "abstain", "No mandate yet.")):
        context, member_page = _as(browser, live_server, browser_log, person, viewport={"width": 320, "height": 640})
        try:
            member_page.goto(f"/groups/decisions/{proposal.pk}/")
            member_page.get_by_label(position, exact=True).check()
            member_page.get_by_label("Your reason").fill(reason)
            member_page.get_by_role("button", name="Save my answer").click()
            see(member_page.locator(".messages"), "Your answer has been saved.")
            see(member_page.locator("main"), reason)
            assert (person.name, horizontal_overflow(member_page)) == (person.name, 0)
            assert_accessible(member_page, "a proposal with an answer form at 320 px")
        finally:
            context.close()

    # The scheduled job runs every minute; here it runs once, a minute after the deadline.
    assert decisions.close_due_proposals(now=proposal.closes_at + dt.timedelta(minutes=1)) == [proposal.pk]

    page.goto(f"/groups/decisions/{proposal.pk}/")
    see(page.locator("main"), "Outcome pending")
    see(page.locator("main"), "Nobody objects: the proposal passes.")
    page.get_by_label("Outcome statement").fill("We sign the brief and send it on Monday.")
    page.get_by_role("button", name="Record the outcome").click()
    see(page.locator(".messages"), "The outcome has been recorded.")
    see(page.locator("main"), "We sign the brief and send it on Monday.")
    assert_accessible(page, "a closed proposal with its outcome")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.outcome) == ("closed", "We sign the brief and send it on Monday.")
    assert sorted(Answer.objects.values_list("person__name", "reason")) == [
        ("Anna Member", "It matches our work."),
        ("Bela Member", "No mandate yet."),
    ]
    browser_log.assert_clean()


def test_three_organisations_sign_a_statement_and_it_is_published(
    transactional_db, browser, live_server, page, browser_log
):
    programme = ProgrammeFactory()
    team = _member(programme, "Tea Team", role=Membership.Role.TEAM)
    signers = [
        _member(programme, f"Signer {n}", organisation=OrganisationFactory(name=name))
        for n, name in enumerate(("Helsinki Committee", "Civil Liberties Union", "Rights Watch"))
    ]
    statement = statements.create_statement(
        author=team,
        actor=team.user,
        title="For an EU strategy for civil society",
        text="We call for **four** things.",
        deadline=timezone.now() + dt.timedelta(days=5),
    )
    statements.open_for_signature(statement=statement, actor=team.user)

    for signer in signers:
        context, signer_page = _as(browser, live_server, browser_log, signer)
        try:
            signer_page.goto(f"/groups/statements/{statement.slug}/")
            signer_page.get_by_role("button", name=f"Sign for {signer.organisation.name}").click()
            see(signer_page.locator(".messages"), f"You have signed for {signer.organisation.name}.")
        finally:
            context.close()

    sign_in(_patient(page), team.user.email, PASSWORD)
    page.goto(f"/groups/statements/{statement.slug}/")
    see(page.locator("main"), "3 signatories")
    assert_accessible(page, "a statement open for signature")
    page.get_by_role("button", name="Publish").click()
    see(page.locator(".messages"), "The statement has been published.")

    context, visitor = _open_page(browser, live_server, browser_log)
    _patient(visitor)
    try:
        visitor.goto(f"/statements/{statement.slug}/")
        for name in ("Helsinki Committee", "Civil Liberties Union", "Rights Watch"):
            see(visitor.locator("main"), name)
        expect(visitor.locator("main strong")).to_have_text("four", timeout=PATIENCE_MS)
        assert_accessible(visitor, "the public page of a statement")
    finally:
        context.close()
    assert Statement.objects.get().status == "published"
    browser_log.assert_clean()
