"""The demo alerts: varied, fictional, with pledges, and loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from rare.core.visibility import Visibility
from rare.solidarity.demo import FICTIONAL, load_demo_alerts, remove_demo_alerts
from rare.solidarity.models import Alert, AlertUpdate, Pledge
from tests.factories import AlertFactory


@pytest.mark.django_db
def test_demo_alerts_cover_countries_levels_statuses_and_responses(client, settings):
    call_command("demo", verbosity=0)

    alerts = list(Alert.objects.all())
    assert len(alerts) == 8
    assert all(a.summary.startswith(FICTIONAL) for a in alerts)
    assert len({a.country.code for a in alerts}) == 8
    assert {a.visibility for a in alerts} == set(Visibility.values)
    assert {a.status for a in alerts} == set(Alert.Status.values)
    assert {a.verified_by.email for a in alerts if a.verified_by} == {"duty@example.org"}
    assert AlertUpdate.objects.filter(kind=AlertUpdate.Kind.AUTHORITY_REPLY).count() == 2
    assert Pledge.objects.count() == 9
    assert Pledge.objects.filter(status=Pledge.Status.DONE).count() == 4
    assert load_demo_alerts() == 0
    assert Alert.objects.count() == 8

    client.login(email="duty@example.org", password=settings.RARE_DEMO_PASSWORD)
    page = client.get("/alerts/coverage/").content.decode()
    assert "Assembly monitor assaulted after a protest in Sofia" in page
    client.login(email="participant@example.org", password=settings.RARE_DEMO_PASSWORD)
    listing = client.get("/alerts/").content.decode()
    assert "Pro-government weekly" in listing
    assert "Assembly monitor assaulted" not in listing


@pytest.mark.django_db
def test_demo_alerts_are_removed_with_the_demo_and_load_again():
    call_command("demo", verbosity=0)
    AlertFactory(title="A real alert")
    remove_demo_alerts()
    assert list(Alert.objects.values_list("title", flat=True)) == ["A real alert"]
    assert load_demo_alerts() == 8
    assert Alert.objects.count() == 9
