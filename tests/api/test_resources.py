"""Each resource shows exactly what the matching page shows to that caller: the same query functions,
the same 404 for a record one may not see, no confidential details in lists, and scopes that hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from rare.alliance import queries as alliance_queries
from rare.api.models import ApiToken
from rare.community import queries as community_queries
from rare.core.visibility import Visibility
from rare.monitor import queries as monitor_queries
from rare.programme.models import Membership
from rare.solidarity import queries as solidarity_queries
from rare.solidarity.models import Alert
from tests.api.conftest import Api, api_for, member_with_role
from tests.factories import (
    AlertFactory,
    AlertUpdateFactory,
    CampFactory,
    CountryRatingFactory,
    MeasureFactory,
    MembershipFactory,
    PersonFactory,
    SessionFactory,
    WorkingGroupFactory,
)

ROLES = ["anonymous", "outsider", "participant", "team", "duty_officer"]


@pytest.fixture
def callers(request, anonymous):
    """role -> (user the pages would see, API client)."""
    found = {"anonymous": (AnonymousUser(), anonymous)}
    for role in ROLES[1:]:
        user = request.getfixturevalue(role)
        found[role] = (user, api_for(user))
    return found


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def alerts(participant, organisation):
    named = AlertFactory(visibility=Visibility.RESTRICTED, title="Named")
    named.allowed_organisations.add(organisation)
    return {
        "public_verified": AlertFactory(
            visibility=Visibility.PUBLIC,
            status=Alert.Status.VERIFIED,
            verified_at=dt.datetime(2026, 10, 2, tzinfo=dt.UTC),
        ),
        "public_unverified": AlertFactory(visibility=Visibility.PUBLIC),
        "members": AlertFactory(visibility=Visibility.MEMBERS),
        "restricted": AlertFactory(visibility=Visibility.RESTRICTED),
        "named": named,
    }


@pytest.mark.parametrize("role", ROLES)
def test_alert_list_is_the_pages_list(role, callers, alerts):
    user, api = callers[role]
    expected = [a.pk for a in solidarity_queries.alert_list(user)]
    assert _ids(api.get("/alerts", limit=100)) == expected
    assert expected != []


def test_who_sees_which_alert(callers, alerts):
    seen = {role: set(_ids(callers[role][1].get("/alerts"))) for role in ROLES}
    pk = {name: alert.pk for name, alert in alerts.items()}
    assert seen["anonymous"] == {pk["public_verified"]}
    assert seen["outsider"] == {pk["public_verified"]}
    assert seen["participant"] == {pk["public_verified"], pk["public_unverified"], pk["members"], pk["named"]}
    assert seen["duty_officer"] == set(pk.values())


def test_an_alert_one_may_not_see_is_404(callers, alerts):
    api = callers["participant"][1]
    assert api.get(f"/alerts/{alerts['restricted'].pk}").status_code == 404
    assert callers["anonymous"][1].get(f"/alerts/{alerts['members'].pk}").status_code == 404
    assert api.get(f"/alerts/{alerts['members'].pk}").status_code == 200


def test_confidential_details_only_for_those_who_may_read_them(callers, alerts):
    AlertUpdateFactory(alert=alerts["named"], is_public=False, text="Private note")
    AlertUpdateFactory(alert=alerts["named"], is_public=True, text="Public note")
    listed = callers["participant"][1].get("/alerts").json()["items"]
    assert all("details" not in item and "sources" not in item for item in listed)

    named = callers["participant"][1].get(f"/alerts/{alerts['named'].pk}").json()
    assert named["details_included"] is True
    assert named["details"] == "Confidential details."
    assert named["sources"] == ["https://example.org/one", "https://example.org/two"]
    assert [entry["text"] for entry in named["timeline"]] == ["Private note", "Public note"]

    other = callers["team"][1].get(f"/alerts/{alerts['named'].pk}")
    assert other.status_code == 404
    members_alert = callers["team"][1].get(f"/alerts/{alerts['members'].pk}").json()
    assert members_alert["details_included"] is False
    assert members_alert["details"] is None
    assert members_alert["sources"] is None


def test_travel_mode_hides_restricted_alerts(callers, alerts, participant):
    participant.travel_mode = True
    participant.save(update_fields=["travel_mode"])
    api = callers["participant"][1]
    assert alerts["named"].pk not in _ids(api.get("/alerts"))
    assert api.get(f"/alerts/{alerts['named'].pk}").status_code == 404
    assert api.get("/me").json()["travel_mode"] is True


# --- Writing: reporting an alert ---------------------------------------------------------------------

REPORT = {
    "title": "Office raided",
    "country": "HU",
    "occurred_on": "2026-10-01",
    "category": "raid",
    "summary": "Police searched the office.",
    "details": "Names of the staff present.",
    "sources": "https://example.org/a\nhttps://example.org/b",
}


def test_reporting_needs_a_write_token_of_a_member(participant, outsider, anonymous):
    assert anonymous.post("/alerts", REPORT).status_code == 401
    read = api_for(participant).post("/alerts", REPORT)
    assert read.status_code == 403
    assert read.json() == {"detail": "This token may only read: make a token with the write scope."}
    assert api_for(outsider, scope=ApiToken.Scope.WRITE).post("/alerts", REPORT).status_code == 403
    assert Alert.objects.count() == 0


def test_a_write_token_reports_an_alert_as_on_the_page(participant, organisation):
    response = api_for(participant, scope=ApiToken.Scope.WRITE).post("/alerts", REPORT)
    assert response.status_code == 201, response.content
    alert = Alert.objects.get()
    body = response.json()
    assert body["id"] == alert.pk
    assert body["details"] == "Names of the staff present."
    assert (alert.reporter, alert.visibility, alert.status) == (participant, Visibility.RESTRICTED, "reported")
    assert list(alert.affected_organisations.all()) == [organisation]
    assert alert.details == "Names of the staff present."


def test_bad_input_is_a_clear_422(participant):
    api = api_for(participant, scope=ApiToken.Scope.WRITE)
    response = api.post("/alerts", {**REPORT, "country": "XX", "category": "nonsense"})
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "payload", "category"]]
    response = api.post("/alerts", {**REPORT, "country": "XX"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["body"], "msg": "Unknown country code."}]
    assert api.client.post(
        "/api/v1/alerts", "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.secret}"
    ).status_code in {400, 422}
    assert Alert.objects.count() == 0


# --- Directory ------------------------------------------------------------------------------------------


def test_people_members_see_the_directory_others_the_public_profiles(callers, programme):
    shown = PersonFactory(public_profile=True)
    MembershipFactory(programme=programme, person=shown, role=Membership.Role.ALUMNI)
    PersonFactory(public_profile=False)
    for role in ROLES:
        _user, api = callers[role]
        pages = (
            community_queries.people()
            if role not in {"anonymous", "outsider"}
            else (community_queries.public_participants())
        )
        assert _ids(api.get("/people", limit=100)) == [p.pk for p in pages], role
    hidden = PersonFactory(public_profile=False)
    assert callers["anonymous"][1].get(f"/people/{hidden.slug}").status_code == 404
    assert callers["anonymous"][1].get(f"/people/{shown.slug}").json()["name"] == shown.name
    assert callers["participant"][1].get(f"/people/{hidden.slug}").status_code == 200


def test_organisations_are_for_members(callers, organisation):
    assert callers["anonymous"][1].get("/organisations").status_code == 401
    assert callers["outsider"][1].get("/organisations").status_code == 403
    assert callers["outsider"][1].get(f"/organisations/{organisation.slug}").status_code == 403
    assert _ids(callers["participant"][1].get("/organisations")) == [o.pk for o in community_queries.organisations()]
    detail = callers["participant"][1].get(f"/organisations/{organisation.slug}")
    assert detail.json()["slug"] == organisation.slug
    assert callers["participant"][1].get("/organisations/no-such-one").status_code == 404


# --- Working groups, measures, countries, programme ----------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_working_groups_are_the_pages_groups(role, callers, programme, participant):
    member = participant.person
    for level in Visibility.values:
        WorkingGroupFactory(programme=programme, visibility=level)
    WorkingGroupFactory(programme=programme, visibility=Visibility.RESTRICTED, members=[member])
    user, api = callers[role]
    assert _ids(api.get("/working-groups")) == [g.pk for g in alliance_queries.visible_groups(user)]


def test_a_public_group_names_only_public_profiles_to_visitors(anonymous, participant, programme):
    public_person = PersonFactory(public_profile=True)
    group = WorkingGroupFactory(
        programme=programme, visibility=Visibility.PUBLIC, members=[public_person, participant.person]
    )
    body = anonymous.get(f"/working-groups/{group.slug}").json()
    assert [m["slug"] for m in body["members"]] == [public_person.slug]
    assert body["hidden_member_count"] == 1
    seen_by_member = api_for(participant).get(f"/working-groups/{group.slug}").json()
    assert len(seen_by_member["members"]) == 2
    secret_group = WorkingGroupFactory(programme=programme, visibility=Visibility.RESTRICTED)
    assert api_for(participant).get(f"/working-groups/{secret_group.slug}").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_measures_are_the_monitors_measures(role, callers):
    for level in Visibility.values:
        MeasureFactory(visibility=level)
    user, api = callers[role]
    assert _ids(api.get("/measures")) == [m.pk for m in monitor_queries.measures(user)]
    assert _ids(api.get("/measures", kind="law", country="HU")) == [
        m.pk for m in monitor_queries.measures(user, kind="law", country="HU")
    ]


def test_a_hidden_measure_is_404(anonymous):
    hidden = MeasureFactory(visibility=Visibility.MEMBERS)
    assert anonymous.get(f"/measures/{hidden.pk}").status_code == 404


def test_countries_and_their_rating_history(anonymous):
    CountryRatingFactory(country="HU", rating="narrowed", rated_on=dt.date(2020, 1, 1))
    CountryRatingFactory(country="HU", rating="obstructed", rated_on=dt.date(2023, 1, 1))
    CountryRatingFactory(country="PL", rating="narrowed", rated_on=dt.date(2022, 1, 1))
    listed = anonymous.get("/countries").json()
    assert [(c["code"], c["rating"]) for c in listed["items"]] == [("HU", "obstructed"), ("PL", "narrowed")]
    detail = anonymous.get("/countries/HU").json()
    assert [r["rating"] for r in detail["history"]] == ["narrowed", "obstructed"]
    assert detail["name"] == "Hungary"
    assert anonymous.get("/countries/FR").status_code == 404
    assert anonymous.get("/countries/hu").status_code == 422


def test_programmes_camps_and_sessions_are_public(anonymous, programme):
    camp = CampFactory(programme=programme, logistics="Secret meeting point")
    session = SessionFactory(camp=camp, notes="Members only")
    speaker = PersonFactory()
    session.speakers.add(speaker)
    assert _ids(anonymous.get("/programmes")) == [programme.pk]
    camps = anonymous.get("/camps", programme=programme.slug).json()["items"]
    assert [(c["slug"], c["session_count"]) for c in camps] == [(camp.slug, 1)]
    assert "logistics" not in camps[0]
    sessions = anonymous.get("/sessions", camp=camp.slug).json()["items"]
    assert [(s["id"], s["speakers"]) for s in sessions] == [(session.pk, [speaker.name])]
    assert "notes" not in sessions[0]
    assert anonymous.get(f"/camps/{camp.slug}").json()["title"] == camp.title
    assert anonymous.get(f"/sessions/{session.pk}").json()["title"] == session.title
    assert anonymous.get(f"/programmes/{programme.slug}").json()["name"] == programme.name


def test_pagination_is_bounded(anonymous):
    for _ in range(3):
        MeasureFactory()
    page = anonymous.get("/measures", limit=2, offset=1).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    assert (page["count_exact"], page["has_more"]) == (True, False)
    assert anonymous.get("/measures", limit=101).status_code == 422
    assert anonymous.get("/measures", offset=-1).status_code == 422
    assert Api().get("/measures", kind="nonsense").status_code == 422


def test_the_count_is_exact_up_to_a_bound_and_null_above_it(anonymous, monkeypatch):
    monkeypatch.setattr("rare.api.pagination.COUNT_BOUND", 4)
    for _ in range(5):
        MeasureFactory()

    first = anonymous.get("/measures", limit=2).json()
    assert (first["count"], first["count_exact"], first["has_more"], len(first["items"])) == (None, False, True, 2)
    last = anonymous.get("/measures", limit=2, offset=4).json()
    assert (last["count"], last["count_exact"], last["has_more"], len(last["items"])) == (None, False, False, 1)
    everything = anonymous.get("/measures", limit=10).json()
    assert (everything["count"], everything["count_exact"], everything["has_more"]) == (None, False, False)

    monkeypatch.setattr("rare.api.pagination.COUNT_BOUND", 5)
    exact = anonymous.get("/measures", limit=2, offset=2).json()
    assert (exact["count"], exact["count_exact"], exact["has_more"], len(exact["items"])) == (5, True, True, 2)
    beyond = anonymous.get("/measures", limit=2, offset=9).json()
    assert (beyond["count"], beyond["count_exact"], beyond["has_more"], beyond["items"]) == (5, True, False, [])


def test_member_with_role_helper_roles(programme):
    user = member_with_role(programme, Membership.Role.EXPERT)
    assert api_for(user).get("/me").json()["member"] is True


# --- Pledges ---------------------------------------------------------------------------------------------


def test_pledges_are_for_members_who_see_the_alert(callers, organisation):
    from tests.factories import PledgeFactory

    seen_alert = AlertFactory(visibility=Visibility.MEMBERS, status=Alert.Status.VERIFIED)
    hidden_alert = AlertFactory(visibility=Visibility.RESTRICTED, status=Alert.Status.VERIFIED)
    seen = PledgeFactory(alert=seen_alert, organisation=organisation)
    hidden = PledgeFactory(alert=hidden_alert)
    assert callers["anonymous"][1].get("/pledges").status_code == 401
    assert callers["outsider"][1].get("/pledges").status_code == 403
    api = callers["participant"][1]
    assert _ids(api.get("/pledges")) == [seen.pk]
    assert _ids(api.get("/pledges", alert=hidden_alert.pk)) == []
    body = api.get(f"/pledges/{seen.pk}").json()
    assert (body["alert"], body["organisation"], body["kind"]) == (seen_alert.pk, organisation.name, "letter")
    assert "evidence" not in body
    assert api.get(f"/pledges/{hidden.pk}").status_code == 404
    assert set(_ids(callers["duty_officer"][1].get("/pledges"))) == {seen.pk, hidden.pk}


# --- Action plan and campaigns ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_actions_and_campaigns_are_the_pages_lists(role, callers, organisation):
    from rare.alliance.plan import queries as plan_queries
    from tests.factories import ActionFactory, CampaignFactory

    for level in Visibility.values:
        ActionFactory(visibility=level).owners.add(organisation)
        CampaignFactory(visibility=level).organisations.add(organisation)
    user, api = callers[role]
    assert _ids(api.get("/actions")) == [a.pk for a in plan_queries.plan_actions(user)]
    assert _ids(api.get("/campaigns")) == [c.pk for c in plan_queries.campaign_list(user)]


def test_one_action_and_campaign_by_visibility(anonymous, participant):
    from tests.factories import ActionFactory, CampaignFactory

    public = ActionFactory(visibility=Visibility.PUBLIC)
    hidden = ActionFactory(visibility=Visibility.MEMBERS)
    body = anonymous.get(f"/actions/{public.pk}").json()
    assert (body["title"], body["objective"], body["progress"]) == (public.title, public.objective.title, 0)
    assert anonymous.get(f"/actions/{hidden.pk}").status_code == 404
    assert api_for(participant).get(f"/actions/{hidden.pk}").status_code == 200
    campaign = CampaignFactory(visibility=Visibility.MEMBERS)
    assert anonymous.get(f"/campaigns/{campaign.slug}").status_code == 404
    seen = api_for(participant).get(f"/campaigns/{campaign.slug}").json()
    assert seen["asks"] == ["Adopt a strategy", "Fund civil society"]


def test_a_database_out_of_reach_is_a_json_503_with_retry_after(anonymous, monkeypatch):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("connection to server failed")

    monkeypatch.setattr(monitor_queries, "current_ratings", unreachable)
    response = anonymous.get("/countries")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {"detail": "The service is back in a moment; please try again."}
