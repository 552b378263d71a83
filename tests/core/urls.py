"""A URLconf for the core tests: the platform's own URLs plus a few views that exercise the guards.

Used with `@pytest.mark.urls("tests.core.urls")`.
"""

import rules
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views import View
from django.views.decorators.cache import cache_control

from rare.core.permissions import (
    MembersOnlyMixin,
    PermissionRequiredOr404Mixin,
    members_only,
    permission_required_or_404,
)
from rare.programme.models import Camp, Membership
from rare.urls import handler500
from rare.urls import urlpatterns as platform_urlpatterns


@rules.predicate
def runs_the_camps_programme(user, camp) -> bool:
    return Membership.objects.filter(person__user=user, programme=camp.programme, role=Membership.Role.TEAM).exists()


if not rules.perm_exists("core_tests.view_camp_notes"):
    rules.add_perm("core_tests.view_camp_notes", rules.is_authenticated & runs_the_camps_programme)


def camp_of(request, slug):
    return get_object_or_404(Camp, slug=slug)


@members_only
def members_page(request):
    return HttpResponse("members area")


@permission_required_or_404("programme.manage_programme")
def team_page(request):
    return HttpResponse("team area")


@permission_required_or_404("core_tests.view_camp_notes", fn=camp_of)
def camp_notes(request, slug):
    return HttpResponse(f"notes of {slug}")


@permission_required_or_404("core_tests.no_such_permission")
def misconfigured(request):
    return HttpResponse("never")


class CampNotesView(PermissionRequiredOr404Mixin, View):
    permission_required = "core_tests.view_camp_notes"

    def get_permission_object(self):
        return get_object_or_404(Camp, slug=self.kwargs["slug"])

    def get(self, request, slug):
        return HttpResponse(f"notes of {self.permission_object.title}")


class MembersView(MembersOnlyMixin, View):
    def get(self, request):
        return HttpResponse("members area")


def boom(request):
    raise RuntimeError("a bug in a view")


@cache_control(public=True, max_age=300)
def cached_public(request):
    return HttpResponse("the same for everybody")


def sets_a_server_header(request):
    response = HttpResponse("hello")
    response["Server"] = "Apache/2.4.1 (Unix)"
    return response


urlpatterns = [
    path("tests/members/", members_page),
    path("tests/team/", team_page),
    path("tests/camps/<slug:slug>/notes/", camp_notes),
    path("tests/misconfigured/", misconfigured),
    path("tests/cbv/camps/<slug:slug>/notes/", CampNotesView.as_view()),
    path("tests/cbv/members/", MembersView.as_view()),
    path("tests/boom/", boom),
    path("tests/cached/", cached_public),
    path("tests/server-header/", sets_a_server_header),
    *platform_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
