"""The public call page: open, closed and not-yet-open calls, applying, spam protection, encryption."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from rare.core.models import AuditEntry
from rare.programme.models import Application
from tests.factories import ApplicationFactory, CallFactory, ThemeFactory

pytestmark = pytest.mark.django_db

MOTIVATION = "Our lawyers were followed after the hearing in Szeged; we need allies abroad."


def _form(**overrides) -> dict:
    data = {
        "name": "Zsófia Kertész",
        "email": "Zsofia@Example.net",
        "organisation_name": "Danube Civil Liberties",
        "country": "HU",
        "role": "Executive director",
        "seniority": Application.Seniority.DIRECTOR,
        "track_record": "Twelve years of strategic litigation on freedom of assembly.",
        "motivation": MOTIVATION,
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _apply(client, call, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/calls/{call.slug}/", _form(**overrides), REMOTE_ADDR="203.0.113.9")


def test_call_list_shows_open_upcoming_and_past_calls(client):
    now = timezone.now()
    CallFactory(title="Cohort 3 call")
    CallFactory(title="Cohort 4 call", opens_at=now + dt.timedelta(days=30), deadline=now + dt.timedelta(days=60))
    CallFactory(title="Cohort 1 call", opens_at=now - dt.timedelta(days=900), deadline=now - dt.timedelta(days=800))

    body = client.get("/calls/").content.decode()

    open_at, upcoming_at, past_at = (body.index(title) for title in ("Cohort 3", "Cohort 4", "Cohort 1"))
    assert body.index("Open calls") < open_at < body.index("Opening soon") < upcoming_at
    assert body.index("Past calls") < past_at


def test_open_call_shows_its_description_as_sanitised_markdown_and_the_form(client):
    call = CallFactory(description="We look for **senior staff**.\n\n<script>alert(1)</script>")

    response = client.get(f"/calls/{call.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>senior staff</strong>" in body
    assert "alert(1)" not in body
    assert 'name="motivation"' in body
    assert "csrfmiddlewaretoken" in body


def test_after_the_deadline_the_form_is_gone_and_the_page_says_when_it_closed(
    client, django_capture_on_commit_callbacks
):
    now = timezone.now()
    call = CallFactory(opens_at=now - dt.timedelta(days=40), deadline=now - dt.timedelta(days=2))

    body = client.get(f"/calls/{call.slug}/").content.decode()
    late = _apply(client, call, django_capture_on_commit_callbacks)

    assert "This call closed on" in body
    assert timezone.localtime(call.deadline).strftime("%Y") in body
    assert 'name="motivation"' not in body
    assert late.status_code == 410
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_before_it_opens_the_page_says_when_it_opens(client, django_capture_on_commit_callbacks):
    now = timezone.now()
    call = CallFactory(opens_at=now + dt.timedelta(days=3), deadline=now + dt.timedelta(days=30))

    body = client.get(f"/calls/{call.slug}/").content.decode()
    early = _apply(client, call, django_capture_on_commit_callbacks)

    assert "This call opens on" in body
    assert 'name="motivation"' not in body
    assert early.status_code == 410
    assert Application.objects.count() == 0


def test_applying_stores_the_application_emails_a_confirmation_and_thanks(client, django_capture_on_commit_callbacks):
    call = CallFactory(title="Call for cohort 2")
    topic = ThemeFactory(name="Civic space")

    response = _apply(client, call, django_capture_on_commit_callbacks, topics=[topic.pk])

    assert response.status_code == 302
    assert response["Location"] == f"/calls/{call.slug}/thanks/"
    application = Application.objects.get()
    assert (application.name, application.email, application.country.code, application.status) == (
        "Zsófia Kertész",
        "zsofia@example.net",
        "HU",
        Application.Status.SUBMITTED,
    )
    assert application.motivation == MOTIVATION
    assert list(application.topics.all()) == [topic]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zsofia@example.net"]
    assert mail.outbox[0].subject == "We received your application: Call for cohort 2"
    assert "Hello Zsófia Kertész," in mail.outbox[0].body
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for applying" in thanks


def test_the_application_remembers_the_language_it_was_written_in(client, django_capture_on_commit_callbacks):
    call = CallFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    _apply(client, call, django_capture_on_commit_callbacks)

    assert Application.objects.get().language == "de"
    assert len(mail.outbox) == 1


def test_the_audit_trail_notes_the_application_without_what_it_says(client, django_capture_on_commit_callbacks):
    call = CallFactory()

    _apply(client, call, django_capture_on_commit_callbacks)

    entry = AuditEntry.objects.get(action="application.submitted")
    assert entry.actor is None
    assert entry.target_repr == f"application #{Application.objects.get().pk}"
    assert "Szeged" not in str(entry.details)
    assert "Kertész" not in str(entry.details)


def test_a_missing_required_answer_keeps_what_was_typed(client, django_capture_on_commit_callbacks):
    call = CallFactory()

    response = _apply(client, call, django_capture_on_commit_callbacks, motivation="")

    assert response.status_code == 400
    assert "Danube Civil Liberties" in response.content.decode()
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_a_filled_honeypot_is_thanked_but_nothing_is_stored_or_sent(client, django_capture_on_commit_callbacks):
    call = CallFactory()

    response = _apply(client, call, django_capture_on_commit_callbacks, website="http://spam.example/")

    assert response.status_code == 302
    assert response["Location"] == f"/calls/{call.slug}/thanks/"
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_one_address_may_send_five_applications_an_hour(client, django_capture_on_commit_callbacks):
    call = CallFactory()

    answers = [
        _apply(client, call, django_capture_on_commit_callbacks, email=f"person{n}@example.net").status_code
        for n in range(6)
    ]
    other_address = client.post(
        f"/calls/{call.slug}/", _form(email="elsewhere@example.net"), REMOTE_ADDR="198.51.100.20"
    )

    assert answers == [302, 302, 302, 302, 302, 429]
    assert other_address.status_code == 302
    assert Application.objects.count() == 6


def test_the_form_needs_a_csrf_token(django_capture_on_commit_callbacks):
    from django.test import Client

    call = CallFactory()
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(f"/calls/{call.slug}/", _form())

    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_the_database_holds_no_plaintext_of_what_applicants_wrote():
    ApplicationFactory(motivation=MOTIVATION, track_record="Won the Szeged assembly case in 2019.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM programme_application")
        raw = repr(cursor.fetchall())

    assert "Szeged" not in raw
    assert "allies abroad" not in raw
    assert Application.objects.get().motivation == MOTIVATION


def test_an_unknown_call_is_not_found(client):
    assert client.get("/calls/no-such-call/").status_code == 404
