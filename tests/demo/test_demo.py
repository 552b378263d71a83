import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from rare.accounts.models import User
from rare.alliance.models import WorkingGroup
from rare.community.models import Organisation, Person, Theme
from rare.core.visibility import Visibility
from rare.demo.data import DEMO_ACCOUNTS
from rare.programme.models import Camp, Membership, Programme, Session
from rare.programme.rules import roles_of

COUNTED = (User, Organisation, Person, Theme, Programme, Membership, Camp, Session, WorkingGroup)


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo(db):
    return run_demo()


def test_demo_loads_cohort_1_as_the_current_programme(demo):
    programme = Programme.objects.current()

    assert programme.name == "RARE cohort 1"
    assert (programme.starts_on.year, programme.ends_on.year) == (2021, 2022)
    assert "9 camps" in demo
    assert "26 participants" in demo


def test_demo_has_nine_camps_with_the_facts_of_cohort_1(demo):
    camps = {camp.number: camp for camp in Camp.objects.filter(programme__slug="rare-cohort-1")}

    assert sorted(camps) == list(range(1, 10))
    first, brussels, final = camps[1], camps[7], camps[9]
    assert (first.slug, first.format, first.starts_on.year, first.starts_on.month) == (
        "camp-1-online-kick-off",
        Camp.Format.ONLINE,
        2021,
        3,
    )
    assert (brussels.slug, brussels.city, brussels.country.code) == ("camp-7-brussels", "Brussels", "BE")
    assert (brussels.starts_on.year, brussels.starts_on.month) == (2022, 3)
    assert (final.slug, final.city, final.country.code) == ("camp-9-cres", "Cres", "HR")
    assert "graduation" in final.title.lower()
    assert [camps[n].illustrative for n in range(1, 10)] == [False, True, True, True, True, True, False, True, False]
    assert all(camps[n].starts_on < camps[n + 1].starts_on for n in range(1, 9))


def test_camp_7_meets_the_european_parliament_and_the_commission(demo):
    titles = " ".join(Session.objects.filter(camp__slug="camp-7-brussels").values_list("title", flat=True))

    assert "European Parliament" in titles
    assert "MEPs" in titles
    assert "Commission officials" in titles


def test_demo_has_26_participants_from_at_least_15_countries(demo):
    participants = Person.objects.filter(
        memberships__programme__slug="rare-cohort-1", memberships__role=Membership.Role.PARTICIPANT
    )

    assert participants.count() == 26
    assert participants.values("country").distinct().count() >= 15
    assert participants.filter(organisation__isnull=True).count() == 0
    assert participants.filter(public_profile=True).count() == 13
    assert participants.exclude(bio="").count() == 26


def test_demo_has_a_team_with_a_duty_officer_experts_and_an_organisation_admin(demo):
    roles = Membership.objects.filter(programme__slug="rare-cohort-1")

    assert roles.filter(role=Membership.Role.TEAM).count() == 4
    assert roles.filter(role=Membership.Role.DUTY_OFFICER).count() == 1
    assert roles.filter(role=Membership.Role.EXPERT).count() == 5
    assert roles.filter(role=Membership.Role.ORGANISATION_ADMIN).count() == 1


def test_demo_has_sessions_of_every_kind_with_speakers(demo):
    kinds = set(Session.objects.values_list("kind", flat=True))

    assert kinds == set(Session.Kind.values)
    assert Session.objects.filter(camp__number=7, speakers__isnull=False).distinct().count() >= 5
    assert Person.objects.filter(sessions_spoken__isnull=False, memberships__role="expert").distinct().count() == 5
    assert Person.objects.filter(sessions_spoken__isnull=False, memberships__role="participant").exists()


def test_sessions_are_stored_in_each_camps_local_time(demo):
    graduation = Session.objects.get(camp__slug="camp-9-cres", kind=Session.Kind.SOCIAL)
    debrief = Session.objects.get(camp__slug="camp-7-brussels", title="How the EU decides, and where to push")

    assert graduation.starts_at.astimezone(ZoneInfo("Europe/Zagreb")).time() == dt.time(18, 0)
    assert debrief.starts_at.astimezone(ZoneInfo("Europe/Brussels")).time() == dt.time(9, 30)
    for session in Session.objects.select_related("camp"):
        assert session.camp.starts_on <= session.starts_at.date() <= session.camp.ends_on


def test_demo_has_two_public_working_groups(demo):
    groups = {group.slug: group for group in WorkingGroup.objects.select_related("convener", "theme")}

    assert sorted(groups) == ["civic-space", "rule-of-law"]
    for group in groups.values():
        assert group.visibility == Visibility.PUBLIC
        assert group.members.filter(pk=group.convener.pk).exists()
        assert group.organisations.count() >= 8
        assert group.public_output
    assert "EU strategy for civil society" in groups["civic-space"].public_output


@pytest.mark.parametrize(("email", "role"), [(email, role) for email, role in DEMO_ACCOUNTS])
def test_demo_accounts_sign_in_with_the_demo_password(demo, client, settings, email, role):
    assert client.login(email=email, password=settings.RARE_DEMO_PASSWORD)
    assert not client.login(email=email, password="not-the-demo-password")


def test_demo_accounts_hold_the_roles_they_are_named_for(demo):
    def roles(email):
        return roles_of(User.objects.get(email=email))

    team = User.objects.get(email="team@example.org")
    assert (team.is_staff, team.is_superuser) == (True, False)
    assert roles("team@example.org") == {Membership.Role.TEAM}
    assert roles("duty@example.org") == {Membership.Role.TEAM, Membership.Role.DUTY_OFFICER}
    assert roles("participant@example.org") == {Membership.Role.PARTICIPANT}
    assert roles("expert@example.org") == {Membership.Role.EXPERT}
    assert roles("orgadmin@example.org") == {Membership.Role.ORGANISATION_ADMIN}
    assert User.objects.filter(is_staff=True).count() == 2


def test_members_without_a_demo_login_cannot_sign_in(demo):
    demo_emails = {email for email, _ in DEMO_ACCOUNTS}
    others = User.objects.exclude(email__in=demo_emails)

    assert others.count() == 31
    assert not any(user.has_usable_password() for user in others)


def test_running_the_demo_again_changes_nothing(demo):
    before = counts()

    output = run_demo()

    assert output.strip() == "Demo already loaded."
    assert counts() == before


def test_reset_loads_the_demo_afresh(demo):
    before = counts()
    Camp.objects.filter(number=5).delete()
    Person.objects.filter(name="Dimitar Velev").update(bio="Changed by hand")

    output = run_demo("--reset")

    assert "Loaded the demo programme RARE cohort 1" in output
    assert counts() == before
    assert Person.objects.get(name="Dimitar Velev").bio != "Changed by hand"


def test_home_page_presents_the_demo_programme(demo, client):
    body = client.get("/").content.decode()

    assert "RARE cohort 1" in body
    assert "Camp 9: Final camp and graduation" in body


def test_demo_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        run_demo()
    assert Programme.objects.count() == 0
