import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from rare.accounts.models import MemberSession
from rare.core.models import AuditEntry
from tests.accounts.helpers import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_client() -> tuple[Client, object]:
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    return client, admin_user


def test_switching_an_account_off_in_the_admin_ends_its_sessions_and_names_who_did_it():
    member = UserFactory()
    member_browser = Client()
    sign_in(member_browser, member)
    client, admin_user = admin_client()
    url = reverse("admin:accounts_user_change", args=[member.pk])
    # The change form with "active" unticked (unticked boxes are simply not sent).
    data = {"email": member.email, "name": member.name}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.is_active is False
    assert member_browser.get(reverse("accounts:security")).status_code == 302
    assert MemberSession.objects.filter(user=member).count() == 0
    entry = AuditEntry.objects.get(action="account.disabled")
    assert (entry.actor, entry.target_id) == (admin_user, str(member.pk))


def test_staff_sign_out_a_members_session_from_the_admin():
    member = UserFactory()
    member_browser = Client()
    sign_in(member_browser, member)
    client, admin_user = admin_client()
    row = MemberSession.objects.get(user=member)
    client.post(
        reverse("admin:accounts_membersession_changelist"), {"action": "end_sessions", "_selected_action": [row.pk]}
    )
    assert member_browser.get(reverse("accounts:security")).status_code == 302
    assert AuditEntry.objects.get(action="session.revoked").actor == admin_user


def test_the_admin_never_shows_invitation_token_hashes():
    from rare.accounts import services

    client, admin_user = admin_client()
    invitation, _ = services.create_invitation(invited_by=admin_user, email="x@example.org")
    html = client.get(reverse("admin:accounts_invitation_change", args=[invitation.pk])).content.decode()
    assert invitation.token_hash not in html


def test_a_password_reset_ends_every_session(client):
    member = UserFactory()
    member_browser = Client()
    sign_in(member_browser, member)
    client.post(reverse("account_reset_password"), {"email": member.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = "/" + link.strip().split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    new = "a-brand-new-long-passphrase"
    client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    member.refresh_from_db()
    assert member.check_password(new)
    assert member_browser.get(reverse("accounts:security")).status_code == 302
    assert settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS is False


def test_a_password_reset_for_an_unknown_address_sends_nothing(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert mail.outbox == []
