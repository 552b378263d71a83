"""Deny by default: every view of ours says who may use it, or this test names it."""

from django.urls import URLPattern, URLResolver, get_resolver

from rare.core.permissions import access_of


def _our_views(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _our_views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            module = getattr(getattr(callback, "view_class", callback), "__module__", "")
            if module.startswith("rare."):
                yield prefix + str(pattern.pattern), callback


def test_every_view_of_ours_declares_its_access():
    views = list(_our_views())
    undeclared = sorted(route for route, view in views if access_of(view) is None)
    assert len(views) > 30
    assert undeclared == []
