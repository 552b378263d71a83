import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from rare.core.models import AuditEntry
from rare.learning.feedback import queries, services
from rare.learning.models import AnonymousAnswer, FeedbackForm, FeedbackSubmission, NamedAnswer
from rare.programme.models import Membership
from tests.factories import (
    CampFactory,
    FeedbackFormFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.learning.helpers import answer_url, member, results_url, session_answer


@pytest.fixture
def session(db):
    from rare.learning.models import Competency

    session = SessionFactory(title="Strategic litigation before the Court of Justice")
    programme = session.camp.programme
    session.competencies.add(
        Competency.objects.create(programme=programme, name="Strategic litigation", slug="litigation", position=1),
        Competency.objects.create(programme=programme, name="EU policy-making", slug="eu-policy", position=2),
    )
    return session


@pytest.fixture
def team(session):
    return member(session.camp.programme, Membership.Role.TEAM)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_attendee_answers_an_anonymous_form_once(session):
    form = FeedbackFormFactory(session=session)
    user = member(session.camp.programme, attends=session)
    client = signed_in(user)

    page = client.get(answer_url(form))
    assert page.status_code == 200
    assert "cannot be changed" in page.content.decode()

    litigation = session.competencies.get(slug="litigation")
    sent = client.post(
        answer_url(form), session_answer(4, 5, "Clear and practical.", **{f"learned_{litigation.pk}": 5})
    )
    assert sent.status_code == 302
    answer = AnonymousAnswer.objects.get()
    assert (answer.overall, answer.usefulness, answer.learned, answer.comment) == (
        4,
        5,
        {str(litigation.pk): 5},
        "Clear and practical.",
    )
    assert FeedbackSubmission.objects.filter(form=form, person=user.person).count() == 1

    again = client.post(answer_url(form), session_answer(1, 1, "Changed my mind."))
    assert again.status_code == 400
    assert AnonymousAnswer.objects.count() == 1
    assert "You have answered this form" in client.get(answer_url(form)).content.decode()


def test_only_people_who_attended_or_registered_may_answer(session):
    form = FeedbackFormFactory(session=session)
    stranger = member(session.camp.programme)
    registered = member(session.camp.programme)
    RegistrationFactory(camp=session.camp, person=registered.person)

    assert signed_in(stranger).get(answer_url(form)).status_code == 404
    assert signed_in(stranger).post(answer_url(form), session_answer()).status_code == 404
    assert signed_in(registered).get(answer_url(form)).status_code == 200
    assert Client().get(answer_url(form)).status_code == 302  # a visitor is sent to sign in


def test_a_closed_or_future_form_takes_no_answer(session):
    now = timezone.now()
    closed = FeedbackFormFactory(
        session=session, opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=2)
    )
    future = FeedbackFormFactory(
        session=session, opens_at=now + dt.timedelta(days=2), closes_at=now + dt.timedelta(days=9)
    )
    client = signed_in(member(session.camp.programme, attends=session))

    assert client.post(answer_url(closed), session_answer()).status_code == 400
    assert "opens on" in client.get(answer_url(future)).content.decode()
    assert client.post(answer_url(future), session_answer()).status_code == 400
    assert AnonymousAnswer.objects.count() == 0


def test_anonymous_results_appear_only_after_three_answers(session, team):
    form = FeedbackFormFactory(session=session)
    people = [member(session.camp.programme, attends=session) for _ in range(3)]
    team_client = signed_in(team)

    for number, user in enumerate(people[:2], start=1):
        services.submit_answer(
            form=form, person=user.person, overall=number + 2, usefulness=4, comment=f"Note {number}"
        )
    page = team_client.get(results_url(form)).content.decode()
    assert "Results appear after 3 answers." in page
    assert "Note 1" not in page
    assert "2 of 3 who may answer" in page

    services.submit_answer(form=form, person=people[2].person, overall=5, usefulness=4, comment="Note 3")
    results = queries.results_of(form, with_names=True)
    assert [(q.label, q.average, q.answered, q.counts) for q in results.questions] == [
        ("Overall", 4.0, 3, [0, 0, 1, 1, 1]),
        ("Usefulness for my work", 4.0, 3, [0, 0, 0, 3, 0]),
    ]
    assert sorted(c.text for c in results.comments) == ["Note 1", "Note 2", "Note 3"]
    assert [c.author for c in results.comments] == ["", "", ""]
    page = team_client.get(results_url(form)).content.decode()
    assert "Results appear after" not in page
    assert "Note 3" in page
    for user in people:
        assert user.person.name not in page


def test_named_answers_can_be_changed_and_show_their_author_to_the_team(session, team):
    form = FeedbackFormFactory(session=session, anonymous=False)
    user = member(session.camp.programme, attends=session, name="Ilona Example")
    client = signed_in(user)

    assert client.post(answer_url(form), session_answer(2, 3, "Too short.")).status_code == 302
    assert "Save my answer" in client.get(answer_url(form)).content.decode()
    assert client.post(answer_url(form), session_answer(4, 4, "Better on reflection.")).status_code == 302

    answer = NamedAnswer.objects.get()
    assert (answer.person, answer.overall, answer.comment) == (user.person, 4, "Better on reflection.")
    page = signed_in(team).get(results_url(form)).content.decode()
    assert "Better on reflection." in page
    assert "Ilona Example" in page


