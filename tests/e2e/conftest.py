"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Without Chromium the browser tests are skipped with a message saying how to install it, except in CI
(the environment variable CI is set), where a missing browser is an error: CI must run them.
Chromium is started once per test session; every test gets a fresh browser context (no cookies).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path(os.environ.get("RARE_CHROMIUM", "/usr/bin/chromium"))
# Headless and quiet: no GPU, no first-run screens, no background requests to the browser vendor.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe impact levels that fail a test; "minor" and "moderate" ones are printed only.
FAILING_IMPACTS = ("serious", "critical")
E2E_DIR = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Browser tests run last (the fast suite reports first) and carry the `e2e` mark (`-m "not e2e"`)."""
    items.sort(key=lambda item: item.path.is_relative_to(E2E_DIR))
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not installed at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}:
            pytest.fail(f"{message} (CI must run the browser tests)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django refuse
    # database access from here on; the tests are synchronous, so that refusal does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class BrowserLog:
    """What the browser saw go wrong: console errors (CSP violations land here) and requests to other hosts."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def record_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def record_response(self, response) -> None:
        if response.status >= 400:
            self.failed_responses.append(f"{response.status} {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        assert self.failed_responses == []
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.foreign_requests == []


@pytest.fixture
def browser_log(live_server) -> BrowserLog:
    parts = urlsplit(live_server.url)
    return BrowserLog(origin=f"{parts.scheme}://{parts.netloc}")


def _open_page(browser, live_server, browser_log: BrowserLog, **context_options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and browser_log.console_errors.append(msg.text))
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    page.on("request", browser_log.record_request)
    page.on("response", browser_log.record_response)
    return context, page


@pytest.fixture
def page(browser, live_server, browser_log) -> Iterator:
    """A page in a fresh browser context (desktop size) whose base URL is the live server."""
    context, page = _open_page(browser, live_server, browser_log)
    yield page
    context.close()


@pytest.fixture
def narrow_page(browser, live_server, browser_log) -> Iterator:
    """A page 320 CSS pixels wide, the narrowest screen we support (WCAG 1.4.10 reflow)."""
    context, page = _open_page(browser, live_server, browser_log, viewport={"width": 320, "height": 640})
    yield page
    context.close()


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when there is no horizontal scroll)."""
    return page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth")


_axe = Axe()


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:300]}")
    return "\n".join(lines)


# axe runs in the page without a time limit of its own; a page that hangs the browser must fail the
# test, not stall the whole run, so the result is awaited with a timeout on the Playwright side.
AXE_TIMEOUT_MS = 60_000
_START_AXE = """(options) => {
    window.__rareAxe = null;
    setTimeout(() => axe.run(document, options).then(
        (results) => { window.__rareAxe = {violations: results.violations}; },
        (error) => { window.__rareAxe = {error: String(error)}; },
    ), 0);
}"""


def axe_violations(page, label: str) -> list[dict]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(_axe.axe_script)
    page.evaluate(_START_AXE, {"resultTypes": ["violations"]})
    try:
        outcome = page.wait_for_function("() => window.__rareAxe", timeout=AXE_TIMEOUT_MS).json_value()
    except PlaywrightTimeout:
        pytest.fail(f"axe did not finish within {AXE_TIMEOUT_MS // 1000} s on {label} ({page.url})", pytrace=False)
    if "error" in outcome:
        pytest.fail(f"axe failed on {label} ({page.url}): {outcome['error']}", pytrace=False)
    return outcome["violations"]


def assert_accessible(page, label: str) -> None:
    """Run axe on the page as it is now; fail on serious or critical violations, print the rest."""
    violations = axe_violations(page, label)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if others:
        print(f"\naxe on {label} ({page.url}): minor or moderate issues\n{axe_report(others)}")
    if failing:
        pytest.fail(
            f"axe found {len(failing)} serious or critical accessibility violation(s) on {label} ({page.url}):\n"
            f"{axe_report(failing)}",
            pytrace=False,
        )
