"""The directory in a real browser: live filtering (htmx) on top of the plain GET form, accessibility
(axe) and reflow at 320 px of the map, allies and institutions pages.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from rare.community.demo import load_demo_institutions
from rare.programme.models import Membership
from tests.e2e.conftest import assert_accessible, horizontal_overflow
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, ThemeFactory, UserFactory


def sign_in(page, live_server, user) -> None:
    """Give the browser the session of a signed-in member (the sign-in itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def member(transactional_db):
    migration = ThemeFactory(slug="migration", name="Migration and asylum")
    organisation = OrganisationFactory(name="Danube Watch", country="HU")
    organisation.themes.add(migration)
    PersonFactory(name="Ana Border", country="HU", bio="Monitors migration.", organisation=organisation).expertise.add(
        migration
    )
    PersonFactory(name="Bo Press", country="PL", bio="Press freedom.", organisation=None)
    person = PersonFactory(name="Signed-in Member", user=UserFactory(), country="", organisation=None)
    MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)
    return person.user


def test_people_list_filters_while_typing_and_keeps_the_address(page, live_server, browser_log, member):
    sign_in(page, live_server, member)
    page.goto("/directory/people/")
    expect(page.locator("#directory-results .card")).to_have_count(3)

    page.locator("#filter-q").fill("migr")

    expect(page.locator("#directory-results .card")).to_have_count(1)
    expect(page.locator("#directory-results")).to_contain_text("Ana Border")
    expect(page).to_have_url(re.compile(r"/directory/people/\?q=migr"))
    page.locator("#filter-country").select_option("PL")
    expect(page.locator("#directory-results")).to_contain_text("Nobody matches this search.")
    assert_accessible(page, "the people directory")
    browser_log.assert_clean()


def test_member_pages_of_the_directory_are_accessible_and_reflow(page, live_server, browser_log, member):
    load_demo_institutions()
    sign_in(page, live_server, member)
    for path in (
        "/directory/map/",
        "/directory/map/?show=people",
        "/directory/allies/?theme=migration&country=HU",
        "/directory/institutions/",
        "/directory/institutions/european-parliament/",
        "/directory/organisations/?q=danube",
    ):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(path)
        assert_accessible(page, path)
        page.set_viewport_size({"width": 320, "height": 640})
        assert (path, horizontal_overflow(page)) == (path, 0)
    browser_log.assert_clean()


def test_a_member_follows_a_country_from_the_map(page, live_server, browser_log, member):
    sign_in(page, live_server, member)
    page.goto("/directory/map/")

    page.locator("a.map-tile[data-country='HU']").click()

    expect(page).to_have_url(re.compile(r"/directory/organisations/\?country=HU$"))
    expect(page.locator("#directory-results .card")).to_have_count(1)
    browser_log.assert_clean()


def test_visitors_see_the_map_without_links(page, live_server, browser_log, member):
    page.goto("/directory/map/")

    expect(page.locator("a.map-tile")).to_have_count(0)
    expect(page.locator("g.map-tile[data-country='HU'] title")).to_have_text("Hungary: 1 organisation")
    assert_accessible(page, "the public map")
    browser_log.assert_clean()
