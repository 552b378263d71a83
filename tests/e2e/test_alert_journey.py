"""An alert from a phone to a response, in a real browser and through a real SMTP server.

A participant reports an attack from a phone-sized window, a duty officer verifies it, another
participant gets the email (received by an SMTP server this test starts), pledges a letter and marks
it done; the alert page then shows the response.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from rare.programme.models import Membership
from rare.solidarity.models import Alert, Pledge
from tests.e2e.conftest import _open_page, assert_accessible, horizontal_overflow
from tests.e2e.helpers import sign_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
)

PHONE = {"width": 390, "height": 844}
SLOW_MACHINE_MS = 30_000  # shared CI machines can be slow; the journey has many steps
TITLE = "Riot police search the office of a housing rights group"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for recipients, message in self.messages:
                    if address in recipients:
                        return message
            time.sleep(0.1)
        got = [(r, m["Subject"]) for r, m in self.messages]
        pytest.fail(f"No email reached {address} within {timeout} s; the server got {got}", pytrace=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings, live_server):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    try:
        yield inbox
    finally:
        controller.stop()


def _open(browser, live_server, browser_log, **options):
    context, page = _open_page(browser, live_server, browser_log, **options)
    context.set_default_timeout(SLOW_MACHINE_MS)
    return context, page


@pytest.fixture
def patient_expect():
    expect.set_options(timeout=SLOW_MACHINE_MS)
    yield
    expect.set_options(timeout=5_000)


def _member(programme, role, organisation_name: str, name: str):
    person = PersonFactory(
        user=UserFactory(name=name), name=name, organisation=OrganisationFactory(name=organisation_name)
    )
    MembershipFactory(programme=programme, person=person, role=role)
    return person


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else message.get_content()


def test_phone_report_verification_email_pledge_and_done(
    browser, live_server, browser_log, settings, tasks_run_now, smtp_inbox, patient_expect
):
    programme = ProgrammeFactory()
    reporter = _member(programme, Membership.Role.PARTICIPANT, "Tisza Housing Rights Group", "Réka Szalai")
    officer = _member(programme, Membership.Role.DUTY_OFFICER, "Programme office", "Duty Officer")
    ally = _member(programme, Membership.Role.PARTICIPANT, "Oder Tenants Union", "Agnieszka Wolna")

    # 1. The reporter, on a phone: four fields and a choice of audience, then send.
    context, page = _open(browser, live_server, browser_log, viewport=PHONE)
    try:
        sign_in(page, reporter.user.email, PASSWORD)
        page.goto("/alerts/")
        page.get_by_role("link", name="Report an attack").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Report an attack")
        assert ("report form", horizontal_overflow(page)) == ("report form", 0)
        assert_accessible(page, "the report form on a phone")
        started = time.monotonic()
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Country").select_option("HU")
        page.get_by_label("Category").select_option(Alert.Category.RAID)
        page.get_by_label("Sources").fill("https://news.example.org/search\nCall with our director")
        page.get_by_label("Who may see it").select_option("members")
        button = page.get_by_role("button", name="Send the report")
        box = button.bounding_box()
        assert box["height"] >= 44  # a target a thumb can hit
        button.click()
        expect(page.locator(".messages")).to_contain_text("Duty officers have your report")
        assert time.monotonic() - started < 60
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    finally:
        context.close()
    alert = Alert.objects.get(title=TITLE)
    assert (alert.status, alert.reporter) == (Alert.Status.REPORTED, reporter.user)

    # 2. The duty officer verifies it against both sources.
    context, page = _open(browser, live_server, browser_log)
    try:
        sign_in(page, officer.user.email, PASSWORD)
        page.goto("/alerts/queue/")
        page.get_by_role("link", name=TITLE).click()
        page.get_by_label("https://news.example.org/search").check()
        page.get_by_label("Call with our director").check()
        page.get_by_label("Reasons").fill("Confirmed by the director and a local news site.")
        page.get_by_role("button", name="Verify the alert").click()
        expect(page.locator(".messages")).to_contain_text("The alert is verified.")
    finally:
        context.close()

    # 3. Another participant gets the email and follows its link, on a phone.
    message = smtp_inbox.wait_for(ally.user.email)
    link = re.search(r"https?://\S+?(/alerts/\d+/)", _body(message))
    assert link is not None, _body(message)
    assert link.group(1) == f"/alerts/{alert.pk}/"

    context, page = _open(browser, live_server, browser_log, viewport=PHONE)
    try:
        sign_in(page, ally.user.email, PASSWORD)
        page.goto(link.group(1))
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        page.get_by_label("What will your organisation do?").select_option(Pledge.Kind.LETTER)
        page.get_by_label("Note").fill("To the Hungarian embassy in Warsaw.")
        page.get_by_role("button", name="Pledge", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Your pledge is listed on the alert.")

        page.get_by_text("Mark done", exact=True).click()
        page.get_by_label(re.compile(r"^Evidence:?$")).fill("Letter delivered: https://oder.example.org/letter")
        page.get_by_role("button", name="Mark the response done").click()
        expect(page.locator(".messages")).to_contain_text("The response is marked done.")

        responses = page.locator("#responses")
        expect(responses).to_contain_text("Oder Tenants Union")
        expect(responses).to_contain_text("letter to our own government or embassy")
        expect(responses).to_contain_text("done")
        expect(responses).to_contain_text("Letter delivered")
        assert ("alert page", horizontal_overflow(page)) == ("alert page", 0)
        assert_accessible(page, "the alert page with its response on a phone")
    finally:
        context.close()

    pledge = Pledge.objects.get()
    assert (pledge.alert, pledge.organisation.name, pledge.kind, pledge.status) == (
        alert,
        "Oder Tenants Union",
        Pledge.Kind.LETTER,
        Pledge.Status.DONE,
    )
    # The pledge told the reporter (and the duty officer) by email too.
    smtp_inbox.wait_for(reporter.user.email)
    browser_log.assert_clean()
