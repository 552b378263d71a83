"""Spill-over links: linking and unlinking, who sees which link, the pages, graph and timeline."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rare.core.models import AuditEntry
from rare.monitor import charts, queries, services
from rare.monitor.models import SpilloverLink
from tests.factories import AlertFactory, MeasureFactory, SpilloverLinkFactory
from tests.monitor.helpers import counted, day, duty_officer, member, team, verified_alert

pytestmark = pytest.mark.django_db


def test_linking_puts_the_earlier_record_first_and_is_audited():
    officer = team()
    later = MeasureFactory(country="SK", introduced_on=day(2024, 6))
    earlier = verified_alert(country="HU", occurred_on=day(2023, 2))

    link = services.link_items(actor=officer, first=later, second=earlier, kind="law_template", note=" Copied. ")

    assert (link.source, link.target, link.note, link.created_by) == (earlier, later, "Copied.", officer)
    entry = AuditEntry.objects.get(action="spillover.linked")
    assert (entry.actor_id, entry.details["source"], entry.details["destination"]) == (
        officer.pk,
        f"alert:{earlier.pk}",
        f"measure:{later.pk}",
    )


def test_linking_refuses_one_country_a_repeat_and_anyone_outside_the_team():
    officer = team()
    hungarian = MeasureFactory(country="HU")
    also_hungarian = MeasureFactory(country="HU")
    slovak = MeasureFactory(country="SK")

    with pytest.raises(ValidationError):
        services.link_items(actor=officer, first=hungarian, second=also_hungarian, kind="actor")
    services.link_items(actor=officer, first=hungarian, second=slovak, kind="actor")
    with pytest.raises(ValidationError):
        services.link_items(actor=officer, first=slovak, second=hungarian, kind="actor")
    with pytest.raises(PermissionDenied):
        services.link_items(actor=member(), first=hungarian, second=slovak, kind="campaign")
    assert SpilloverLink.objects.count() == 1


def test_the_team_cannot_link_a_record_it_may_not_see():
    hidden = AlertFactory(country="PL", visibility="restricted")  # named nobody: duty officers only
    with pytest.raises(PermissionDenied):
        services.link_items(actor=team(), first=hidden, second=MeasureFactory(country="HU"), kind="actor")
    link = services.link_items(actor=duty_officer(), first=hidden, second=MeasureFactory(country="HU"), kind="actor")
    assert link.source_alert == hidden or link.target_alert == hidden


def test_a_link_is_visible_only_to_those_who_see_both_sides():
    public_link = SpilloverLinkFactory()
    members_link = SpilloverLinkFactory(target_measure=MeasureFactory(country="PL", visibility="members"))
    restricted = verified_alert(country="RO", visibility="restricted")
    restricted_link = SpilloverLinkFactory(target_measure=None, target_alert=restricted)
    unverified_link = SpilloverLinkFactory(
        target_measure=None, target_alert=AlertFactory(country="AT", visibility="public")
    )

    def seen(user) -> set[int]:
        return set(queries.visible_links(user).values_list("pk", flat=True))

    assert seen(AnonymousUser()) == {public_link.pk}
    assert seen(member()) == {public_link.pk, members_link.pk, unverified_link.pk}
    assert seen(duty_officer()) == {public_link.pk, members_link.pk, restricted_link.pk, unverified_link.pk}


def test_unlinking_removes_the_link_and_is_audited():
    link = SpilloverLinkFactory()
    officer = team()

    services.unlink(actor=officer, link=link)

    assert SpilloverLink.objects.count() == 0
    assert AuditEntry.objects.filter(action="spillover.unlinked", actor=officer).count() == 1


def test_graph_places_countries_and_labels_each_pair_with_its_kinds():
    edges = [
        {"source_country": "HU", "target_country": "SK", "kind": "law_template", "count": 2},
        {"source_country": "HU", "target_country": "SK", "kind": "actor", "count": 1},
        {"source_country": "SK", "target_country": "HU", "kind": "tactic", "count": 1},
    ]
    labels = dict(SpilloverLink.Kind.choices)

    graph = charts.spillover_graph(edges, labels)

    assert [node.code for node in graph.nodes] == ["HU", "SK"]
    assert [(e.source.code, e.target.code, e.label, e.count) for e in graph.edges] == [
        ("HU", "SK", "same law template (2), same actor", 3),
        ("SK", "HU", "same tactic", 1),
    ]
    there, back = graph.edges
    assert there.path != back.path  # the way back bends the other way
    assert charts.spillover_graph([], labels) is None


def test_overview_shows_the_visible_links_as_graph_and_timeline(client):
    SpilloverLinkFactory(source_measure__title="Lex Agent HU", target_measure__title="Lex Agent SK")
    SpilloverLinkFactory(target_measure=MeasureFactory(country="PL", title="Hidden draft", visibility="members"))

    response = client.get("/monitor/spillover/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lex Agent SK" in page
    assert "Hidden draft" not in page
    assert 'aria-labelledby="spillover-graph-title spillover-graph-desc"' in page
    assert re.findall(r'data-country="([A-Z]{2})"', page) == ["HU", "SK"]


def test_overview_filters_by_country_and_kind(client):
    SpilloverLinkFactory(target_measure__title="To Slovakia", kind="actor")
    SpilloverLinkFactory(target_measure=MeasureFactory(country="PL", title="To Poland"), kind="campaign")

    def titles(query: str) -> list[str]:
        page = client.get(f"/monitor/spillover/?{query}").content.decode()
        return [t for t in ("To Slovakia", "To Poland") if t in page]

    assert titles("country=PL") == ["To Poland"]
    assert titles("kind=actor") == ["To Slovakia"]
    assert titles("country=pl&kind=actor") == []
    assert titles("country=XX&kind=nonsense") == ["To Slovakia", "To Poland"]


def test_measure_page_shows_its_timeline_oldest_first(client):
    hungarian = MeasureFactory(country="HU", title="First law", introduced_on=day(2021))
    slovak = MeasureFactory(country="SK", title="Copy one", introduced_on=day(2023))
    polish = MeasureFactory(country="PL", title="Copy two", introduced_on=day(2022))
    SpilloverLinkFactory(source_measure=hungarian, target_measure=slovak)
    SpilloverLinkFactory(source_measure=hungarian, target_measure=polish, kind="actor")

    page = client.get(f"/monitor/measures/{hungarian.pk}/").content.decode()

    timeline = page[page.index('class="spillover-timeline"') :]
    assert [timeline.index(t) for t in ("First law", "Copy two", "Copy one")] == sorted(
        timeline.index(t) for t in ("First law", "Copy two", "Copy one")
    )
    assert "same actor" in timeline
    assert "Link to a record in another country" not in page  # visitors do not link


def test_a_record_one_may_not_see_has_no_spillover_page(client):
    hidden_measure = MeasureFactory(visibility="members")
    unverified = AlertFactory(visibility="public")

    assert client.get(f"/monitor/measures/{hidden_measure.pk}/").status_code == 404
    assert client.get(f"/monitor/spillover/alert/{unverified.pk}/").status_code == 404
    client.force_login(member())
    assert client.get(f"/monitor/measures/{hidden_measure.pk}/").status_code == 200
    assert client.get(f"/monitor/spillover/alert/{unverified.pk}/").status_code == 200


def test_alert_page_leads_to_its_spillover(client):
    alert = verified_alert(country="HU")
    client.force_login(member())

    page = client.get(f"/alerts/{alert.pk}/").content.decode()

    assert f'href="/monitor/spillover/alert/{alert.pk}/"' in page


def test_the_team_links_and_unlinks_through_the_pages(client):
    officer = team()
    alert = verified_alert(country="HU", occurred_on=day(2024))
    measure = MeasureFactory(country="SK", introduced_on=day(2025))
    client.force_login(officer)

    page = client.get(f"/monitor/spillover/alert/{alert.pk}/").content.decode()
    assert f'value="measure:{measure.pk}"' in page
    response = client.post(
        f"/monitor/spillover/link/alert/{alert.pk}/",
        {"link-other": f"measure:{measure.pk}", "link-kind": "tactic", "link-note": "Same playbook."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/monitor/spillover/alert/{alert.pk}/"
    link = SpilloverLink.objects.get()
    assert (link.source_alert, link.target_measure, link.kind) == (alert, measure, "tactic")

    response = client.post(f"/monitor/spillover/{link.pk}/unlink/", {"back": f"measure:{measure.pk}"})
    assert response["Location"] == f"/monitor/measures/{measure.pk}/"
    assert SpilloverLink.objects.count() == 0


def test_members_outside_the_team_cannot_link(client):
    alert = verified_alert(country="HU")
    measure = MeasureFactory(country="SK")
    link = SpilloverLinkFactory()
    client.force_login(member())

    page = client.get(f"/monitor/spillover/alert/{alert.pk}/").content.decode()
    linking = client.post(
        f"/monitor/spillover/link/alert/{alert.pk}/", {"link-other": f"measure:{measure.pk}", "link-kind": "actor"}
    )
    unlinking = client.post(f"/monitor/spillover/{link.pk}/unlink/")

    assert "Link to a record in another country" not in page
    assert (linking.status_code, unlinking.status_code) == (404, 404)
    assert SpilloverLink.objects.count() == 1


def test_the_team_cannot_unlink_a_link_it_may_not_see(client):
    hidden = AlertFactory(country="PL", visibility="restricted")
    link = SpilloverLinkFactory(target_measure=None, target_alert=hidden)
    client.force_login(team())

    assert client.post(f"/monitor/spillover/{link.pk}/unlink/").status_code == 404
    assert SpilloverLink.objects.count() == 1


def _links(count: int) -> None:
    for number in range(count):
        SpilloverLinkFactory(kind=SpilloverLink.Kind.values[number % 4])


def test_overview_queries_do_not_grow_with_links(client):
    client.force_login(member())
    _links(3)
    client.get("/monitor/spillover/")  # the first request of a session does one-off work
    with CaptureQueriesContext(connection) as few:
        assert client.get("/monitor/spillover/").status_code == 200
    _links(27)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/monitor/spillover/").status_code == 200
    assert counted(many) == counted(few)


def test_measure_page_queries_do_not_grow_with_links(client):
    client.force_login(team())
    hub = MeasureFactory(country="HU", introduced_on=day(2020))

    def link(count: int) -> None:
        for number in range(count):
            other = MeasureFactory(country=["SK", "PL", "RO"][number % 3])
            SpilloverLinkFactory(source_measure=hub, target_measure=other)
            verified_alert(country="AT")  # more candidates for the form too

    link(3)
    client.get(f"/monitor/measures/{hub.pk}/")  # the first request of a session does one-off work
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/monitor/measures/{hub.pk}/").status_code == 200
    link(27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/monitor/measures/{hub.pk}/").status_code == 200
    assert counted(many) == counted(few)
