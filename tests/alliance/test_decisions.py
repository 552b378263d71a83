"""Collective decisions: proposing, answering with reasons, hidden results, closing on time, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import rules
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rare.alliance.decisions import queries, services
from rare.alliance.decisions.models import Answer, Proposal
from rare.core.models import AuditEntry, Notice
from rare.core.scheduling import registered
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    AnswerFactory,
    MembershipFactory,
    PersonFactory,
    ProgrammeFactory,
    ProposalFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _member(role=Role.PARTICIPANT, programme=None, **person_fields):
    person = PersonFactory(user=UserFactory(), **person_fields)
    MembershipFactory(person=person, role=role, **({"programme": programme} if programme else {}))
    return person


@pytest.fixture
def group_world(db):
    """A working group with a convener and two members, and an outsider of the same programme."""
    programme = ProgrammeFactory()
    convener = _member(programme=programme, name="Ada Convener")
    anna = _member(programme=programme, name="Anna Member")
    bela = _member(programme=programme, name="Bela Member")
    outsider = _member(programme=programme, name="Otto Outsider")
    group = WorkingGroupFactory(programme=programme, convener=convener, members=[anna, bela])
    return {"group": group, "convener": convener, "anna": anna, "bela": bela, "outsider": outsider}


def _propose(world, *, kind=Proposal.Kind.CONSENT, options=(), hide_results=False, hours=48, now=NOW):
    return services.create_proposal(
        created_by=world["convener"],
        actor=world["convener"].user,
        group=world["group"],
        kind=kind,
        title="Sign the civil-society strategy brief",
        body="We **propose** to sign the joint brief.",
        closes_at=now + dt.timedelta(hours=hours),
        options=options,
        hide_results=hide_results,
        now=now,
    )


def test_a_convener_proposes_to_their_group_and_the_electorate_is_told(group_world):
    proposal = _propose(group_world)

    electorate = set(queries.electorate(proposal).values_list("name", flat=True))
    notice = Notice.objects.get(dedupe_key=f"decision.opened:{proposal.pk}")
    assert electorate == {"Ada Convener", "Anna Member", "Bela Member"}
    assert (notice.kind, sorted(notice.recipient_ids)) == (
        "decision.opened",
        sorted(p.user_id for p in (group_world["convener"], group_world["anna"], group_world["bela"])),
    )
    assert proposal.allowed_groups.get() == group_world["group"]
    assert AuditEntry.objects.filter(action="decision.proposed").count() == 1


def test_a_proposal_of_a_public_group_is_still_for_members_only(group_world):
    group_world["group"].visibility = Visibility.PUBLIC
    group_world["group"].save()

    proposal = _propose(group_world)

    assert proposal.visibility == Visibility.MEMBERS
    assert list(Proposal.objects.visible_to(None)) == []


def test_a_proposal_of_a_closed_group_is_hidden_from_other_members(group_world):
    group_world["group"].visibility = Visibility.GROUP
    group_world["group"].save()
    proposal = _propose(group_world)

    seen = {
        key: Proposal.objects.visible_to(group_world[key].user).filter(pk=proposal.pk).exists()
        for key in ("anna", "outsider")
    }
    assert seen == {"anna": True, "outsider": False}


def test_who_may_propose(group_world):
    team = _member(role=Role.TEAM)
    assert [
        rules.has_perm("alliance.propose_decision", person.user)
        for person in (group_world["convener"], group_world["anna"], team)
    ] == [True, False, True]


def test_a_programme_wide_proposal_goes_to_participants_alumni_and_team_not_experts(db):
    programme = ProgrammeFactory()
    team = _member(role=Role.TEAM, programme=programme, name="Tea Team")
    _member(role=Role.ALUMNI, programme=programme, name="Alma Alumna")
    _member(role=Role.EXPERT, programme=programme, name="Ed Expert")
    _member(role=Role.PARTICIPANT, name="Other Programme")

    proposal = services.create_proposal(
        created_by=team,
        actor=team.user,
        programme=programme,
        kind=Proposal.Kind.VOTE,
        title="Venue of camp 10",
        body="Where shall we meet?",
        closes_at=NOW + dt.timedelta(days=3),
        options=["Vienna", "Cres"],
        now=NOW,
    )

    assert sorted(queries.electorate(proposal).values_list("name", flat=True)) == ["Alma Alumna", "Tea Team"]


def test_answers_take_reasons_and_can_change_until_the_close(group_world):
    proposal = _propose(group_world)
    anna = group_world["anna"]

    services.answer(proposal=proposal, person=anna, actor=anna.user, position="agree", reason="Good", now=NOW)
    services.answer(
        proposal=proposal, person=anna, actor=anna.user, position="object", reason="Ask 3 is too weak", now=NOW
    )

    answer = Answer.objects.get()
    assert (answer.position, answer.reason) == ("object", "Ask 3 is too weak")
    with pytest.raises(PermissionDenied):
        services.answer(
            proposal=proposal, person=anna, actor=anna.user, position="agree", now=NOW + dt.timedelta(days=3)
        )


def test_an_objection_needs_a_reason_and_outsiders_cannot_answer(group_world):
    proposal = _propose(group_world)
    with pytest.raises(ValidationError):
        services.answer(
            proposal=proposal, person=group_world["anna"], actor=None, position="object", reason=" ", now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.answer(proposal=proposal, person=group_world["outsider"], actor=None, position="agree", now=NOW)


def test_vote_poll_and_time_poll_count_in_the_database(group_world):
    vote = _propose(group_world, kind=Proposal.Kind.VOTE, options=["Letter", "Hearing"])
    letter, hearing = vote.options.all()
    times = [NOW + dt.timedelta(days=7, hours=h) for h in (0, 2)]
    poll = _propose(group_world, kind=Proposal.Kind.TIME_POLL, options=times)
    early, late = poll.options.all()
    for key, choice, when in (("anna", letter, "yes"), ("bela", hearing, "maybe"), ("convener", letter, "no")):
        person = group_world[key]
        services.answer(proposal=vote, person=person, actor=None, choices=[choice.pk], now=NOW)
        services.answer(proposal=poll, person=person, actor=None, choices={early.pk: when, late.pk: "yes"}, now=NOW)

    vote_result = queries.results(vote)
    poll_result = queries.results(poll)
    assert [(r.option.label, r.yes) for r in vote_result.options] == [("Letter", 2), ("Hearing", 1)]
    assert [r.option.label for r in vote_result.leading] == ["Letter"]
    assert [(r.yes, r.maybe, r.no) for r in poll_result.options] == [(1, 1, 1), (3, 0, 0)]
    assert [r.option for r in poll_result.leading] == [late]
    with pytest.raises(ValidationError):
        services.answer(proposal=vote, person=group_world["anna"], actor=None, choices=[letter.pk, hearing.pk], now=NOW)


def test_the_job_closes_on_time_records_the_result_and_asks_for_an_outcome(group_world):
    proposal = _propose(group_world, hours=24)
    for key, position, reason in (("anna", "agree", "Yes"), ("bela", "object", "Too vague")):
        person = group_world[key]
        services.answer(proposal=proposal, person=person, actor=None, position=position, reason=reason, now=NOW)

    assert services.close_due_proposals(now=NOW + dt.timedelta(hours=23, minutes=59)) == []
    assert services.close_due_proposals(now=NOW + dt.timedelta(hours=24)) == [proposal.pk]
    assert services.close_due_proposals(now=NOW + dt.timedelta(hours=25)) == []

    proposal.refresh_from_db()
    assert (proposal.status, proposal.closed_at, proposal.outcome_pending) == (
        "closed",
        NOW + dt.timedelta(hours=24),
        True,
    )
    assert (proposal.result["passed"], proposal.result["positions"]) == (
        False,
        {"agree": 1, "abstain": 0, "object": 1},
    )
    assert sorted(Notice.objects.filter(target_id=proposal.pk).values_list("kind", flat=True)) == [
        "decision.closed",
        "decision.opened",
        "decision.outcome_due",
    ]
    assert Notice.objects.get(kind="decision.outcome_due").recipient_ids == [group_world["convener"].user_id]


def test_the_close_job_is_registered_every_minute():
    job = registered()["alliance.decisions_close"]
    assert job.every == dt.timedelta(minutes=1)


def test_only_the_proposer_or_team_records_the_outcome_after_the_close(group_world, client):
    proposal = _propose(group_world, hours=1)
    anna = group_world["anna"]
    assert rules.has_perm("alliance.record_outcome", group_world["convener"].user, proposal) is False

    services.close_due_proposals(now=NOW + dt.timedelta(hours=2))
    proposal.refresh_from_db()
    client.force_login(anna.user)
    refused = client.post(f"/groups/decisions/{proposal.pk}/outcome/", {"outcome": "We sign."})
    client.force_login(group_world["convener"].user)
    recorded = client.post(f"/groups/decisions/{proposal.pk}/outcome/", {"outcome": "We sign on Monday."})

    proposal.refresh_from_db()
    assert (refused.status_code, recorded.status_code) == (404, 302)
    assert (proposal.outcome, proposal.outcome_by) == ("We sign on Monday.", group_world["convener"])
    assert "We sign on Monday." in client.get(proposal.get_absolute_url()).content.decode()


def test_hidden_results_are_hidden_from_everyone_until_the_close(group_world, client):
    proposal = _propose(group_world, hide_results=True, hours=24, now=timezone.now())
    services.answer(
        proposal=proposal, person=group_world["bela"], actor=None, position="object", reason="Secret reason"
    )
    team = _member(role=Role.TEAM)

    pages = {}
    for key, person in (("proposer", group_world["convener"]), ("team", team)):
        client.force_login(person.user)
        pages[key] = client.get(proposal.get_absolute_url()).content.decode()
    assert ["Secret reason" in page for page in pages.values()] == [False, False]
    assert "hidden until the proposal closes" in pages["proposer"]

    services.close_due_proposals(now=timezone.now() + dt.timedelta(days=2))
    after = client.get(proposal.get_absolute_url()).content.decode()
    assert ("Secret reason" in after, "Outcome pending" in after) == (True, True)


def test_visible_results_show_objections_with_reasons(group_world, client):
    proposal = _propose(group_world, now=timezone.now())
    AnswerFactory(proposal=proposal, person=group_world["bela"], position="object", reason="Ask 2 overlaps")
    client.force_login(group_world["anna"].user)

    body = client.get(proposal.get_absolute_url()).content.decode()

    assert "1 objection: the proposal does not pass as it stands." in body
    assert "Ask 2 overlaps" in body


def test_reminders_go_once_to_those_who_have_not_answered(
    group_world, tasks_run_now, django_capture_on_commit_callbacks
):
    proposal = _propose(group_world, hours=72)
    services.answer(proposal=proposal, person=group_world["anna"], actor=None, position="agree", now=NOW)

    too_early = services.send_reminders(now=NOW + dt.timedelta(hours=47))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_reminders(now=NOW + dt.timedelta(hours=48))
    again = services.send_reminders(now=NOW + dt.timedelta(hours=60))

    notice = Notice.objects.get(kind="decision.reminder")
    assert (too_early, first, again) == ({}, {proposal.pk: 2}, {})
    assert sorted(notice.recipient_ids) == sorted([group_world["bela"].user_id, group_world["convener"].user_id])
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert sorted(m.to[0] for m in reminders) == sorted(
        [group_world["bela"].user.email, group_world["convener"].user.email]
    )
    assert f"/groups/decisions/{proposal.pk}/" in reminders[0].body


def test_a_short_proposal_is_reminded_halfway(group_world):
    proposal = _propose(group_world, hours=4)
    assert services.reminder_due_at(proposal) == NOW + dt.timedelta(hours=2)
    assert services.send_reminders(now=NOW + dt.timedelta(hours=1)) == {}
    assert services.send_reminders(now=NOW + dt.timedelta(hours=2)) == {proposal.pk: 3}


def test_answering_through_the_page(group_world, client):
    proposal = _propose(group_world, now=timezone.now())
    client.force_login(group_world["anna"].user)

    missing_reason = client.post(f"/groups/decisions/{proposal.pk}/answer/", {"position": "object"})
    saved = client.post(
        f"/groups/decisions/{proposal.pk}/answer/", {"position": "object", "reason": "Needs a fourth ask"}
    )
    client.force_login(group_world["outsider"].user)
    outsider = client.post(f"/groups/decisions/{proposal.pk}/answer/", {"position": "agree"})

    assert (missing_reason.status_code, saved.status_code, outsider.status_code) == (400, 302, 404)
    assert list(Answer.objects.values_list("person__name", "position", "reason")) == [
        ("Anna Member", "object", "Needs a fourth ask")
    ]


def test_a_convener_creates_a_time_poll_through_the_form(group_world, client):
    client.force_login(group_world["convener"].user)
    response = client.post(
        "/groups/decisions/new/",
        {
            "group": group_world["group"].pk,
            "kind": "time_poll",
            "title": "Next group call",
            "body": "When can we talk?",
            "options": "2031-05-04 14:00\n2031-05-05 09:30",
            "closes_at": "2031-05-01T12:00",
        },
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.kind, proposal.options.count(), proposal.group) == ("time_poll", 2, group_world["group"])


def test_a_member_who_convenes_nothing_cannot_open_the_form(group_world, client):
    client.force_login(group_world["anna"].user)
    assert client.get("/groups/decisions/new/").status_code == 404


def test_a_visitor_sees_no_decision(group_world, client):
    proposal = _propose(group_world)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert "Sign the civil-society" not in client.get("/groups/decisions/").content.decode()


def test_the_list_needs_the_same_number_of_queries_for_3_and_30_proposals(db, client):
    member = _member()
    group = WorkingGroupFactory(members=[member])
    client.force_login(member.user)

    def count() -> int:
        client.get("/groups/decisions/")
        with CaptureQueriesContext(connection) as run:
            client.get("/groups/decisions/")
        return len(run)

    for _n in range(3):
        AnswerFactory(proposal=ProposalFactory(group=group), person=member)
    few = count()
    for _n in range(27):
        AnswerFactory(proposal=ProposalFactory(group=group, status="closed"), person=member)
    many = count()
    assert few == many
