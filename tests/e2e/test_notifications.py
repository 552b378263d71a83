"""A member reads a notice, marks it read and chooses the daily digest, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rare.core import notifications
from rare.core.models import NotificationPreference
from rare.core.visibility import Visibility
from tests.e2e.conftest import assert_accessible, horizontal_overflow
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, AlertFactory, MembershipFactory, PersonFactory, UserFactory

SLOW_MACHINE_MS = 60_000  # the first page of a fresh server is slow on a busy shared machine
TITLE = "Tax office audits a watchdog after its report"


@pytest.fixture
def reader(transactional_db):
    person = PersonFactory(user=UserFactory(email="reader@example.org"))
    MembershipFactory(person=person)
    alert = AlertFactory(title=TITLE, visibility=Visibility.MEMBERS)
    notice = notifications.notify(kind="alert.verified", target=alert, dedupe_key="e2e")
    notifications.fan_out(notice.pk)
    return person.user


@pytest.fixture
def patient(page):
    """Waits long enough for a busy machine, and restores the usual waits afterwards."""
    page.set_default_timeout(SLOW_MACHINE_MS)
    expect.set_options(timeout=SLOW_MACHINE_MS)
    yield page
    expect.set_options(timeout=5_000)


def test_a_member_reads_notices_and_chooses_the_digest(patient, browser_log, reader):
    page = patient
    sign_in(page, reader.email, PASSWORD)
    page.get_by_role("link", name="Notifications (1 unread)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page, "the notifications list")

    page.get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("link", name="Notifications (0 unread)")).to_be_visible()

    page.get_by_role("link", name="Choose how you are told").click()
    page.get_by_role("group", name="Verified alerts").get_by_label("in a daily digest").check()
    assert_accessible(page, "the notification preferences")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Your notification preferences are saved.")
    assert NotificationPreference.objects.get(user=reader).alerts == NotificationPreference.Mode.DIGEST

    for path in ("/notifications/", "/notifications/preferences/"):
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(path)
        assert horizontal_overflow(page) == 0, path
    browser_log.assert_clean()
