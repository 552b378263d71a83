import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.urls import reverse

from rare.core.models import AuditEntry
from rare.programme.models import Membership
from tests.accounts.helpers import add_totp, add_webauthn_row, reauthenticate, sign_in, totp_now
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def activate_totp(client) -> str:
    """Set up an authenticator app through allauth's pages; returns the secret it showed.

    allauth finishes the set-up (signals, notice e-mail) when its transaction commits, so the tests
    that use this run with real transactions.
    """
    assert reauthenticate(client).status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return secret


def raw_authenticator_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator")
        return repr(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_totp_secret_and_recovery_seed_are_encrypted_in_the_database(client):
    user = UserFactory()
    client.force_login(user)
    secret = activate_totp(client)
    totp = Authenticator.objects.get(user=user, type="totp")
    codes = Authenticator.objects.get(user=user, type="recovery_codes")
    seed = get_adapter().decrypt(codes.data["seed"])
    raw = raw_authenticator_rows()
    assert secret not in raw
    assert secret.lower() not in raw.lower()
    assert seed not in raw
    # ... and the stored values still work: the secret round-trips through the adapter.
    assert get_adapter().decrypt(totp.data["secret"]) == secret
    assert AuditEntry.objects.filter(action="mfa.added", actor=user).count() == 1
    assert AuditEntry.objects.filter(action="mfa.recovery_codes_generated", actor=user).count() == 1


def test_setting_up_a_second_factor_asks_for_the_password_again(client):
    client.force_login(UserFactory())
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_changing_the_email_address_asks_for_the_password_again(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_sign_in_with_password_and_totp(client):
    user = UserFactory()
    secret = add_totp(user)
    response = sign_in(client, user)
    assert response.url == reverse("mfa_authenticate")
    # Not signed in yet.
    assert client.get(reverse("accounts:security")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:security")).context["user"] == user


def test_a_wrong_code_does_not_sign_in_and_is_audited(client):
    user = UserFactory()
    add_totp(user)
    sign_in(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    entry = AuditEntry.objects.filter(action="auth.login_failed").get()
    assert entry.details == {"step": "mfa"}


def test_a_used_totp_code_cannot_be_replayed(client):
    user = UserFactory()
    secret = add_totp(user)
    code = totp_now(secret)
    sign_in(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    other = Client()
    sign_in(other, user, ip="192.0.2.10")
    replay = other.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200
    assert replay.context["form"].errors["code"] == ["Incorrect code."]
    assert other.get(reverse("accounts:security")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_recovery_code_works_once(client):
    user = UserFactory()
    client.force_login(user)
    activate_totp(client)
    client.logout()
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    sign_in(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    client.logout()
    sign_in(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200


# --- Mandatory in production ----------------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True


@pytest.mark.parametrize(
    "path", ["/", "/camps/", "/account/invitations/", "/account/privacy/my-data/", "/no-such-page/"]
)
def test_in_production_a_member_without_mfa_is_sent_to_set_up(client, production, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/reauthenticate/",
        "/accounts/password/change/",
        "/account/",
        "/account/sessions/",
        "/accounts/logout/",
        "/healthz",
        "/static/rare/rare.css",
    ],
)
def test_in_production_security_settings_stay_open_without_mfa(client, production, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert not (response.status_code == 302 and response.url == reverse("mfa_index"))


def test_in_production_the_set_up_page_says_why(client, production):
    client.force_login(UserFactory())
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Set up a second factor to continue." in html


def test_in_production_a_member_with_mfa_goes_anywhere(client, production):
    user = UserFactory()
    add_totp(user)
    client.force_login(user)
    assert client.get("/camps/").status_code == 200


def test_in_the_demo_mfa_is_optional_and_the_banner_says_so(client):
    client.force_login(UserFactory())
    response = client.get("/camps/")
    assert response.status_code == 200
    assert "two-factor sign-in is optional" in response.content.decode()


def team_member():
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user), role=Membership.Role.TEAM)
    return user


def test_team_may_be_held_to_webauthn(client, settings):
    settings.RARE_TEAM_WEBAUTHN_ONLY = True
    user = team_member()
    add_totp(user)
    client.force_login(user)
    assert client.get("/camps/").url == reverse("mfa_index")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url == reverse("mfa_add_webauthn")
    add_webauthn_row(user)
    assert client.get("/camps/").status_code == 200


def test_webauthn_only_does_not_touch_other_members(client, settings):
    settings.RARE_TEAM_WEBAUTHN_ONLY = True
    client.force_login(UserFactory())
    assert client.get("/camps/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_adding_a_second_factor_ends_the_other_sessions(client):
    user = UserFactory()
    elsewhere = Client()
    sign_in(elsewhere, user, ip="192.0.2.50")
    sign_in(client, user)
    activate_totp(client)
    assert elsewhere.get(reverse("accounts:security")).status_code == 302
    assert client.get(reverse("accounts:security")).status_code == 200


def test_a_used_totp_code_is_refused_even_by_a_server_process_that_never_saw_it(client):
    """allauth remembers used codes in the cache; the database remembers them for every process."""
    from django.core.cache import cache

    user = UserFactory()
    secret = add_totp(user)
    code = totp_now(secret)
    sign_in(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    cache.clear()  # another worker with its own (empty) cache
    other = Client()
    sign_in(other, user, ip="192.0.2.10")
    replay = other.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.context["form"].errors["code"] == ["Incorrect code."]
    assert other.get(reverse("accounts:security")).status_code == 302


def test_an_older_code_is_refused_after_a_newer_one_was_used(client, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    user = UserFactory()
    secret = add_totp(user)
    sign_in(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)}).status_code == 302
    other = Client()
    sign_in(other, user, ip="192.0.2.10")
    older = other.post(reverse("mfa_authenticate"), {"code": totp_now(secret, offset=-1)})
    assert older.context["form"].errors["code"] == ["Incorrect code."]
