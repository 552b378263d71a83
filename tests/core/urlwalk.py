"""Walk every URL pattern of the platform: enumerate, build a concrete address, inspect the answer.

Used by tests/core/test_third_party.py. Nothing here knows the platform's apps: patterns come from the
resolver, values for their arguments from whatever rows exist in the test database, matched by name.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

# --- Enumerating the patterns ------------------------------------------------------------------


@dataclass
class Route:
    regex: str
    pattern: URLPattern
    name: str

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def model_admin(self):
        return getattr(self.callback, "model_admin", None)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.regex.startswith(f"^{re.escape(settings.RARE_ADMIN_PATH)}/")

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} {self.regex}"


def _piece(pattern) -> str:
    regex = pattern.regex.pattern
    return regex[1:] if regex.startswith("^") else regex


def routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        regex = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from routes(entry, regex, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(regex="^" + regex, pattern=entry, name=name)


# --- Building addresses ------------------------------------------------------------------------

PLACEHOLDERS = {
    "uidb36": ["1"],
    "key": ["x1-placeholder"],
    "token": ["placeholder-token"],
    "uid": ["1"],
    "url": ["no-such-admin-page/"],
    "year": ["2021"],
    "month": ["06"],
    "day": ["07"],
    "country_code": ["HU"],
}


@dataclass
class DataSet:
    """Rows of the test database, offered to URL arguments by name."""

    objects: list[models.Model] = field(default_factory=list)

    def add(self, *objs: models.Model) -> None:
        for obj in objs:
            if obj is not None and obj.pk is not None and obj not in self.objects:
                self.objects.append(obj)

    def ranked(self, route: Route) -> list[models.Model]:
        """The objects, those whose model is named in the route first (camps/<slug> -> a camp)."""
        admin = route.model_admin
        if admin is not None:
            first = [o for o in self.objects if isinstance(o, admin.model)]
            if not first:
                found = admin.model._default_manager.order_by("pk").first()
                first = [found] if found is not None else []
            return first
        path = route.regex.lower()

        def score(obj: models.Model) -> int:
            meta = obj._meta
            names = {meta.model_name, str(meta.verbose_name).lower(), str(meta.verbose_name_plural).lower()}
            names |= {n.replace(" ", "-") for n in names} | {n.replace(" ", "") for n in names}
            if any(n and n in path for n in names):
                return 0
            words = {w for n in names for w in n.split() if len(w) > 3}
            return 1 if any(w in path for w in words) else 2

        return sorted(self.objects, key=score)

    def candidates(self, route: Route, param: str) -> list[str]:
        if param in PLACEHOLDERS:
            return PLACEHOLDERS[param]
        ranked = self.ranked(route)
        if param == "slug":
            return _unique(str(o.slug) for o in ranked if getattr(o, "slug", None))
        if param in {"pk", "id", "object_id"} or (param.endswith(("_pk", "_id")) and param != "content_type_id"):
            return _unique(str(o.pk) for o in ranked) or ["1"]
        if param == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            return _unique(str(ContentType.objects.get_for_model(o).pk) for o in ranked[:3])
        if param == "app_label":
            admin = route.model_admin
            labels = [admin.model._meta.app_label] if admin else []
            return _unique(labels + [c.label for c in apps.get_app_configs()])
        if param in {"language", "lang", "language_code"}:
            return [code for code, _name in settings.LANGUAGES]
        if param == "uuid" or param.endswith("_uuid"):
            found = [str(o.uuid) for o in ranked if getattr(o, "uuid", None)]
            return found or [str(uuid.uuid4())]
        return []


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def addresses(route: Route, data: DataSet, *, limit: int = 6) -> list[str]:
    """Concrete paths that resolve to this route, best guesses first; [] if none can be built."""
    found: list[str] = []
    for template, params in normalize(route.regex):
        choices = [data.candidates(route, p) for p in params]
        if any(not c for c in choices):
            continue
        for combo in itertools.islice(itertools.product(*choices), 50):
            path = "/" + template % dict(zip(params, combo, strict=True))
            if _resolves_to(path, route) and path not in found:
                found.append(path)
                if len(found) >= limit:
                    return found
    return found


def _resolves_to(path: str, route: Route) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is route.callback or getattr(match.func, "__wrapped__", None) is route.callback


def missing_params(route: Route, data: DataSet) -> list[str]:
    params = {p for _t, ps in normalize(route.regex) for p in ps}
    return sorted(p for p in params if not data.candidates(route, p))


# --- The data set ------------------------------------------------------------------------------


def factory_classes() -> list[type]:
    """Every model factory of the test suite: tests/factories.py and tests/<app>/factories.py."""
    from factory.django import DjangoModelFactory

    import tests

    modules = [importlib.import_module("tests.factories")]
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.factories"))
            except ModuleNotFoundError:
                continue
    found = []
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, DjangoModelFactory)
                and cls.__module__ == module.__name__
                and cls._meta.model is not None
                and not cls._meta.abstract
            ):
                found.append(cls)
    return found


def one_of_each(data: DataSet) -> list[str]:
    """One row from every factory (each in a savepoint); returns the factories that could not build one."""
    failed = []
    for cls in factory_classes():
        try:
            with transaction.atomic():
                data.add(cls())
        except Exception as error:  # a factory that needs arguments: noted, not fatal
            failed.append(f"{cls.__module__}.{cls.__name__}: {type(error).__name__}")
    return failed


# --- Reading pages -----------------------------------------------------------------------------

# <link rel> values that make the browser fetch or connect (navigation-only rels are not listed).
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
}
# (tag, attribute) pairs whose URL the browser loads by itself.
LOADING_ATTRIBUTES = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("a", "ping"),
    ("area", "ping"),
    ("body", "background"),
    ("table", "background"),
}
FRAME_HOSTS = {"www.youtube-nocookie.com"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)


@dataclass
class PageReport:
    resources: list[tuple[str, str]] = field(default_factory=list)  # (what, url) loaded by the browser
    frames: list[str] = field(default_factory=list)
    data_urls: list[tuple[str, str]] = field(default_factory=list)  # (attribute, url) in data-* attributes
    inline_problems: list[str] = field(default_factory=list)
    has_body: bool = False
    quick_exit_links: list[str] = field(default_factory=list)


class PageReader(HTMLParser):
    """Collects every address a browser would load from this page, and inline code it would run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.report = PageReport()
        self._script_open: dict[str, str] | None = None
        self._script_text: list[str] = []
        self._style_open = False

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)
        if tag == "script":
            self._close_script()

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        report = self.report
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "body":
            report.has_body = True
        for name, value in values.items():
            if name.startswith("on"):
                report.inline_problems.append(f"<{tag} {name}=...> event handler attribute")
            if name == "style":
                report.inline_problems.append(f"<{tag} style=...> attribute")
            if value.strip().lower().replace("\t", "").replace("\n", "").startswith("javascript:"):
                report.inline_problems.append(f"<{tag} {name}=javascript:...>")
            if name.startswith("data-") and re.match(r"\s*(https?:)?//", value, re.I):
                report.data_urls.append((f"<{tag} {name}>", value.strip()))
            if (tag, name) in LOADING_ATTRIBUTES and value.strip():
                if name in {"srcset"}:
                    for part in value.split(","):
                        url = part.strip().split(" ")[0]
                        if url:
                            report.resources.append((f"<{tag} {name}>", url))
                elif name == "ping":
                    for url in value.split():
                        report.resources.append((f"<{tag} ping>", url))
                elif tag in {"iframe", "frame"}:
                    report.frames.append(value.strip())
                else:
                    report.resources.append((f"<{tag} {name}>", value.strip()))
        if tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            if rels & LOADING_RELS:
                report.resources.append((f"<link rel={values.get('rel')}>", values["href"].strip()))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            content = values.get("content", "")
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", content, re.I)
            if match:
                report.resources.append(("<meta refresh>", match.group(1).strip()))
        if tag == "a" and "data-quick-exit" in values:
            report.quick_exit_links.append(values.get("href", ""))
        if tag == "script":
            self._script_open = values
            self._script_text = []
        if tag == "style":
            self._style_open = True
            report.inline_problems.append("<style> block")

    def handle_endtag(self, tag):
        if tag == "script":
            self._close_script()
        if tag == "style":
            self._style_open = False

    def handle_data(self, data):
        if self._script_open is not None:
            self._script_text.append(data)
        elif self._style_open:
            for url in css_urls(data):
                self.report.resources.append(("<style> url()", url))

    def _close_script(self) -> None:
        attrs = self._script_open
        if attrs is None:
            return
        body = "".join(self._script_text).strip()
        kind = attrs.get("type", "").lower()
        if body and kind not in {"application/json", "application/ld+json", "importmap"}:
            self.report.inline_problems.append(f"inline <script> with code: {body[:60]!r}")
        self._script_open = None
        self._script_text = []


