"""The quick exit: on every page, works without JavaScript, signs out, and leaves nothing behind."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.staticfiles import finders

from rare.core.models import AuditEntry
from tests.factories import UserFactory

CHROMIUM = Path(os.environ.get("RARE_CHROMIUM", "/usr/bin/chromium"))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "a":
            self._open = {**values, "text": ""}
            self.links.append(self._open)
        if tag == "script" and values.get("src"):
            self.scripts.append(values["src"])
        if tag == "link" and "stylesheet" in values.get("rel", ""):
            self.stylesheets.append(values["href"])

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def parse(response) -> Links:
    parser = Links()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.django_db
def test_every_page_starts_with_a_quick_exit_link_that_works_without_javascript(client):
    page = parse(client.get("/"))

    skip, quick_exit = page.links[0], page.links[1]
    assert skip["href"] == "#main"
    assert (quick_exit["href"], quick_exit["text"].strip()) == ("/leave/", "Quick exit")
    assert "data-quick-exit" in quick_exit
    assert "/static/rare/quick-exit.js" in page.scripts


def test_the_quick_exit_script_is_shipped():
    script = Path(finders.find("rare/quick-exit.js")).read_text()

    assert "location.replace" in script
    assert '"Escape"' in script


@pytest.mark.django_db
def test_leaving_signs_out_and_asks_the_browser_to_forget_this_site(client):
    user = UserFactory(name="Ada Defender", email="ada@example.org")
    client.force_login(user)

    response = client.get("/leave/")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert AuditEntry.objects.filter(action="auth.logout", actor=user).count() == 1
    assert client.get("/account/").status_code == 302


@pytest.mark.django_db
def test_the_neutral_page_names_neither_the_platform_nor_the_person(client):
    client.force_login(UserFactory(name="Ada Defender", email="ada@example.org"))

    response = client.get("/leave/")

    body = response.content.decode()
    page = parse(response)
    assert "<title>Weather</title>" in body
    for telltale in ("RARE", "Rights", "Ada", "ada@example.org", "/static/rare/", "camps"):
        assert telltale not in body
    assert (page.links, page.scripts, page.stylesheets) == ([], [], [])


@pytest.mark.django_db
def test_a_configured_neutral_site_is_where_the_exit_lands(client, settings):
    settings.RARE_QUICK_EXIT_URL = "https://weather.example/today"
    client.force_login(UserFactory())

    response = client.get("/leave/")

    assert response.status_code == 302
    assert response["Location"] == "https://weather.example/today"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("unsafe", ["javascript:alert(1)", "//elsewhere.example/", "weather.example"])
def test_an_unusable_exit_address_falls_back_to_our_neutral_page(client, settings, unsafe):
    settings.RARE_QUICK_EXIT_URL = unsafe

    response = client.get("/leave/")

    assert response.status_code == 200
    assert "<title>Weather</title>" in response.content.decode()


@pytest.mark.django_db
def test_leaving_works_for_visitors_and_only_by_get(client):
    assert client.get("/leave/").status_code == 200
    assert client.head("/leave/").status_code == 200
    assert client.post("/leave/").status_code == 405


# --- In a browser --------------------------------------------------------------------------------


@pytest.fixture
def browser_page(live_server):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(10_000)
            yield context.new_page()
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_escape_three_times_leaves_and_back_does_not_return(browser_page):
    page = browser_page
    page.goto("/camps/")
    page.goto("/")
    page.wait_for_function("document.documentElement.classList.contains('js')")

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.url.endswith("/")
    with page.expect_navigation():
        page.keyboard.press("Escape")
    assert page.url.endswith("/leave/")
    assert page.title() == "Weather"

    page.go_back()
    assert page.url.endswith("/camps/")  # the page we left from was replaced, not kept


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_clicking_quick_exit_replaces_the_page_in_history(browser_page):
    page = browser_page
    page.goto("/camps/")
    page.goto("/")
    page.wait_for_function("document.documentElement.classList.contains('js')")
    entries = page.evaluate("history.length")

    with page.expect_navigation():
        page.get_by_role("link", name="Quick exit").click()
    assert page.url.endswith("/leave/")
    assert page.evaluate("history.length") == entries

    page.go_back()
    assert page.url.endswith("/camps/")
