"""Strict security headers on every kind of response: pages, errors, static files, JSON, redirects."""

import urllib.request

import pytest
from django.test import Client, RequestFactory

from rare.core.errors import server_error
from rare.core.middleware import NEUTRAL_SERVER
from tests.core import urlwalk
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.core.urls")


KINDS_OF_RESPONSE = {
    "html page": ("/", 200),
    "sign-in page": ("/accounts/login/", 200),
    "json": ("/healthz", 200),
    "not found": ("/no-such-page/", 404),
    "server error": ("/tests/boom/", 500),
    "static file": ("/static/rare/rare.css", 200),
    "static script": ("/static/rare/quick-exit.js", 200),
    "redirect": ("/camps", 301),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS_OF_RESPONSE)
def test_every_kind_of_response_carries_the_security_headers(kind):
    path, status = KINDS_OF_RESPONSE[kind]
    client = Client(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code == status
    assert urlwalk.header_problems(response) == []


@pytest.mark.django_db
def test_the_content_security_policy_uses_a_fresh_nonce_and_nothing_inline(client):
    first = client.get("/")
    second = client.get("/")

    policy = urlwalk.csp_directives(first["Content-Security-Policy"])
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert policy["script-src"][0] == "'self'"
    assert len(nonces) == 1
    assert f'nonce="{nonces[0][7:-1]}"' in first.content.decode()
    assert nonces[0] not in second["Content-Security-Policy"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_permissions_policy_denies_powerful_features_but_keeps_passkeys(client):
    policy = urlwalk.permissions_policy(client.get("/")["Permissions-Policy"])

    assert {f: policy[f] for f in ("camera", "microphone", "geolocation", "payment", "usb")} == dict.fromkeys(
        ("camera", "microphone", "geolocation", "payment", "usb"), "()"
    )
    assert (policy["interest-cohort"], policy["browsing-topics"]) == ("()", "()")
    assert (policy["publickey-credentials-get"], policy["publickey-credentials-create"]) == ("(self)", "(self)")


@pytest.mark.django_db
def test_hsts_is_sent_on_https_in_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_SSL_REDIRECT = True

    secure = client.get("/", secure=True)
    plain = client.get("/")

    assert secure["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    # The plain-HTTP redirect is answered by SecurityMiddleware before anything else runs: it has
    # no body to protect, and HSTS must not be sent over plain HTTP.
    assert "Strict-Transport-Security" not in plain


@pytest.mark.django_db
def test_no_hsts_without_https_or_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/", secure=True)


@pytest.mark.django_db
def test_signed_in_people_get_no_store_on_every_page_even_where_a_view_allows_caching(client):
    client.force_login(UserFactory())

    assert client.get("/")["Cache-Control"] == "no-store"
    assert client.get("/tests/cached/")["Cache-Control"] == "no-store"
    assert client.get("/no-such-page/")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_pages_for_visitors_are_not_stored_unless_their_view_asks_for_caching(client):
    assert client.get("/")["Cache-Control"] == "no-store"
    assert urlwalk.has_no_store(client.get("/accounts/login/"))
    assert client.get("/tests/cached/")["Cache-Control"] == "public, max-age=300"
    assert "no-store" in client.get("/healthz")["Cache-Control"]


@pytest.mark.django_db
def test_static_files_keep_their_caching_for_everybody(client):
    client.force_login(UserFactory())

    response = client.get("/static/rare/rare.css")

    assert response["Cache-Control"].startswith("max-age=")
    assert "no-store" not in response["Cache-Control"]


@pytest.mark.django_db
def test_no_server_software_or_version_is_named(client):
    assert "Server" not in client.get("/tests/server-header/")
    under_runserver = client.get("/", SERVER_SOFTWARE="WSGIServer/0.2")
    assert under_runserver["Server"] == NEUTRAL_SERVER


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("rare.urls")
def test_the_development_server_does_not_name_itself(live_server):
    with urllib.request.urlopen(f"{live_server.url}/healthz") as answer:  # noqa: S310 (our own live server)
        server = answer.headers.get_all("Server")

    assert server == [NEUTRAL_SERVER]


def test_the_500_page_needs_neither_database_nor_context_processors():
    """No database access is allowed in this test: the page must render anyway."""
    request = RequestFactory().get("/anything/")

    response = server_error(request)

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert 'href="/"' in body
    assert 'href="/leave/"' in body and "data-quick-exit" in body


@pytest.mark.django_db
def test_the_500_page_is_served_with_headers_and_a_way_back():
    client = Client(raise_request_exception=False)

    response = client.get("/tests/boom/")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "Back to the home page" in body
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/tests/camps/whatever/notes/", 302, None),
    ],
)
def test_error_pages_say_what_happened_and_offer_a_way_back(client, path, status, heading):
    response = client.get(path)

    assert response.status_code == status
    if heading:
        body = response.content.decode()
        assert f"<h1>{heading}</h1>" in body
        assert "Back to the home page" in body


@pytest.mark.django_db
def test_the_400_and_403_pages_are_ours(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]

    bad_host = client.get("/", headers={"host": "attacker.example"})
    csrf = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    assert bad_host.status_code == 400
    assert "<h1>Request not understood</h1>" in bad_host.content.decode()
    assert urlwalk.header_problems(bad_host) == []
    assert csrf.status_code == 403
    assert "<h1>The form has expired</h1>" in csrf.content.decode()
    assert urlwalk.header_problems(csrf) == []


def test_a_database_out_of_reach_asks_to_try_again_shortly():
    """A restart of the database is not an error of ours: 503 with Retry-After, and no database needed."""
    from django.db import OperationalError

    request = RequestFactory().get("/alerts/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)

    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The platform is back in a moment" in body
    assert "Nothing you saved before is lost" in body
    assert 'href="/leave/"' in body

    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
