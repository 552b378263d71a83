"""Campaigns and the engagement log: pages, services, rules, per-target history and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rare.alliance.plan import services
from rare.alliance.plan.models import Campaign, Engagement
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    CampaignFactory,
    CampaignOutputFactory,
    ContactFactory,
    EngagementFactory,
    FollowUpFactory,
    InstitutionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role


def _member(role=Role.PARTICIPANT, organisation=None):
    person = PersonFactory(user=UserFactory(), organisation=organisation or OrganisationFactory())
    MembershipFactory(person=person, role=role)
    return person.user


def _cards(response) -> list[str]:
    return re.findall(r'class="card__title">\s*<a href="[^"]+">([^<]+)</a>', response.content.decode())


# --- Campaigns ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_campaign_page_shows_goal_asks_targets_and_a_timeline(client):
    libe = InstitutionFactory(name="Civil Liberties Committee", acronym="LIBE", slug="libe")
    campaign = CampaignFactory(slug="eu-strategy", title="An EU strategy for civil society")
    campaign.target_institutions.add(libe)
    campaign.target_contacts.add(ContactFactory(name="Rapporteur Rita", institution=libe))
    CampaignOutputFactory(campaign=campaign, title="Joint brief", published_on=dt.date(2026, 2, 1))
    EngagementFactory(campaign=campaign, title="Meeting the rapporteur", date=dt.date(2026, 3, 1), institution=libe)
    EngagementFactory(campaign=campaign, title="Hidden meeting", visibility=Visibility.RESTRICTED)
    client.force_login(_member())

    body = client.get("/groups/campaigns/eu-strategy/").content.decode()

    for text in ("Adopt a strategy", "Fund civil society", "Civil Liberties Committee (LIBE)", "Rapporteur Rita"):
        assert text in body
    assert body.index("Meeting the rapporteur") < body.index("Joint brief")  # newest first
    assert "Hidden meeting" not in body


@pytest.mark.django_db
def test_campaign_list_filters_and_hides_what_one_may_not_see(client):
    group = WorkingGroupFactory()
    CampaignFactory(title="Active one", working_group=group)
    CampaignFactory(title="Planned one", status=Campaign.Status.PLANNED)
    CampaignFactory(title="Restricted one", visibility=Visibility.RESTRICTED)
    client.force_login(_member())

    assert sorted(_cards(client.get("/groups/campaigns/"))) == ["Active one", "Planned one"]
    assert _cards(client.get("/groups/campaigns/?status=planned")) == ["Planned one"]
    assert _cards(client.get(f"/groups/campaigns/?group={group.pk}")) == ["Active one"]
    assert client.get("/groups/campaigns/campaign-x/").status_code == 404


@pytest.mark.django_db
def test_campaign_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    def make(count):
        for campaign in CampaignFactory.create_batch(count, organisations=OrganisationFactory.create_batch(2)):
            campaign.target_institutions.add(InstitutionFactory())
            CampaignOutputFactory(campaign=campaign)

    make(3)
    client.force_login(_member())
    with django_assert_max_num_queries(20) as few:
        assert len(_cards(client.get("/groups/campaigns/"))) == 3
    make(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_cards(client.get("/groups/campaigns/"))) == 20


@pytest.mark.django_db
def test_team_creates_a_campaign_and_a_participant_adds_an_output(client):
    organisation = OrganisationFactory()
    client.force_login(_member(Role.TEAM))
    response = client.post(
        "/groups/campaigns/new/",
        {
            "title": "Protect civic space",
            "slug": "protect-civic-space",
            "goal": "Stop foreign-agent laws.",
            "asks": "Withdraw the bill",
            "status": "active",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "organisations": [organisation.pk],
            "visibility": "members",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="protect-civic-space")
    assert AuditEntry.objects.filter(action="campaign.created").count() == 1

    client.force_login(_member(organisation=organisation))
    response = client.post(
        "/groups/campaigns/protect-civic-space/outputs/new/",
        {"kind": "letter", "title": "Open letter", "published_on": "2026-02-02", "url": "https://example.org/l"},
    )
    assert response.status_code == 302
    assert [o.title for o in campaign.outputs.all()] == ["Open letter"]
    assert client.get("/groups/campaigns/protect-civic-space/edit/").status_code == 404


@pytest.mark.django_db
def test_an_output_file_is_checked_stored_encrypted_and_served_as_an_attachment(client, settings):
    organisation = OrganisationFactory()
    campaign = CampaignFactory(slug="files", organisations=[organisation])
    client.force_login(_member(organisation=organisation))

    refused = client.post(
        "/groups/campaigns/files/outputs/new/",
        {
            "kind": "brief",
            "title": "Fake",
            "published_on": "2026-02-02",
            "file": SimpleUploadedFile("brief.pdf", b"not a pdf"),
        },
    )
    assert refused.status_code == 200
    assert campaign.outputs.count() == 0

    client.post(
        "/groups/campaigns/files/outputs/new/",
        {
            "kind": "brief",
            "title": "Brief",
            "published_on": "2026-02-02",
            "file": SimpleUploadedFile("brief.pdf", b"%PDF-1.4 a brief"),
        },
    )
    output = campaign.outputs.get()
    with open(output.file.path, "rb") as stored:
        assert b"a brief" not in stored.read()
    download = client.get(f"/groups/campaigns/files/outputs/{output.pk}/file/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 a brief"


def test_campaign_dates_must_be_in_order():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services._check_dates(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


# --- Engagement log -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_logs_an_engagement_with_follow_ups(client):
    libe = InstitutionFactory(name="LIBE")
    user = _member()
    client.force_login(user)

    response = client.post(
        "/groups/engagements/new/",
        {
            "kind": "meeting",
            "title": "Meeting with LIBE secretariat",
            "date": "2026-03-10",
            "institution": libe.pk,
            "ask": "A hearing on civic space",
            "outcome": "Will table it",
            "visibility": "members",
        },
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert engagement.created_by == user

    client.post(f"/groups/engagements/{engagement.pk}/follow-ups/", {"what": "Send the brief", "due": "2026-04-01"})
    follow_up = engagement.follow_ups.get()
    client.post(f"/groups/engagements/{engagement.pk}/follow-ups/{follow_up.pk}/", {"done": "1"})
    follow_up.refresh_from_db()
    assert follow_up.done is True
    assert list(
        AuditEntry.objects.filter(action__startswith="engagement.").order_by("pk").values_list("action", flat=True)
    ) == ["engagement.logged", "engagement.follow_up_added", "engagement.follow_up_done"]


@pytest.mark.django_db
def test_only_those_involved_and_the_team_change_an_engagement(client):
    engagement = EngagementFactory()
    client.force_login(_member())

    assert client.get(f"/groups/engagements/{engagement.pk}/").status_code == 200
    assert client.get(f"/groups/engagements/{engagement.pk}/edit/").status_code == 404
    assert client.post(f"/groups/engagements/{engagement.pk}/follow-ups/", {"what": "x"}).status_code == 404

    organisation = OrganisationFactory()
    engagement.organisations.add(organisation)
    client.force_login(_member(organisation=organisation))
    assert client.get(f"/groups/engagements/{engagement.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_a_restricted_engagement_names_its_author():
    user = _member()
    engagement = services.log_engagement(
        actor=user, kind="letter", title="Letter", date=dt.date(2026, 1, 1), visibility=Visibility.RESTRICTED
    )

    assert list(Engagement.objects.visible_to(user)) == [engagement]
    assert list(Engagement.objects.visible_to(_member())) == []


@pytest.mark.django_db
def test_engagement_list_filters(client):
    libe = InstitutionFactory(name="LIBE")
    campaign = CampaignFactory()
    EngagementFactory(title="Letter to LIBE", kind="letter", institution=libe)
    EngagementFactory(title="Hearing", kind="hearing", campaign=campaign)
    client.force_login(_member())

    assert _cards(client.get("/groups/engagements/?kind=letter")) == ["Letter to LIBE"]
    assert _cards(client.get(f"/groups/engagements/?institution={libe.pk}")) == ["Letter to LIBE"]
    assert _cards(client.get(f"/groups/engagements/?campaign={campaign.pk}")) == ["Hearing"]


@pytest.mark.django_db
def test_engagement_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    def make(count):
        for engagement in EngagementFactory.create_batch(count, campaign=CampaignFactory()):
            engagement.organisations.add(OrganisationFactory())
            FollowUpFactory(engagement=engagement)

    make(3)
    client.force_login(_member())
    with django_assert_max_num_queries(20) as few:
        assert len(_cards(client.get("/groups/engagements/"))) == 3
    make(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_cards(client.get("/groups/engagements/"))) == 25


@pytest.mark.django_db
def test_per_target_history_answers_what_we_asked_and_what_it_answered(client):
    parliament = InstitutionFactory(name="European Parliament", slug="ep")
    libe = InstitutionFactory(name="LIBE committee", slug="libe", parent=parliament)
    other = InstitutionFactory(name="Commission")
    campaign = CampaignFactory(title="Strategy campaign")
    campaign.target_institutions.add(libe)
    EngagementFactory(institution=libe, title="Hearing request", ask="Hold a hearing", outcome="Hearing in May")
    via_contact = EngagementFactory(institution=other, title="Call with an MEP assistant")
    via_contact.contacts.add(ContactFactory(institution=libe))
    EngagementFactory(institution=other, title="Unrelated")
    EngagementFactory(institution=libe, title="Secret one", visibility=Visibility.RESTRICTED)
    client.force_login(_member())

    response = client.get("/groups/engagements/institutions/libe/")
    body = response.content.decode()

    assert sorted(_cards(response)) == ["Call with an MEP assistant", "Hearing request"]
    assert "Hold a hearing" in body and "Hearing in May" in body
    assert "Strategy campaign" in body
    # The parent institution's history includes its committee.
    assert sorted(_cards(client.get("/groups/engagements/institutions/ep/"))) == ["Hearing request"]
    # The institution page of the directory links to it.
    assert "/groups/engagements/institutions/libe/" in client.get("/directory/institutions/libe/").content.decode()


@pytest.mark.django_db
def test_per_target_history_is_for_members(client):
    InstitutionFactory(slug="libe")

    assert client.get("/groups/engagements/institutions/libe/").status_code == 302
