"""The testimonial player in a real browser: nothing from YouTube before the click, the player after it.

Chromium is started inside each test (not through the session-wide browser of tests/e2e) so that these
tests can run anywhere in the suite; they skip where no Chromium is installed, like the e2e tests.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, assert_accessible
from tests.factories import ProgrammeFactory
from tests.website.helpers import TestimonialFactory

PLAYER = "https://www.youtube-nocookie.com/embed/aB3_-x9Zq0L?autoplay=1"
pytestmark = pytest.mark.e2e


@pytest.fixture
def home_with_testimonial(live_server):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}:
            pytest.fail(f"Chromium not installed at {CHROMIUM} (CI must run the browser tests)", pytrace=False)
        pytest.skip(f"Chromium not installed at {CHROMIUM}: apt-get install chromium")
    ProgrammeFactory()
    TestimonialFactory(name="Ana Example", video_id="aB3_-x9Zq0L")
    return live_server.url


@contextmanager
def browser_page(base_url: str, monkeypatch, **options):
    """A Chromium page on the live server; requests to YouTube are answered locally and recorded."""
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the test touches the database only before it starts.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, locale="en-GB", **options)
        context.set_default_timeout(10_000)
        context.route(
            "https://www.youtube-nocookie.com/**",
            lambda route: route.fulfill(status=200, content_type="text/html", body="<title>player</title>"),
        )
        page = context.new_page()
        page.requests = []
        page.errors = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        try:
            yield page
        finally:
            browser.close()


def foreign(page, base_url: str) -> list[str]:
    return [url for url in page.requests if not url.startswith(base_url) and not url.startswith("data:")]


def test_the_video_is_loaded_from_youtube_nocookie_only_after_a_click(home_with_testimonial, monkeypatch):
    base_url = home_with_testimonial
    with browser_page(base_url, monkeypatch) as page:
        page.goto("/")
        page.wait_for_load_state("networkidle")
        assert foreign(page, base_url) == []
        assert_accessible(page, "the home page with a testimonial")

        # Wait for the player's request itself: the page was already idle, so waiting for
        # "networkidle" after the click could return before the iframe asked for anything.
        with page.expect_request(PLAYER):
            page.get_by_role("button", name="Play the video with Ana Example").click()

        player = page.locator("iframe")
        expect(player).to_have_attribute("src", PLAYER)
        expect(player).to_have_attribute("title", "Video: Ana Example")
        expect(player).to_be_focused()
        assert foreign(page, base_url) == [PLAYER]
        assert page.errors == []


def test_without_javascript_the_play_control_is_a_link_to_the_video(home_with_testimonial, monkeypatch):
    with browser_page(home_with_testimonial, monkeypatch, java_script_enabled=False) as page:
        page.goto("/")

        link = page.get_by_role("link", name="Play the video with Ana Example")

        expect(link).to_have_attribute("href", "https://www.youtube-nocookie.com/embed/aB3_-x9Zq0L")
        expect(page.locator("iframe")).to_have_count(0)
        assert foreign(page, home_with_testimonial) == []


@pytest.fixture
def public_site(live_server):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM}: apt-get install chromium")
    from rare.website.demo import load_public_pages

    ProgrammeFactory()
    load_public_pages()
    return live_server.url


def test_public_pages_are_accessible_and_fit_a_320_pixel_screen(public_site, monkeypatch):
    with browser_page(public_site, monkeypatch, viewport={"width": 320, "height": 640}) as page:
        for path in ["/", "/about/", "/about/how/", "/news/", "/news/camp-in-brussels/"]:
            page.goto(path)

            overflow = page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
            assert (path, overflow) == (path, 0)
            assert_accessible(page, path)
        assert foreign(page, public_site) == []
        assert page.errors == []


@pytest.fixture
def team_site(live_server):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM}: apt-get install chromium")
    from tests.website.helpers import make_page, team_member

    make_page("about", "What RARE is", "English text.")
    return live_server.url, team_member("Tess Team")


def test_the_team_previews_with_htmx_and_publishes_a_translation(team_site, monkeypatch):
    from tests.factories import PASSWORD

    base_url, user = team_site
    with browser_page(base_url, monkeypatch) as page:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.locator(".signed-in")).to_contain_text("Tess Team")

        page.goto("/website/about/edit/de/")
        assert_accessible(page, "the page editor")
        page.get_by_label("Title").fill("Was ist RARE?")
        page.get_by_label("Text").fill("Ein **Programm** für Menschenrechtsverteidiger.")
        page.evaluate("window.stillTheSamePage = true")
        page.get_by_role("button", name="Preview").click()

        expect(page.locator("#preview strong")).to_have_text("Programm")
        assert page.evaluate("window.stillTheSamePage === true")  # htmx swapped the preview in, no reload
        assert page.url == f"{base_url}/website/about/edit/de/"
        assert page.get_by_label("Text").input_value() == "Ein **Programm** für Menschenrechtsverteidiger."

        page.get_by_role("button", name="Save and publish").click()

        expect(page).to_have_url(f"{base_url}/about/")
        expect(page.locator(".messages")).to_contain_text("Saved as version 1.")
        assert foreign(page, base_url) == []
        assert page.errors == []
