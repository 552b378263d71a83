"""Every URL of the platform, fetched as a visitor, a participant, the programme team and a superuser.

For each answer: no server error, the security headers, nothing loaded from another host (scripts,
styles, icons, images, fonts via CSS, frames except the testimonial video host, forms, media,
objects, meta refresh), no inline code, redirects that stay on this site, `no-store` for signed-in
people, and the quick-exit control on every full page. Patterns whose arguments cannot be filled
from the data set are listed in a warning, not silently dropped.
"""

from __future__ import annotations

import warnings
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from rare.programme.models import Membership
from tests.core import urlwalk
from tests.factories import (
    CampFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)

ROLES = ("visitor", "participant", "team", "superuser")
# The quick exit itself lands on a neutral page that must not carry our controls or branding.
PAGES_WITHOUT_QUICK_EXIT = {"quick_exit"}


@pytest.fixture
def world(db):
    """A small programme: a camp with a session, an organisation and its person, a theme, and the users."""
    data = urlwalk.DataSet()
    programme = ProgrammeFactory(slug="cohort-walk")
    camp = CampFactory(programme=programme, slug="camp-walk")
    session = SessionFactory(camp=camp)
    organisation = OrganisationFactory(slug="organisation-walk")
    person = PersonFactory(organisation=organisation, slug="person-walk", public_profile=True)
    theme = ThemeFactory(slug="theme-walk")
    session.speakers.add(person)
    users = {"visitor": None}
    for role, membership_role in (("participant", Membership.Role.PARTICIPANT), ("team", Membership.Role.TEAM)):
        user = UserFactory(name=f"Walking {role}")
        member = PersonFactory(user=user, organisation=organisation, slug=f"{role}-walk")
        MembershipFactory(programme=programme, person=member, role=membership_role)
        users[role] = user
        data.add(member)
    users["superuser"] = UserFactory(name="Walking superuser", is_staff=True, is_superuser=True)
    data.add(camp, programme, session, person, organisation, theme)
    not_built = urlwalk.one_of_each(data)
    return data, users, not_built


@pytest.mark.parametrize("role", ROLES)
def test_every_page_keeps_to_our_own_host_and_sends_strict_headers(world, role):
    data, users, factories_not_built = world
    user = users[role]
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    all_routes = list(urlwalk.routes())
    routes = [r for r in all_routes if r.is_admin] if role == "superuser" else all_routes

    problems: list[str] = []
    unbuilt: list[str] = []
    fetched = 0
    stylesheets: dict[str, list[str]] = {}
    for route in routes:
        paths = urlwalk.addresses(route, data)
        if not paths:
            unbuilt.append(f"{route} (no value for {', '.join(urlwalk.missing_params(route, data)) or '?'})")
            continue
        for path in paths:
            response = client.get(path)
            fetched += 1
            problems += [f"{path} [{role}]: {p}" for p in check(response, route, signed_in=user is not None)]
            problems += [f"{path} [{role}]: {p}" for p in check_stylesheets(client, response, stylesheets)]
            if user is not None and SESSION_KEY not in client.session:
                client.force_login(user)  # the quick exit signed us out
            if response.status_code != 404:
                break

    if unbuilt or factories_not_built:
        warnings.warn(
            f"URL walk as {role}: {len(unbuilt)} pattern(s) not built: {unbuilt}; "
            f"factories that built nothing: {factories_not_built}",
            stacklevel=1,
        )
    assert problems == [], "\n".join(problems)
    assert fetched >= len(routes) - len(unbuilt)


def check(response, route: urlwalk.Route, *, signed_in: bool) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"server error {response.status_code}")
    problems += urlwalk.header_problems(response)
    if signed_in and not urlwalk.has_no_store(response):
        problems.append(f"Cache-Control {response.headers.get('Cache-Control')!r} for a signed-in person")
    location = response.headers.get("Location")
    if 300 <= response.status_code < 400 and location and not urlwalk.is_own(location, own_hosts()):
        problems.append(f"redirects to another host: {location}")
    if response.headers.get("Content-Type", "").startswith("text/html") and not response.streaming:
        problems += page_problems(response.content.decode(response.charset or "utf-8"), route)
    return problems


