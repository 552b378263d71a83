import datetime as dt

import pytest
from django.utils import timezone

from rare.alliance.models import WorkingGroup
from rare.programme.models import Membership
from tests.factories import CampFactory, MembershipFactory, OrganisationFactory, PersonFactory, ProgrammeFactory
from tests.website.helpers import TestimonialFactory, make_news, member


def participant(programme, name: str, *, public: bool = True, role: str = Membership.Role.PARTICIPANT, **person):
    someone = PersonFactory(name=name, public_profile=public, **person)
    MembershipFactory(programme=programme, person=someone, role=role)
    return someone


def when(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2022, 3, day, 12, 0))


@pytest.mark.django_db
def test_home_shows_the_current_programmes_camps(client):
    programme = ProgrammeFactory(name="RARE cohort 1")
    CampFactory(programme=programme, number=1, title="Online kick-off", format="online")
    CampFactory(programme=ProgrammeFactory(status="completed"), title="Camp of an old cohort")

    body = client.get("/").content.decode()

    assert "Camps of RARE cohort 1" in body
    assert "Camp 1: Online kick-off" in body
    assert "Camp of an old cohort" not in body


@pytest.mark.django_db
def test_home_lists_only_participants_who_agreed_to_a_public_profile(client):
    programme = ProgrammeFactory()
    organisation = OrganisationFactory(name="Rights Watch Vienna", country="AT")
    participant(programme, "Ada Shown", organisation=organisation, country="AT")
    participant(programme, "Alma Alumna", role=Membership.Role.ALUMNI, country="HU")
    participant(programme, "Hidden Person", public=False)
    participant(programme, "Tess Team", role=Membership.Role.TEAM)
    participant(ProgrammeFactory(status="completed"), "Other Cohort")

    body = client.get("/").content.decode()

    assert "Ada Shown" in body
    assert "Rights Watch Vienna" in body
    assert "Austria" in body
    assert "Alma Alumna" in body
    assert "Hidden Person" not in body
    assert "Tess Team" not in body
    assert "Other Cohort" not in body


@pytest.mark.django_db
def test_a_participant_with_two_roles_is_listed_once(client):
    programme = ProgrammeFactory()
    someone = participant(programme, "Ada Twice")
    MembershipFactory(programme=programme, person=someone, role=Membership.Role.ALUMNI)

    assert client.get("/").content.decode().count("Ada Twice") == 1


@pytest.mark.django_db
def test_home_shows_the_public_output_of_the_programmes_working_groups(client):
    programme = ProgrammeFactory()
    WorkingGroup.objects.create(
        visibility="public",
        programme=programme,
        name="Rule of law",
        slug="rule-of-law",
        public_output="# Output\n\nA **joint brief** <script>x</script>",
    )
    WorkingGroup.objects.create(
        visibility="public", programme=programme, name="Quiet group", slug="quiet", public_output=""
    )
    WorkingGroup.objects.create(
        visibility="public",
        programme=ProgrammeFactory(status="completed"),
        name="Old group",
        slug="old",
        public_output="Old output",
    )

    body = client.get("/").content.decode()

    assert "Rule of law" in body
    assert "<h4>Output</h4>\n<p>A <strong>joint brief</strong> </p>" in body
    assert "Quiet group" not in body
    assert "Old group" not in body


@pytest.mark.django_db
def test_a_visitor_sees_only_public_working_groups_and_a_member_also_those_for_members(client):
    programme = ProgrammeFactory()
    WorkingGroup.objects.create(
        visibility="public", programme=programme, name="Open group", slug="open", public_output="Open brief"
    )
    WorkingGroup.objects.create(
        visibility="members", programme=programme, name="Members group", slug="members", public_output="Members brief"
    )

    as_visitor = client.get("/").content.decode()
    client.force_login(member(Membership.Role.PARTICIPANT, "Pat Participant"))
    as_member = client.get("/").content.decode()

    assert ("Open brief" in as_visitor, "Members brief" in as_visitor) == (True, False)
    assert ("Open brief" in as_member, "Members brief" in as_member) == (True, True)


@pytest.mark.django_db
def test_home_shows_the_latest_three_news_posts_newest_first(client):
    ProgrammeFactory()
    for day in range(1, 6):
        make_news(f"post-{day}", when(day), title=f"News of day {day}")

    body = client.get("/").content.decode()

    assert body.index("News of day 5") < body.index("News of day 4") < body.index("News of day 3")
    assert "News of day 2" not in body


@pytest.mark.django_db
def test_home_shows_published_testimonials_for_the_home_page(client):
    ProgrammeFactory()
    TestimonialFactory(name="Ana Example", quote="We answer together.")
    TestimonialFactory(name="Not Published", is_published=False)
    TestimonialFactory(name="Only On A Page", on_home_page=False)

    body = client.get("/").content.decode()

    assert "Ana Example" in body
    assert "We answer together." in body
    assert "Not Published" not in body
    assert "Only On A Page" not in body


@pytest.mark.django_db
def test_home_works_before_any_programme_exists(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "No news yet." in response.content.decode()


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_camps_participants_news_and_testimonials(
    client, django_assert_max_num_queries
):
    programme = ProgrammeFactory()

    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            CampFactory(programme=programme)
            participant(programme, f"Participant {i}", organisation=OrganisationFactory())
            make_news(f"news-{i}", when(1 + i % 28))
            TestimonialFactory()
            WorkingGroup.objects.create(
                visibility="public", programme=programme, name=f"Group {i}", slug=f"g-{i}", public_output="Out"
            )

    add(2, 0)
    with django_assert_max_num_queries(12) as few:
        client.get("/")
    add(25, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")

    body = response.content.decode()
    assert body.count('class="card"') == 27
    assert body.count('class="people__name"') == 27
    assert body.count("data-video-play") == 27
    assert body.count('class="group-output"') == 27
