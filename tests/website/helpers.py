"""Rows the website tests need: pages written through the services, team members, testimonials."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from rare.programme.models import Membership
from rare.website import services
from rare.website.models import Page
from rare.website.models import Testimonial as VideoTestimonial
from tests.factories import MembershipFactory, PersonFactory, UserFactory


def make_page(slug: str, title: str = "", body: str = "", *, kind: str = Page.Kind.PAGE, author=None, **extra) -> Page:
    return services.create_page(
        kind=kind, slug=slug, title=title or slug.title(), body=body or f"Text of {slug}.", author=author, **extra
    )


def make_news(slug: str, published_at: dt.datetime, title: str = "", body: str = "", **extra) -> Page:
    return make_page(slug, title, body, kind=Page.Kind.NEWS, published_at=published_at, **extra)


def member(role: str, name: str = "Tess Team"):
    """A signed-in account whose person holds `role` in a programme."""
    user = UserFactory(name=name)
    MembershipFactory(person=PersonFactory(user=user, name=name), role=role)
    return user


def team_member(name: str = "Tess Team"):
    return member(Membership.Role.TEAM, name)


class TestimonialFactory(DjangoModelFactory):
    __test__ = False  # a factory, not a test class

    class Meta:
        model = VideoTestimonial

    name = factory.Sequence(lambda n: f"Speaker {n}")
    role = "Director of a civic organisation"
    quote = "The alliance answers when we call."
    video_id = factory.Sequence(lambda n: f"vid{n:08d}")