def test_camp_evaluation_asks_about_logistics_and_sessions(db):
    camp = CampFactory()
    form = FeedbackFormFactory(session=None, camp=camp)
    user = member(camp.programme)
    RegistrationFactory(camp=camp, person=user.person)
    client = signed_in(user)

    page = client.get(answer_url(form)).content.decode()
    assert "Travel, venue and organisation" in page
    sent = client.post(answer_url(form), {"overall": 5, "logistics": 3, "sessions": 4, "comment": ""})
    assert sent.status_code == 302
    answer = AnonymousAnswer.objects.get()
    assert (answer.overall, answer.logistics, answer.sessions, answer.usefulness) == (5, 3, 4, None)


def test_feedback_due_lists_open_forms_not_yet_answered(session):
    user = member(session.camp.programme, attends=session)
    open_form = FeedbackFormFactory(session=session)
    FeedbackFormFactory(session=SessionFactory(camp=session.camp))  # did not attend that one
    answered = FeedbackFormFactory(session=session)
    services.submit_answer(form=answered, person=user.person, overall=3, usefulness=3)

    assert queries.forms_due_for(user.person) == [open_form]
    page = signed_in(user).get("/learning/feedback/").content.decode()
    assert answer_url(open_form) in page
    assert answer_url(answered) not in page


def test_the_team_creates_a_form_and_participants_cannot(session, team):
    now = timezone.localtime()
    data = {
        "session": session.pk,
        "anonymous": "on",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }
    participant = member(session.camp.programme, attends=session)
    assert signed_in(participant).post("/learning/feedback/new/", data).status_code == 404

    response = signed_in(team).post("/learning/feedback/new/", data)
    form = FeedbackForm.objects.get()
    assert response.status_code == 302
    assert (form.session, form.anonymous, form.announced) == (session, True, True)
    assert AuditEntry.objects.filter(action="feedback.form_created", target_id=str(form.pk)).count() == 1


def test_a_form_needs_exactly_one_of_session_or_camp(session, team):
    now = timezone.localtime()
    data = {
        "session": session.pk,
        "camp": session.camp.pk,
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert signed_in(team).post("/learning/feedback/new/", data).status_code == 400
    assert FeedbackForm.objects.count() == 0


def test_forms_that_open_later_are_announced_by_the_periodic_job(session):
    now = timezone.now()
    later = FeedbackFormFactory(session=session, opens_at=now + dt.timedelta(hours=1))
    assert services.announce_open_forms(now=now) == 0
    assert services.announce_open_forms(now=now + dt.timedelta(hours=2)) == 1
    later.refresh_from_db()
    assert later.announced is True
    assert services.announce_open_forms(now=now + dt.timedelta(hours=3)) == 0


def test_speakers_see_results_of_their_sessions_only(session):
    form = FeedbackFormFactory(session=session)
    other = FeedbackFormFactory(session=SessionFactory(camp=session.camp))
    speaker = member(session.camp.programme, Membership.Role.EXPERT)
    session.speakers.add(speaker.person)
    client = signed_in(speaker)

    assert client.get(results_url(form)).status_code == 200
    assert client.get(results_url(other)).status_code == 404
    assert signed_in(member(session.camp.programme, attends=session)).get(results_url(form)).status_code == 404
    assert results_url(form) in client.get("/learning/feedback/").content.decode()


def _forms_with_answers(count: int, programme) -> None:
    for _ in range(count):
        form = FeedbackFormFactory(session=SessionFactory(camp=CampFactory(programme=programme)))
        FeedbackSubmission.objects.create(form=form, person=member(programme).person)


def test_the_team_list_does_not_grow_in_queries(db, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = ProgrammeFactory()
    team = member(programme, Membership.Role.TEAM)
    client = signed_in(team)
    counts = []
    for rows in (3, 30):
        _forms_with_answers(rows - FeedbackForm.objects.count(), programme)
        with CaptureQueriesContext(connection) as queries_run:
            response = client.get("/learning/feedback/results/")
        assert response.status_code == 200
        counts.append(len(queries_run))
    assert counts[0] == counts[1]


def test_the_results_page_does_not_grow_in_queries(session, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    form = FeedbackFormFactory(session=session)
    client = signed_in(team)
    counts = []
    for rows in (3, 30):
        while FeedbackSubmission.objects.filter(form=form).count() < rows:
            user = member(session.camp.programme, attends=session)
            services.submit_answer(form=form, person=user.person, overall=4, usefulness=3, comment="Fine.")
        with CaptureQueriesContext(connection) as queries_run:
            response = client.get(results_url(form))
        assert response.status_code == 200
        counts.append(len(queries_run))
    assert counts[0] == counts[1]


def test_attendees_are_told_when_a_form_opens(
    session, team, tasks_run_now, mailoutbox, django_capture_on_commit_callbacks
):
    from rare.core.models import Notice

    attendee = member(session.camp.programme, attends=session)
    member(session.camp.programme)  # did not attend: not told
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        form = services.create_form(
            actor=team, session=session, anonymous=True, opens_at=now, closes_at=now + dt.timedelta(days=7)
        )
    notice = Notice.objects.get(kind="learning.feedback_open")
    assert notice.dedupe_key == f"learning.feedback_open:{form.pk}"
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([attendee.email], f"Your feedback, please: Feedback on {session.title}")
    ]