def read_page(html: str) -> PageReport:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader.report


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css) if (m.group(2) or m.group(4))]


def is_own(url: str, own_hosts: set[str], *, allow_data: bool = False) -> bool:
    """Does loading `url` stay on our own site? (Relative addresses do; data: only where allowed.)"""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return allow_data
    if scheme and scheme not in {"http", "https"}:
        return False
    if not parts.netloc:
        return not url.startswith("//")
    return parts.hostname in own_hosts


# --- Headers -----------------------------------------------------------------------------------

DENIED_FEATURES = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
    "display-capture",
    "serial",
    "hid",
    "bluetooth",
)
REFERRER_POLICIES_THAT_KEEP_OUR_ADDRESS = {"no-referrer", "same-origin"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def permissions_policy(header: str) -> dict[str, str]:
    features = {}
    for part in header.split(","):
        if "=" in part:
            name, allow = part.split("=", 1)
            features[name.strip()] = allow.strip()
    return features


def header_problems(response) -> list[str]:
    """What is missing or weak in the security headers of one response ([] when all is well)."""
    problems = []
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        d = csp_directives(csp)
        for directive in ("object-src", "base-uri", "frame-ancestors", "default-src"):
            if d.get(directive) != ["'none'"]:
                problems.append(f"CSP {directive} is {d.get(directive)}, not 'none'")
        for directive in ("script-src", "style-src", "default-src"):
            weak = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(d.get(directive, []))
            if weak:
                problems.append(f"CSP {directive} allows {sorted(weak)}")
        if not d.get("script-src"):
            problems.append("CSP has no script-src")
    policy = permissions_policy(response.headers.get("Permissions-Policy", ""))
    for feature in DENIED_FEATURES:
        if policy.get(feature) != "()":
            problems.append(f"Permissions-Policy does not deny {feature}")
    for feature in ("publickey-credentials-get", "publickey-credentials-create"):
        if policy.get(feature) != "(self)":
            problems.append(f"Permissions-Policy {feature} is {policy.get(feature)!r}, not (self) (passkeys need it)")
    expected = {
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }
    for name, value in expected.items():
        if response.headers.get(name) != value:
            problems.append(f"{name} is {response.headers.get(name)!r}, not {value!r}")
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES_THAT_KEEP_OUR_ADDRESS:
        problems.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')!r}")
    if "Server" in response.headers:
        problems.append(f"Server header {response.headers['Server']!r}")
    return problems


def has_no_store(response) -> bool:
    parts = {p.strip().lower() for p in response.headers.get("Cache-Control", "").split(",")}
    return "no-store" in parts
