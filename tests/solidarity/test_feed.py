"""The public alerts feed, read with a real feed parser, and the open data of the monitor: only public
records, and no restricted title anywhere in the bytes."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from django.utils import timezone

from rare.core.visibility import Visibility
from rare.monitor.models import Measure
from rare.solidarity.models import Alert
from tests.factories import AlertFactory, MeasureFactory, PledgeFactory

HIDDEN = {
    "members": "Hidden members alert about Veszprém",
    "group": "Hidden group alert about Pécs",
    "restricted": "Hidden restricted alert about Eger",
}


def _alert(title: str, visibility: str, *, verified: bool = True, **fields) -> Alert:
    if verified:
        fields.update(status=Alert.Status.VERIFIED, verified_at=timezone.now())
    return AlertFactory(title=title, visibility=visibility, **fields)


@pytest.fixture
def alerts(db):
    public = _alert("Public alert about Debrecen", Visibility.PUBLIC, summary="The union's office was searched.")
    _alert("Public but not yet verified alert", Visibility.PUBLIC, verified=False)
    for level, title in HIDDEN.items():
        _alert(title, level, details=f"Confidential {level} details", summary=f"Summary of {title}")
    PledgeFactory(alert=public, note="A pledge note that is not for the feed")
    return public


def test_feed_parses_and_holds_only_public_verified_alerts(client, alerts):
    response = client.get("/feeds/alerts.atom")

    feed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.bozo == 0
    assert feed.feed.title == "RARE alerts"
    assert [entry.title for entry in feed.entries] == ["Public alert about Debrecen"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/alerts/{alerts.pk}/"
    assert entry.summary == "The union's office was searched."
    assert [tag.term for tag in entry.tags] == ["judicial harassment, including SLAPPs"]
    body = response.content.decode()
    for title in HIDDEN.values():
        assert title not in body
    for text in ("Confidential", "not yet verified", "pledge note", "Veszprém", "Pécs", "Eger"):
        assert text not in body


def test_feed_is_the_same_for_a_signed_in_duty_officer(client, alerts):
    from rare.programme.models import Membership
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    officer = PersonFactory(user=UserFactory())
    MembershipFactory(person=officer, role=Membership.Role.DUTY_OFFICER)
    client.force_login(officer.user)

    feed = feedparser.parse(client.get("/feeds/alerts.atom").content)

    assert [entry.title for entry in feed.entries] == ["Public alert about Debrecen"]


def test_open_data_holds_only_public_records(client, alerts):
    MeasureFactory(title="Public measure", country="HU", visibility=Visibility.PUBLIC)
    for level in (Visibility.MEMBERS, Visibility.GROUP, Visibility.RESTRICTED):
        MeasureFactory(title=f"Hidden {level} measure", country="HU", visibility=level)

    csv_response = client.get("/monitor/data.csv")
    csv_body = b"".join(csv_response.streaming_content).decode()
    json_body = client.get("/monitor/data.json").content.decode()

    csv_titles = [row["title"] for row in csv.DictReader(io.StringIO(csv_body)) if row["record"] == "measure"]
    json_titles = [m["title"] for m in json.loads(json_body)["measures"]]
    assert csv_titles == json_titles == ["Public measure"]
    assert Measure.objects.count() == 4
    for body in (csv_body, json_body):
        assert "Hidden" not in body
        assert "Confidential" not in body