def page_problems(html: str, route: urlwalk.Route) -> list[str]:
    report = urlwalk.read_page(html)
    problems = list(report.inline_problems)
    hosts = own_hosts()
    for what, url in report.resources:
        if not urlwalk.is_own(url, hosts, allow_data=what.startswith("<img")):
            problems.append(f"{what} loads {url}")
    for url in report.frames:
        if not (urlwalk.is_own(url, hosts) or urlsplit(url).hostname in urlwalk.FRAME_HOSTS):
            problems.append(f"<iframe> frames {url}")
        if url.startswith("http://"):
            problems.append(f"<iframe> over plain http: {url}")
    for what, url in report.data_urls:
        if not (urlwalk.is_own(url, hosts) or urlsplit(url.strip()).hostname in urlwalk.FRAME_HOSTS):
            problems.append(f"{what} holds {url}")
    if report.has_body and route.name not in PAGES_WITHOUT_QUICK_EXIT and report.quick_exit_links == []:
        problems.append("no quick-exit control")
    return problems


def check_stylesheets(client, response, seen: dict[str, list[str]]) -> list[str]:
    """Every stylesheet of ours a page links must itself load nothing from another host."""
    if not response.headers.get("Content-Type", "").startswith("text/html") or response.streaming:
        return []
    report = urlwalk.read_page(response.content.decode(response.charset or "utf-8"))
    problems = []
    for what, url in report.resources:
        if not what.startswith("<link rel=stylesheet") or not urlwalk.is_own(url, own_hosts()):
            continue
        path = urlsplit(url).path
        if path not in seen:
            seen[path] = []
            sheet = client.get(path)
            css = b"".join(sheet.streaming_content) if sheet.streaming else sheet.content
            for found in urlwalk.css_urls(css.decode("utf-8", "replace")):
                if not urlwalk.is_own(found, own_hosts(), allow_data=True):
                    seen[path].append(f"stylesheet {path} loads {found}")
        problems += seen[path]
    return problems


def own_hosts() -> set[str]:
    return {"testserver", urlsplit(settings.SITE_URL).hostname or "testserver"}


def test_the_walk_reaches_every_kind_of_page(world):
    """Guard the walker itself: the camp page, a person and the admin are built with real values."""
    data, _users, _failed = world
    built = {route.name: urlwalk.addresses(route, data) for route in urlwalk.routes()}
    assert built["programme:camp"][0] == "/camps/camp-walk/"
    assert built["quick_exit"] == ["/leave/"]
    camp = next(o for o in data.objects if o._meta.model_name == "camp")
    assert built["admin:programme_camp_change"][0].endswith(f"/programme/camp/{camp.pk}/change/")


def test_the_page_reader_finds_what_a_browser_would_load():
    html = """<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="https://cdn.example.net/site.css">
      <link rel="preconnect" href="https://fonts.example.com">
      <link rel="alternate" href="https://elsewhere.example/feed">
      <script src="//evil.example/x.js"></script>
      <meta http-equiv="refresh" content="0; url=https://away.example/">
      </head><body onload="go()">
      <img src="/static/a.png" srcset="/static/a2.png 2x, https://img.example/b.png 3x">
      <img src="data:image/png;base64,AAAA">
      <form action="https://collect.example/post"></form>
      <iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
      <iframe src="https://www.youtube.com/embed/x"></iframe>
      <div data-video-src="https://www.youtube-nocookie.com/embed/y" data-other="https://track.example/p"></div>
      <a href="https://elsewhere.example/">a link is not a load</a>
      <a href="javascript:void(0)">js</a>
      <p style="color:red">x</p><style>p{background:url(https://bg.example/i.png)}</style>
      <script>alert(1)</script><script type="application/json">{"a": 1}</script>
      <video poster="https://poster.example/p.jpg"></video>
      </body></html>"""
    report = urlwalk.read_page(html)
    foreign = sorted(
        url
        for what, url in report.resources
        if not urlwalk.is_own(url, {"testserver"}, allow_data=what.startswith("<img"))
    )

    assert foreign == [
        "//evil.example/x.js",
        "https://away.example/",
        "https://bg.example/i.png",
        "https://cdn.example.net/site.css",
        "https://collect.example/post",
        "https://fonts.example.com",
        "https://img.example/b.png",
        "https://poster.example/p.jpg",
    ]
    assert report.frames == ["https://www.youtube-nocookie.com/embed/x", "https://www.youtube.com/embed/x"]
    assert [url for _what, url in report.data_urls] == [
        "https://www.youtube-nocookie.com/embed/y",
        "https://track.example/p",
    ]
    assert report.inline_problems == [
        "<body onload=...> event handler attribute",
        "<a href=javascript:...>",
        "<p style=...> attribute",
        "<style> block",
        "inline <script> with code: 'alert(1)'",
    ]
    assert urlwalk.is_own("data:image/png;base64,AAAA", {"testserver"}) is False
    assert urlwalk.is_own("data:image/png;base64,AAAA", {"testserver"}, allow_data=True) is True
