"""Travel mode: one click on, lifted only with a second factor the account already had."""

import html
import json
import os
import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.webauthn.internal.auth import WebAuthn
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.utils import sha256, websafe_decode, websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData, CollectedClientData

from rare.accounts import travel
from rare.alliance.models import WorkingGroup
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from tests.factories import PASSWORD, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def wrong_code(secret: str) -> str:
    return str((int(current_code(secret)) + 500_000) % 1_000_000).zfill(6)


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def switch_on(client: Client):
    return client.post(reverse("accounts:travel_mode_on"))


def lift(client: Client, code: str):
    return client.post(reverse("accounts:travel_mode_off"), {"code": code})


def audit(user, action: str) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user, action=action).order_by("id").values_list("outcome", flat=True))


def test_switching_on_takes_one_click_and_no_second_factor():
    user = UserFactory()
    with_totp(user)
    client = signed_in(user)

    response = switch_on(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:travel_mode")
    user.refresh_from_db()
    assert user.travel_mode is True
    assert audit(user, "travel_mode.on") == ["ok"]


def test_switching_on_needs_a_post():
    user = UserFactory()
    client = signed_in(user)

    response = client.get(reverse("accounts:travel_mode_on"))

    assert response.status_code == 405
    user.refresh_from_db()
    assert user.travel_mode is False


def test_header_shows_when_travel_mode_is_on():
    user = UserFactory()
    client = signed_in(user)
    before = client.get(reverse("accounts:profile_visibility")).content.decode()

    switch_on(client)
    after = client.get(reverse("accounts:profile_visibility")).content.decode()

    assert "Travel mode on" not in before
    assert "Travel mode on" in after
    assert f'href="{reverse("accounts:travel_mode")}"' in after


def test_travel_page_offers_the_switch_and_warns_without_a_second_factor():
    client = signed_in(UserFactory())

    page = client.get(reverse("accounts:travel_mode")).content.decode()

    assert "Switch travel mode on" in page
    assert "Your account has no second factor yet." in page


def test_lifting_is_refused_with_a_wrong_code():
    user = UserFactory()
    secret = with_totp(user)
    client = signed_in(user)
    switch_on(client)

    response = lift(client, wrong_code(secret))

    assert response.status_code == 400
    assert "Incorrect code" in response.content.decode()
    user.refresh_from_db()
    assert user.travel_mode is True
    assert audit(user, "travel_mode.off") == ["failed"]


def test_lifting_is_accepted_with_the_current_totp_code():
    user = UserFactory()
    secret = with_totp(user)
    client = signed_in(user)
    switch_on(client)

    response = lift(client, current_code(secret))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.travel_mode is False
    assert audit(user, "travel_mode.off") == ["ok"]
    assert AuditEntry.objects.get(actor=user, action="travel_mode.off").details == {"factor": "totp"}
    assert "Travel mode on" not in client.get(reverse("accounts:profile_visibility")).content.decode()


def test_a_totp_code_lifts_travel_mode_only_once():
    user = UserFactory()
    secret = with_totp(user)
    client = signed_in(user)
    switch_on(client)
    code = current_code(secret)
    lift(client, code)
    switch_on(client)

    lift(client, code)

    user.refresh_from_db()
    assert user.travel_mode is True


def test_lifting_is_accepted_with_a_recovery_code():
    user = UserFactory()
    with_totp(user)
    recovery = RecoveryCodes.activate(user)
    client = signed_in(user)
    switch_on(client)

    lift(client, recovery.get_unused_codes()[0])

    user.refresh_from_db()
    assert user.travel_mode is False
    assert AuditEntry.objects.get(actor=user, action="travel_mode.off").details == {"factor": "recovery_codes"}


def test_a_second_factor_added_during_travel_does_not_lift_it():
    """Someone who knows the password could add a new factor; only those that existed before count."""
    user = UserFactory()
    with_totp(user)
    client = signed_in(user)
    switch_on(client)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    new_secret = with_totp(user)

    response = lift(client, current_code(new_secret))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.travel_mode is True
    assert audit(user, "travel_mode.off") == ["denied"]
    page = client.get(reverse("accounts:travel_mode")).content.decode()
    assert "ask the programme team" in page.lower()


def test_regenerated_recovery_codes_do_not_lift_it():
    user = UserFactory()
    with_totp(user)
    RecoveryCodes.activate(user)
    client = signed_in(user)
    switch_on(client)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
    fresh = RecoveryCodes.activate(user)

    lift(client, fresh.get_unused_codes()[0])

    user.refresh_from_db()
    assert user.travel_mode is True


def test_without_any_second_factor_lifting_is_refused_with_a_pointer_to_mfa_setup():
    user = UserFactory()
    client = signed_in(user)
    switch_on(client)

    response = lift(client, "123456")
    page = client.get(reverse("accounts:travel_mode")).content.decode()

    assert response["Location"] == reverse("accounts:travel_mode")
    user.refresh_from_db()
    assert user.travel_mode is True
    assert audit(user, "travel_mode.off") == ["denied"]
    assert "Set up a second factor first" in page
    assert f'href="{reverse("mfa_index")}"' in page


def test_an_account_that_had_no_second_factor_lifts_with_a_new_one_and_its_password():
    user = UserFactory()
    client = signed_in(user)
    switch_on(client)
    secret = with_totp(user)

    asked = lift(client, current_code(secret))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    user.refresh_from_db()
    still_on = user.travel_mode
    lift(client, current_code(secret))

    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert still_on is True
    user.refresh_from_db()
    assert user.travel_mode is False


def test_lifting_needs_a_post_and_a_signed_in_member():
    response = Client().post(reverse("accounts:travel_mode_off"), {"code": "123456"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_restricted_records_are_hidden_while_travel_mode_is_on():
    user = UserFactory()
    secret = with_totp(user)
    person = PersonFactory(user=user)
    MembershipFactory(person=person)
    group = WorkingGroup.objects.create(name="Safe houses", slug="safe-houses", visibility=Visibility.RESTRICTED)
    group.allowed_people.add(person)
    client = signed_in(user)

    def sees_group() -> bool:
        user.refresh_from_db()
        return WorkingGroup.objects.visible_to(user).filter(pk=group.pk).exists()

    before = sees_group()
    switch_on(client)
    during = sees_group()
    lift(client, current_code(secret))
    after = sees_group()

    assert (before, during, after) == (True, False, True)


def test_the_service_records_whether_the_account_had_a_second_factor():
    with_factor, without = UserFactory(), UserFactory()
    with_totp(with_factor)

    travel.switch_on(user=with_factor)
    travel.switch_on(user=without)

    assert travel.last_switch(with_factor).had_second_factor is True
    assert travel.last_switch(without).had_second_factor is False
    assert travel.needs_password_too(without) is True


def test_switching_on_twice_records_once():
    user = UserFactory()

    first = travel.switch_on(user=user)
    second = travel.switch_on(user=user)

    assert (first, second) == (True, False)
    assert audit(user, "travel_mode.on") == ["ok"]


class SoftKey:
    """A security key in software: registers a credential and signs assertions like a real one would."""

    rp_id = "testserver"
    origin = "http://testserver"

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0

    def _credential(self, response: dict) -> dict:
        encoded_id = websafe_encode(self.credential_id)
        return {
            "id": encoded_id,
            "rawId": encoded_id,
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        }

    def registration(self) -> dict:
        public_key = ES256.from_cryptography_key(self.private_key.public_key())
        credential_data = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(sha256(self.rp_id.encode()), flags, 0, credential_data)
        client_data = CollectedClientData.create("webauthn.create", os.urandom(32), self.origin)
        return self._credential(
            {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
            }
        )

    def assertion(self, request_options: dict) -> dict:
        self.counter += 1
        challenge = websafe_decode(request_options["publicKey"]["challenge"])
        client_data = CollectedClientData.create("webauthn.get", challenge, self.origin)
        auth_data = AuthenticatorData.create(sha256(self.rp_id.encode()), AuthenticatorData.FLAG.UP, self.counter)
        signature = self.private_key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return self._credential(
            {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            }
        )


def request_options_on(page: str) -> dict:
    found = re.search(r'data-webauthn-get="([^"]*)"', page)
    assert found, "the travel page offers no security key"
    return json.loads(html.unescape(found.group(1)))


def test_lifting_with_a_security_key_the_account_already_had():
    user = UserFactory()
    key = SoftKey()
    WebAuthn.add(user, "My key", key.registration())
    client = signed_in(user)
    switch_on(client)
    page = client.get(reverse("accounts:travel_mode")).content.decode()

    response = client.post(
        reverse("accounts:travel_mode_off_webauthn"),
        {"credential": json.dumps(key.assertion(request_options_on(page)))},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.travel_mode is False
    assert AuditEntry.objects.get(actor=user, action="travel_mode.off").details == {"factor": "webauthn"}
    assert 'nonce="' in page
    assert "webauthn-get.js" in page


def test_a_security_key_added_during_travel_does_not_lift_it():
    user = UserFactory()
    WebAuthn.add(user, "Left at home", SoftKey().registration())
    client = signed_in(user)
    switch_on(client)
    added_later = SoftKey()
    WebAuthn.add(user, "Added at the border", added_later.registration())
    page = client.get(reverse("accounts:travel_mode")).content.decode()

    response = client.post(
        reverse("accounts:travel_mode_off_webauthn"),
        {"credential": json.dumps(added_later.assertion(request_options_on(page)))},
    )

    assert response["Location"] == reverse("accounts:travel_mode")
    user.refresh_from_db()
    assert user.travel_mode is True
    assert audit(user, "travel_mode.off") == ["denied"]


def test_a_forged_security_key_answer_does_not_lift_it():
    user = UserFactory()
    WebAuthn.add(user, "My key", SoftKey().registration())
    client = signed_in(user)
    switch_on(client)
    page = client.get(reverse("accounts:travel_mode")).content.decode()
    stranger = SoftKey()

    client.post(
        reverse("accounts:travel_mode_off_webauthn"),
        {"credential": json.dumps(stranger.assertion(request_options_on(page)))},
    )

    user.refresh_from_db()
    assert user.travel_mode is True
    assert audit(user, "travel_mode.off") == ["failed"]


def test_the_programme_team_can_lift_it_for_a_member_who_lost_their_factors():
    user = UserFactory()
    team = UserFactory(is_staff=True)
    travel.switch_on(user=user)

    lifted = travel.lift_for_member(user=user, actor=team)

    user.refresh_from_db()
    assert (lifted, user.travel_mode) == (True, False)
    entry = AuditEntry.objects.get(action="travel_mode.off")
    assert (entry.actor, entry.target_id, entry.details) == (team, str(user.pk), {"by": "team"})
