"""The demo's spill-over: tactics, sightings and links, loaded twice without change and without warnings."""

from __future__ import annotations

import pytest

from rare.core.models import Notice
from rare.monitor.demo import load_demo_monitor, load_demo_spillover
from rare.monitor.models import SpilloverLink, TacticSighting

pytestmark = pytest.mark.django_db


def test_demo_spillover_links_the_foreign_funding_laws_once():
    load_demo_monitor()
    load_demo_spillover()
    load_demo_spillover()

    links = sorted((link.source.country.code, link.target.country.code) for link in SpilloverLink.objects.all())
    assert links == [("HU", "BG"), ("HU", "SK")]  # the alerts of the demo are not loaded here
    assert sorted(TacticSighting.objects.values_list("country", flat=True)) == ["BG", "HU", "SK"]
    assert Notice.objects.count() == 0


def test_the_whole_demo_links_alerts_and_measures_across_borders():
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", stdout=StringIO())

    kinds = sorted(SpilloverLink.objects.values_list("kind", flat=True))
    assert kinds == ["campaign", "law_template", "law_template", "tactic"]
    assert Notice.objects.filter(kind="spillover.warning").count() == 0
