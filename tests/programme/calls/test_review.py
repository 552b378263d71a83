"""The team's review of applications: access, lists, filters, blind scoring, decisions and notices."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rare.accounts.models import Invitation
from rare.accounts.services import accept_invitation
from rare.core.models import AuditEntry
from rare.programme.models import Application, Membership, Review
from tests.factories import ApplicationFactory, CallFactory, ReviewFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def _list_url(call) -> str:
    return f"/team/calls/{call.slug}/applications/"


def _detail_url(application) -> str:
    return f"/team/calls/{application.call.slug}/applications/{application.pk}/"


def _names(response) -> list[str]:
    return re.findall(r'/applications/\d+/">([^<]+)</a>', response.content.decode())


def _bulk(client, call, action, applications, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            f"/team/calls/{call.slug}/applications/bulk/",
            {"action": action, "applications": [a.pk for a in applications]},
        )


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/team/calls/", "applications", "detail"])
def test_team_pages_send_visitors_to_sign_in_and_hide_from_participants(client, participant, path):
    application = ApplicationFactory()
    url = {"applications": _list_url(application.call), "detail": _detail_url(application)}.get(path, path)

    visitor = client.get(url)
    client.force_login(participant)
    member = client.get(url)

    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/accounts/login/?next=")
    assert member.status_code == 404


def test_a_participant_cannot_decide(client, participant, django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    client.force_login(participant)

    response = _bulk(client, application.call, Status.ACCEPTED, [application], django_capture_on_commit_callbacks)

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert Invitation.objects.count() == 0


# --- Lists --------------------------------------------------------------------------------------


def test_team_sees_calls_with_counts_per_status(client, team_user):
    call = CallFactory(title="Cohort 2 call")
    ApplicationFactory.create_batch(3, call=call)
    ApplicationFactory(call=call, status=Status.ACCEPTED)
    client.force_login(team_user)

    body = client.get("/team/calls/").content.decode()

    assert "Cohort 2 call" in body
    assert re.search(r"data-label=\"Applications\">4<", body)
    assert re.search(r"data-label=\"Undecided\">3<", body)


def test_application_list_filters_by_status_country_and_search(client, team_user):
    call = CallFactory()
    ApplicationFactory(call=call, name="Ana Polska", country="PL")
    ApplicationFactory(call=call, name="Bo Magyar", country="HU", organisation_name="Pest Watch")
    ApplicationFactory(call=call, name="Cy Accepted", country="HU", status=Status.ACCEPTED)
    ApplicationFactory(name="Other Call")
    client.force_login(team_user)

    everyone = client.get(_list_url(call))
    hungary = client.get(_list_url(call), {"country": "HU"})
    accepted = client.get(_list_url(call), {"status": Status.ACCEPTED})
    search = client.get(_list_url(call), {"q": "pest"})

    assert sorted(_names(everyone)) == ["Ana Polska", "Bo Magyar", "Cy Accepted"]
    assert sorted(_names(hungary)) == ["Bo Magyar", "Cy Accepted"]
    assert _names(accepted) == ["Cy Accepted"]
    assert _names(search) == ["Bo Magyar"]
    assert "Submitted: 2" in everyone.content.decode()
    assert "Accepted: 1" in everyone.content.decode()


def test_list_shows_review_counts_and_the_average_only_after_scoring(client, team_user, second_reviewer):
    call = CallFactory()
    scored = ApplicationFactory(call=call, name="Scored By Me")
    unscored = ApplicationFactory(call=call, name="Not By Me")
    ReviewFactory(application=scored, reviewer=team_user, score=5)
    ReviewFactory(application=scored, reviewer=second_reviewer, score=2)
    ReviewFactory(application=unscored, reviewer=second_reviewer, score=1)
    client.force_login(team_user)

    body = client.get(_list_url(call)).content.decode()

    scored_row = body[body.index("Scored By Me") : body.index("</tr>", body.index("Scored By Me"))]
    unscored_row = body[body.index("Not By Me") : body.index("</tr>", body.index("Not By Me"))]
    assert "3.5" in scored_row
    assert "(yours: 5)" in scored_row
    assert 'data-label="Reviews">1<' in unscored_row
    assert "after your score" in unscored_row


def _count_queries(client, url) -> int:
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_application_list_query_count_does_not_grow_with_applications(client, team_user, second_reviewer):
    small, large = CallFactory(), CallFactory()
    for call, count in ((small, 5), (large, 50)):
        for application in ApplicationFactory.create_batch(count, call=call):
            ReviewFactory(application=application, reviewer=second_reviewer)
            ReviewFactory(application=application, reviewer=team_user)
    client.force_login(team_user)

    assert _count_queries(client, _list_url(large)) == _count_queries(client, _list_url(small))


def test_team_call_list_query_count_does_not_grow_with_calls(client, team_user):
    client.force_login(team_user)
    CallFactory.create_batch(2)
    few = _count_queries(client, "/team/calls/")
    CallFactory.create_batch(20)

    assert _count_queries(client, "/team/calls/") == few


def test_public_call_list_query_count_does_not_grow_with_calls(client):
    CallFactory.create_batch(2)
    few = _count_queries(client, "/calls/")
    CallFactory.create_batch(20)

    assert _count_queries(client, "/calls/") == few


# --- Reading and scoring --------------------------------------------------------------------------


def test_detail_shows_the_decrypted_text_and_is_audited(client, team_user):
    application = ApplicationFactory(motivation="We defend journalists in Lviv.")
    client.force_login(team_user)

    response = client.get(_detail_url(application))

    assert response.status_code == 200
    assert "We defend journalists in Lviv." in response.content.decode()
    entry = AuditEntry.objects.get(action="application.viewed")
    assert (entry.actor, entry.target_repr) == (team_user, f"application #{application.pk}")
    assert "Lviv" not in str(entry.details)


def test_an_application_of_another_call_is_not_found(client, team_user):
    application = ApplicationFactory()
    client.force_login(team_user)

    response = client.get(f"/team/calls/{CallFactory().slug}/applications/{application.pk}/")

    assert response.status_code == 404


def test_other_reviewers_scores_stay_hidden_until_the_reviewer_has_scored(client, team_user, second_reviewer):
    application = ApplicationFactory()
    ReviewFactory(application=application, reviewer=second_reviewer, score=2, comment="Weak on advocacy results.")
    client.force_login(team_user)

    before = client.get(_detail_url(application)).content.decode()
    saved = client.post(_detail_url(application), {"score": "5", "comment": "Outstanding litigation record."})
    after = client.get(_detail_url(application)).content.decode()

    assert "Weak on advocacy results." not in before
    assert "Otto Other" not in before
    assert "1 colleague has scored this application" in before
    assert saved.status_code == 302
    assert "Weak on advocacy results." in after
    assert "Otto Other" in after
    assert "Average of all scores: 3.5" in after
    review = Review.objects.get(reviewer=team_user)
    assert (review.score, review.comment) == (5, "Outstanding litigation record.")


def test_the_second_reviewer_also_cannot_see_the_first_score_before_scoring(client, team_user, second_reviewer):
    application = ApplicationFactory()
    client.force_login(team_user)
    client.post(_detail_url(application), {"score": "4", "comment": "Rita thinks it is good."})
    client.force_login(second_reviewer)

    before = client.get(_detail_url(application)).content.decode()
    client.post(_detail_url(application), {"score": "3", "comment": ""})
    after = client.get(_detail_url(application)).content.decode()

    assert "Rita thinks it is good." not in before
    assert "Rita thinks it is good." in after


def test_a_reviewer_changes_their_score_instead_of_adding_one(client, team_user):
    application = ApplicationFactory()
    client.force_login(team_user)

    client.post(_detail_url(application), {"score": "2"})
    client.post(_detail_url(application), {"score": "4"})
    invalid = client.post(_detail_url(application), {"score": "9"})

    assert list(Review.objects.values_list("score", flat=True)) == [4]
    assert invalid.status_code == 400
    assert AuditEntry.objects.filter(action="application.reviewed").count() == 2


# --- Decisions ---------------------------------------------------------------------------------


def test_bulk_accepting_invites_each_applicant_who_can_then_join_the_programme(
    client, team_user, django_capture_on_commit_callbacks
):
    call = CallFactory()
    chosen = ApplicationFactory.create_batch(2, call=call)
    other = ApplicationFactory(call=call)
    client.force_login(team_user)

    response = _bulk(client, call, Status.ACCEPTED, chosen, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == _list_url(call)
    for application in chosen:
        application.refresh_from_db()
        assert application.status == Status.ACCEPTED
        assert application.decided_by == team_user
        invitation = application.invitation
        assert (invitation.email, invitation.programme, invitation.role) == (
            application.email,
            call.programme,
            Membership.Role.PARTICIPANT,
        )
    other.refresh_from_db()
    assert (other.status, other.invitation) == (Status.SUBMITTED, None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in chosen)

    token = re.search(r"/account/invite/([^/\s]+)/", mail.outbox[0].body).group(1)
    user = accept_invitation(token=token, name="New Participant", password="a-long-new-passphrase")
    assert Membership.objects.filter(
        person__user=user, programme=call.programme, role=Membership.Role.PARTICIPANT
    ).exists()
    assert AuditEntry.objects.filter(action="application.decided").count() == 2


def test_accepting_twice_sends_one_invitation(client, team_user, django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    client.force_login(team_user)

    _bulk(client, application.call, Status.ACCEPTED, [application], django_capture_on_commit_callbacks)
    _bulk(client, application.call, Status.WAITLISTED, [application], django_capture_on_commit_callbacks)
    _bulk(client, application.call, Status.ACCEPTED, [application], django_capture_on_commit_callbacks)

    assert Invitation.objects.filter(email=application.email).count() == 1
    assert len(mail.outbox) == 1


def test_not_selected_applicants_are_emailed_only_when_the_team_says_so_and_once(
    client, team_user, django_capture_on_commit_callbacks
):
    call = CallFactory()
    refused = ApplicationFactory.create_batch(2, call=call)
    waiting = ApplicationFactory(call=call)
    client.force_login(team_user)

    _bulk(client, call, Status.REJECTED, refused, django_capture_on_commit_callbacks)
    _bulk(client, call, Status.WAITLISTED, [waiting], django_capture_on_commit_callbacks)
    assert mail.outbox == []

    _bulk(client, call, "notify", [*refused, waiting], django_capture_on_commit_callbacks)
    _bulk(client, call, "notify", refused, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in refused)
    assert "could not offer you a place" in mail.outbox[0].body
    assert Invitation.objects.count() == 0
    assert AuditEntry.objects.filter(action="application.notified").count() == 2


def test_one_decision_from_the_application_page(client, team_user, django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    client.force_login(team_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{_detail_url(application)}decision/", {"status": Status.WITHDRAWN})

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == Status.WITHDRAWN
    assert application.decided_at is not None
    assert mail.outbox == []


def test_bulk_ignores_applications_of_other_calls(client, team_user, django_capture_on_commit_callbacks):
    call = CallFactory()
    stranger = ApplicationFactory()
    client.force_login(team_user)

    _bulk(client, call, Status.ACCEPTED, [stranger], django_capture_on_commit_callbacks)

    stranger.refresh_from_db()
    assert stranger.status == Status.SUBMITTED
    assert Invitation.objects.count() == 0


def test_bulk_returns_to_the_same_filtered_page(client, team_user, django_capture_on_commit_callbacks):
    application = ApplicationFactory(country="HU")
    client.force_login(team_user)
    back = f"{_list_url(application.call)}?country=HU&page=1"

    response = client.post(
        f"/team/calls/{application.call.slug}/applications/bulk/",
        {"action": Status.WAITLISTED, "applications": [application.pk], "next": back},
    )
    elsewhere = client.post(
        f"/team/calls/{application.call.slug}/applications/bulk/",
        {"action": Status.WAITLISTED, "applications": [application.pk], "next": "https://evil.example/"},
    )

    assert response["Location"] == back
    assert elsewhere["Location"] == _list_url(application.call)
