"""The demo's open call, and the admin of calls and applications."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from rare.programme.calls.demo import APPLICANTS, load_demo_calls
from rare.programme.models import Application, Call, Membership, Review
from tests.factories import ApplicationFactory
from tests.programme.calls.conftest import person_with_role

pytestmark = pytest.mark.django_db


def test_demo_call_for_cohort_2_is_open_and_loading_it_twice_adds_nothing():
    reviewer = person_with_role(Membership.Role.TEAM, email="team@example.org")

    call = load_demo_calls()
    load_demo_calls()

    assert Call.objects.count() == 1
    assert call.programme.name == "RARE cohort 2"
    assert call.opens_at <= timezone.now() < call.deadline
    assert (call.deadline - timezone.now()).days >= 21
    assert Application.objects.filter(call=call).count() == len(APPLICANTS)
    assert Review.objects.filter(reviewer=reviewer).count() == 2


def test_demo_call_page_is_open_for_visitors(client):
    call = load_demo_calls()

    body = client.get(f"/calls/{call.slug}/").content.decode()

    assert "<h2>Who can apply</h2>" in body
    assert 'name="motivation"' in body


def test_admin_shows_what_applicants_wrote_without_letting_the_team_change_it(client):
    team = person_with_role(Membership.Role.TEAM, is_staff=True)
    application = ApplicationFactory(motivation="We want allies in Riga.")
    client.force_login(team)

    response = client.get(f"/{settings.RARE_ADMIN_PATH}/programme/application/{application.pk}/change/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "We want allies in Riga." in body
    assert 'name="motivation"' not in body
    assert 'name="name"' in body
