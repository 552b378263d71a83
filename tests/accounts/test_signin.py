import hashlib

import pytest
from django.urls import reverse

from rare.core.models import AuditEntry
from tests.accounts.helpers import LOGIN_URL, sign_in, text_without_tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client):
    user = UserFactory()
    page = client.get(LOGIN_URL)
    assert set(page.context["form"].fields) == {"login", "password"}
    response = sign_in(client, user)
    assert response.status_code == 302
    assert client.get(reverse("accounts:security")).context["user"] == user
    entry = AuditEntry.objects.get(action="auth.login")
    assert (entry.actor, entry.network) == (user, "198.51.100.0/24")


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client):
    user = UserFactory()
    wrong_password = client.post(LOGIN_URL, {"login": user.email, "password": "not-the-password"})
    unknown = client.post(LOGIN_URL, {"login": "nobody-here@example.org", "password": "not-the-password"})
    assert wrong_password.status_code == unknown.status_code == 200
    assert wrong_password.context["form"].errors == unknown.context["form"].errors
    page_a = text_without_tokens(wrong_password.content.decode()).replace(user.email, "EMAIL")
    page_b = text_without_tokens(unknown.content.decode()).replace("nobody-here@example.org", "EMAIL")
    assert page_a == page_b


def test_failed_sign_ins_are_audited_without_the_password_or_the_address(client):
    user = UserFactory()
    client.post(LOGIN_URL, {"login": user.email, "password": "guess-number-one"})
    client.post(LOGIN_URL, {"login": "stranger@example.org", "password": "guess-number-two"})
    entries = list(AuditEntry.objects.filter(action="auth.login_failed").order_by("id"))
    assert [e.outcome for e in entries] == ["failed", "failed"]
    assert entries[0].target_id == str(user.pk)
    assert entries[1].target_id == ""
    for entry in entries:
        stored = str(entry.details) + entry.target_repr
        assert "guess-number" not in stored
        assert "stranger@example.org" not in stored
        assert user.email not in stored
    # A member's failure points at the account (which erasure pseudonymises); only an unknown name
    # keeps a keyed hash, which a guessed email cannot reproduce without the server's key.
    assert "login_hash" not in entries[0].details
    assert len(entries[1].details["login_hash"]) == 16
    assert entries[1].details["login_hash"] not in hashlib.sha256(b"stranger@example.org").hexdigest()


def test_failures_from_one_address_do_not_lock_the_member_out_from_another(client):
    user = UserFactory()
    for _ in range(5):
        assert sign_in(client, user, password="wrong-password-x", ip="203.0.113.9").status_code == 200
    # The attacker's address is now throttled, even with the right password ...
    blocked = sign_in(client, user, ip="203.0.113.9")
    assert blocked.status_code == 200
    assert "Too many failed login attempts" in blocked.content.decode()
    # ... but the member, elsewhere, signs in.
    assert sign_in(client, user, ip="192.0.2.44").status_code == 302


def test_one_address_is_throttled_across_accounts(client):
    users = UserFactory.create_batch(11)
    for user in users[:10]:
        sign_in(client, user, password="wrong-password-x", ip="203.0.113.77")
    blocked = sign_in(client, users[10], ip="203.0.113.77")
    assert "Too many failed login attempts" in blocked.content.decode()


def test_a_disabled_account_loses_its_sessions_at_once_and_cannot_sign_in(client):
    user = UserFactory()
    sign_in(client, user)
    assert client.get(reverse("accounts:security")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("accounts:security")).status_code == 302
    assert AuditEntry.objects.filter(action="account.disabled", target_id=str(user.pk)).count() == 1
    response = sign_in(client, user)
    assert response.url == reverse("account_inactive")
    assert client.get(reverse("accounts:security")).status_code == 302


def test_signing_out_is_audited(client):
    user = UserFactory()
    sign_in(client, user)
    client.post(reverse("account_logout"))
    assert AuditEntry.objects.filter(action="auth.logout", actor=user).count() == 1


def test_the_header_links_to_account_and_security(client):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:sessions")).content.decode()
    assert f'href="{reverse("accounts:security")}"' in html


def test_sign_in_page_loads_its_scripts_as_files_with_the_nonce(client):
    html = client.get(LOGIN_URL).content.decode()
    import re

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert 'src="/static/' in tag
        assert "nonce=" in tag
    assert "onclick" not in html
