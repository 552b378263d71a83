"""Personal API tokens: only a hash is stored, the header decides who calls, scopes, expiry, rate limits,
and the member's pages to make and revoke them."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rare.api import services
from rare.api.models import ApiToken
from rare.api.queries import hash_secret
from rare.core.models import AuditEntry
from tests.accounts.helpers import reauthenticate
from tests.api.conftest import Api, api_for
from tests.factories import ApiTokenFactory


def test_only_a_hash_of_the_secret_is_stored(participant):
    token, secret = services.create_token(user=participant, name="  My   scripts ", scope=ApiToken.Scope.WRITE)
    token.refresh_from_db()
    assert secret.startswith("rare_")
    assert len(secret) == 48
    assert token.token_hash == hash_secret(secret)
    assert secret not in {token.name, token.prefix, token.token_hash}
    assert secret.startswith(token.prefix)
    assert token.name == "My   scripts"
    assert token.scope == "write"
    assert list(AuditEntry.objects.filter(action="api_token.created").values_list("target_id", flat=True)) == [
        str(token.pk)
    ]


def test_no_header_is_an_anonymous_caller(anonymous):
    response = anonymous.get("/me")
    assert response.status_code == 200
    assert response.json() == {"authenticated": False, "scope": None, "member": False, "travel_mode": False}


def test_a_token_acts_as_its_account_and_notes_when_it_was_used(participant):
    api = api_for(participant)
    response = api.get("/me")
    assert response.status_code == 200
    assert response.json() == {"authenticated": True, "scope": "read", "member": True, "travel_mode": False}
    assert response["Cache-Control"] == "no-store"
    assert ApiToken.objects.get(user=participant).last_used_at is not None


def _refused(response, detail_start: str) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["WWW-Authenticate"] == 'Bearer realm="rare"'
    assert response.json()["detail"].startswith(detail_start)


def test_a_bad_header_is_refused_not_treated_as_anonymous(participant, anonymous):
    _refused(anonymous.client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic abc"), "Send the token as")
    _refused(anonymous.client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer "), "Send the token as")
    _refused(Api("rare_not-a-token").get("/me"), "The token is not valid")


def test_revoked_expired_and_disabled_tokens_are_refused(participant, outsider):
    api = api_for(participant)
    token = ApiToken.objects.get(user=participant)
    services.revoke_token(token=token, actor=participant)
    _refused(api.get("/me"), "The token is not valid")

    expired = api_for(outsider)
    ApiToken.objects.filter(user=outsider).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(expired.get("/me"), "The token is not valid")

    disabled = api_for(outsider)
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    _refused(disabled.get("/me"), "The token is not valid")


def test_revoking_is_audited_once(participant):
    token, _secret = services.create_token(user=participant, name="x")
    services.revoke_token(token=token, actor=participant)
    services.revoke_token(token=token, actor=participant)
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_rate_limit_per_address_and_per_token(settings, participant, anonymous):
    settings.RARE_API_RATE_ANONYMOUS = 2
    settings.RARE_API_RATE_TOKEN = 3
    assert [anonymous.get("/programmes").status_code for _ in range(3)] == [200, 200, 429]
    limited = anonymous.get("/programmes")
    assert limited.json() == {"detail": "Too many requests."}
    assert 1 <= int(limited["Retry-After"]) <= 60
    api = api_for(participant)
    assert [api.get("/programmes").status_code for _ in range(4)] == [200, 200, 200, 429]


# --- The member's pages ------------------------------------------------------------------------------


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_token_pages_are_for_members(outsider):
    assert Client().get(reverse("api_tokens:list")).status_code == 302
    assert _signed_in(outsider).get(reverse("api_tokens:list")).status_code == 404


def test_making_a_token_asks_for_the_password_and_shows_the_secret_once(participant):
    client = _signed_in(participant)
    data = {"name": "Monitoring script", "scope": "read", "expires_in": "30"}
    response = client.post(reverse("api_tokens:create"), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert ApiToken.objects.count() == 0

    reauthenticate(client)
    response = client.post(reverse("api_tokens:create"), data)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=participant)
    secret = response.context["secret"]
    assert hash_secret(secret) == token.token_hash
    assert secret in response.content.decode()
    assert token.expires_at is not None
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]

    listed = client.get(reverse("api_tokens:list"))
    assert listed.status_code == 200
    assert secret not in listed.content.decode()
    assert token.prefix in listed.content.decode()
    assert Api(secret).get("/me").json()["authenticated"] is True


def test_a_token_needs_a_name(participant):
    client = _signed_in(participant)
    reauthenticate(client)
    response = client.post(reverse("api_tokens:create"), {"name": "   ", "scope": "read", "expires_in": ""})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_no_token_is_made_in_travel_mode(participant):
    participant.travel_mode = True
    participant.save(update_fields=["travel_mode"])
    client = _signed_in(participant)
    reauthenticate(client)
    response = client.post(reverse("api_tokens:create"), {"name": "x", "scope": "read", "expires_in": ""})
    assert response.status_code == 302
    assert ApiToken.objects.count() == 0


def test_members_revoke_their_own_tokens_only(participant, team):
    mine = ApiTokenFactory(user=participant)
    theirs = ApiTokenFactory(user=team)
    client = _signed_in(participant)
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_the_security_page_links_to_the_tokens_for_members(participant, outsider):
    assert reverse("api_tokens:list") in _signed_in(participant).get(reverse("accounts:security")).content.decode()
    assert reverse("api_tokens:list") not in _signed_in(outsider).get(reverse("accounts:security")).content.decode()
