"""Views declare what they need: visitors are sent to sign in, others get 404, every refusal is audited."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from rare.core.models import AuditEntry
from rare.core.permissions import access_of, members_only, permission_required_or_404, public
from rare.programme.models import Membership
from tests.factories import CampFactory, MembershipFactory, PersonFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


def member(role=Membership.Role.PARTICIPANT, programme=None, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(person=PersonFactory(user=user), role=role, programme=programme or ProgrammeFactory())
    return user


def denials():
    return list(AuditEntry.objects.filter(action="permission.denied").order_by("id"))


def test_a_visitor_on_a_members_page_is_sent_to_sign_in_and_back(client):
    response = client.get("/tests/members/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/tests/members/"


def test_a_signed_in_account_without_membership_gets_404_not_403(client):
    client.force_login(UserFactory())

    response = client.get("/tests/members/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("role", [Membership.Role.PARTICIPANT, Membership.Role.ALUMNI, Membership.Role.TEAM])
def test_any_programme_member_sees_the_members_page(client, role):
    client.force_login(member(role))

    response = client.get("/tests/members/")

    assert response.status_code == 200
    assert response.content == b"members area"


def test_refusals_are_recorded_in_the_audit_trail(client):
    outsider = UserFactory()
    client.get("/tests/members/")
    client.force_login(outsider)
    client.get("/tests/members/")
    participant = member(Membership.Role.PARTICIPANT)
    client.force_login(participant)
    client.get("/tests/team/")
    client.get("/tests/members/")  # allowed: not recorded

    entries = denials()
    assert [(e.actor, e.outcome, e.details["permission"]) for e in entries] == [
        (None, "denied", "membership"),
        (outsider, "denied", "membership"),
        (participant, "denied", "programme.manage_programme"),
    ]
    assert entries[0].details["view"] == "tests.core.urls.members_page"


def test_a_permission_on_a_record_is_checked_against_that_record(client):
    mine, theirs = ProgrammeFactory(), ProgrammeFactory()
    CampFactory(programme=mine, slug="own-camp")
    other_camp = CampFactory(programme=theirs, slug="other-camp")
    client.force_login(member(Membership.Role.TEAM, programme=mine))

    assert client.get("/tests/camps/own-camp/notes/").content == b"notes of own-camp"
    assert client.get("/tests/camps/other-camp/notes/").status_code == 404

    [entry] = denials()
    assert entry.details["permission"] == "core_tests.view_camp_notes"
    assert (entry.target_type.model, entry.target_id) == ("camp", str(other_camp.pk))


def test_missing_and_forbidden_records_look_the_same(client):
    CampFactory(slug="forbidden-camp")

    visitor_missing = client.get("/tests/camps/no-such-camp/notes/")
    visitor_forbidden = client.get("/tests/camps/forbidden-camp/notes/")
    client.force_login(member())
    member_missing = client.get("/tests/camps/no-such-camp/notes/")
    member_forbidden = client.get("/tests/camps/forbidden-camp/notes/")

    assert (visitor_missing.status_code, visitor_forbidden.status_code) == (302, 302)
    assert visitor_missing["Location"].startswith("/accounts/login/")
    assert visitor_forbidden["Location"].startswith("/accounts/login/")
    assert (member_missing.status_code, member_forbidden.status_code) == (404, 404)
    assert member_missing.content.decode().count("Page not found") == member_forbidden.content.decode().count(
        "Page not found"
    )


def test_a_superuser_passes_only_where_a_rule_lets_them(client):
    CampFactory(slug="someone-elses-camp")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/tests/team/").status_code == 200  # superusers count as programme team
    assert client.get("/tests/camps/someone-elses-camp/notes/").status_code == 404  # not their programme


def test_class_based_views_use_the_same_guard(client):
    camp = CampFactory(slug="cbv-camp", title="Cres")
    assert client.get("/tests/cbv/members/").status_code == 302
    client.force_login(member(Membership.Role.TEAM, programme=camp.programme))

    assert client.get("/tests/cbv/camps/cbv-camp/notes/").content == b"notes of Cres"
    assert client.get("/tests/cbv/members/").status_code == 200
    client.force_login(UserFactory())
    assert client.get("/tests/cbv/camps/cbv-camp/notes/").status_code == 404
    assert client.get("/tests/cbv/members/").status_code == 404
    assert [e.details["view"] for e in denials()] == [
        "tests.core.urls.MembersView",
        "tests.core.urls.CampNotesView",
        "tests.core.urls.MembersView",
    ]


def test_an_htmx_request_from_a_visitor_sends_the_whole_page_to_sign_in(client):
    response = client.get("/tests/members/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/tests/members/"


def test_pages_behind_a_guard_are_never_cached(client):
    client.force_login(member())

    assert client.get("/tests/members/")["Cache-Control"] == "no-store"
    client.logout()
    assert client.get("/tests/members/")["Cache-Control"] == "no-store"


def test_an_undefined_permission_is_a_configuration_error(client):
    client.force_login(member())

    with pytest.raises(ImproperlyConfigured, match=r"core_tests\.no_such_permission"):
        client.get("/tests/misconfigured/")


def test_views_say_what_they_declared():
    @public
    def open_view(request):
        return None

    @members_only
    def members_view(request):
        return None

    @permission_required_or_404("programme.manage_programme")
    def team_view(request):
        return None

    def silent_view(request):
        return None

    from tests.core.urls import CampNotesView, MembersView

    assert [access_of(v) for v in (open_view, members_view, team_view, silent_view)] == [
        "public",
        "membership",
        "programme.manage_programme",
        None,
    ]
    assert access_of(CampNotesView.as_view()) == "core_tests.view_camp_notes"
    assert access_of(MembersView.as_view()) == "membership"
