import datetime as dt
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rare.accounts import services
from rare.accounts.models import MemberSession
from rare.core.models import AuditEntry
from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def is_signed_in(client) -> bool:
    return client.get(reverse("accounts:security")).status_code == 200


def test_signing_in_records_a_coarse_session(client):
    user = UserFactory()
    sign_in(client, user, ip="198.51.100.23", ua=FIREFOX_LINUX)
    member_session = MemberSession.objects.get(user=user)
    assert (member_session.device, member_session.network) == ("Firefox on Linux", "198.51.100.0/24")
    key = client.session.session_key
    with connection.cursor() as cursor:
        cursor.execute("SELECT key_hash, session_key, device, network FROM accounts_membersession")
        raw = repr(cursor.fetchall())
    assert key not in raw
    assert "198.51.100.23" not in raw


def test_sessions_page_lists_only_ones_own_sessions(client):
    user = UserFactory()
    other = UserFactory()
    sign_in(Client(), other, ua=SAFARI_IPHONE)
    sign_in(Client(), user, ua=SAFARI_IPHONE)
    sign_in(client, user, ua=FIREFOX_LINUX)
    response = client.get(reverse("accounts:sessions"))
    rows = response.context["member_sessions"]
    assert sorted(s.device for s in rows) == ["Firefox on Linux", "Safari on iOS"]
    html = response.content.decode()
    assert "This browser" in html


def test_sessions_page_query_count_does_not_grow(client):
    user = UserFactory()
    sign_in(client, user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:sessions")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(8):
        sign_in(Client(), user, ip=f"192.0.2.{n + 1}")
    assert count() == few


def test_signing_out_one_session_ends_it_wherever_it_is(client):
    user = UserFactory()
    phone = Client()
    sign_in(phone, user, ua=SAFARI_IPHONE)
    sign_in(client, user, ua=FIREFOX_LINUX)
    phone_row = MemberSession.objects.get(user=user, device="Safari on iOS")
    response = client.post(reverse("accounts:end_session", args=[phone_row.pk]))
    assert response.url == reverse("accounts:sessions")
    assert not is_signed_in(phone)
    assert is_signed_in(client)
    assert AuditEntry.objects.filter(action="session.revoked", actor=user).count() == 1


def test_nobody_can_end_someone_elses_session(client):
    victim = UserFactory()
    sign_in(Client(), victim)
    row = MemberSession.objects.get(user=victim)
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:end_session", args=[row.pk])).status_code == 404
    assert MemberSession.objects.filter(pk=row.pk).exists()


def test_sign_out_everywhere(client):
    user = UserFactory()
    phone = Client()
    sign_in(phone, user)
    sign_in(client, user)
    response = client.post(reverse("accounts:end_all_sessions"))
    assert response.url == reverse("account_login")
    assert not is_signed_in(phone)
    assert not is_signed_in(client)
    assert MemberSession.objects.filter(user=user).count() == 0


def test_sign_out_needs_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:end_all_sessions")).status_code == 405


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"])
def test_ending_sessions_works_with_every_session_engine(settings, engine):
    settings.SESSION_ENGINE = engine
    user = UserFactory()
    laptop, phone = Client(), Client()
    sign_in(phone, user)
    sign_in(laptop, user)
    row = MemberSession.objects.exclude(key_hash=services.hash_token(laptop.session.session_key)).get(user=user)
    laptop.post(reverse("accounts:end_session", args=[row.pk]))
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)


def test_idle_sessions_end(client, settings):
    user = UserFactory()
    sign_in(client, user)
    session = client.session
    session[services.SEEN_AT] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() - 5
    session.save()
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not is_signed_in(client)


def test_sessions_end_after_the_absolute_timeout_even_when_active(client, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = dt.timedelta(hours=2)
    user = UserFactory()
    sign_in(client, user)
    session = client.session
    session[services.AUTH_AT] = time.time() - 2 * 3600 - 5
    session[services.SEEN_AT] = time.time() - 10
    session.save()
    assert client.get(reverse("accounts:security")).status_code == 302
    assert not is_signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(client):
    user = UserFactory()
    sign_in(client, user)
    row = MemberSession.objects.get(user=user)
    before = row.last_seen_at
    client.get(reverse("accounts:security"))
    row.refresh_from_db()
    assert row.last_seen_at == before
    session = client.session
    session[services.SEEN_AT] = time.time() - 61
    session.save()
    client.get(reverse("accounts:security"))
    row.refresh_from_db()
    assert row.last_seen_at > before


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(client):
    user = UserFactory()
    phone = Client()
    sign_in(phone, user)
    sign_in(client, user)
    new = "another-long-passphrase-9"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(client)
    # The current session's row followed its new key, so it can still be listed and ended.
    assert [s.key_hash for s in client.get(reverse("accounts:sessions")).context["member_sessions"]] == [
        services.hash_token(client.session.session_key)
    ]
    assert AuditEntry.objects.filter(action="password.changed", actor=user).count() == 1


def test_stale_session_rows_are_purged():
    user = UserFactory()
    MemberSession.objects.create(
        user=user, key_hash="a" * 64, session_key="gone", last_seen_at=timezone.now() - dt.timedelta(days=1)
    )
    MemberSession.objects.create(user=user, key_hash="b" * 64, session_key="live")
    assert services.purge_stale_sessions() == 1
    assert list(MemberSession.objects.values_list("session_key", flat=True)) == ["live"]


# --- New device notice ----------------------------------------------------------------------


def test_a_sign_in_from_a_new_device_emails_the_member(tasks_run_now, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), user, ip="198.51.100.5", ua=FIREFOX_LINUX)
    assert mail.outbox == []  # the very first sign-in is not news
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), user, ip="198.51.100.99", ua=FIREFOX_LINUX)
    assert mail.outbox == []  # same device, same network
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), user, ip="203.0.113.8", ua=SAFARI_IPHONE)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [user.email]
    assert notice.subject == "New sign-in to your RARE account"
    assert "Safari on iOS" in notice.body
    assert "203.0.113.0/24" in notice.body
    assert "203.0.113.8" not in notice.body
    assert "http://127.0.0.1:8000/account/sessions/" in notice.body


def test_a_device_not_seen_for_long_counts_as_new_again(settings, tasks_run_now, django_capture_on_commit_callbacks):
    from rare.accounts.models import KnownDevice

    settings.RARE_NEW_DEVICE_DAYS = 30
    user = UserFactory()
    sign_in(Client(), user, ua=FIREFOX_LINUX)
    sign_in(Client(), user, ua=SAFARI_IPHONE, ip="203.0.113.8")
    KnownDevice.objects.filter(user=user).update(last_seen_at=timezone.now() - dt.timedelta(days=31))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), user, ua=SAFARI_IPHONE, ip="203.0.113.8")
    assert len(mail.outbox) == 1


def test_a_dormant_account_signed_in_from_a_new_device_is_news(
    settings, tasks_run_now, django_capture_on_commit_callbacks
):
    from rare.accounts.models import KnownDevice

    settings.RARE_NEW_DEVICE_DAYS = 30
    user = UserFactory()
    sign_in(Client(), user, ua=FIREFOX_LINUX)
    KnownDevice.objects.filter(user=user).update(last_seen_at=timezone.now() - dt.timedelta(days=200))
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), user, ua=SAFARI_IPHONE, ip="203.0.113.8")
    assert len(mail.outbox) == 1
