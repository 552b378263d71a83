import pytest
from django.urls import reverse

from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    UserFactory,
)


@pytest.fixture
def member(db):
    """A signed-in participant of a programme."""
    person = PersonFactory(name="Signed-in Member", user=UserFactory())
    MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)
    return person


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def names_on(response, marker='class="card"') -> int:
    return response.content.decode().count(marker)


MEMBERS_ONLY = [
    "/directory/people/",
    "/directory/organisations/",
    "/directory/people/{person}/",
    "/directory/organisations/{organisation}/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", MEMBERS_ONLY)
def test_visitors_are_sent_to_sign_in_from_members_pages(client, url):
    person = PersonFactory(slug="ada-example", organisation=OrganisationFactory(slug="some-ngo"))
    path = url.format(person=person.slug, organisation=person.organisation.slug)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


@pytest.mark.django_db
def test_visitors_cannot_tell_whether_a_person_exists(client):
    PersonFactory(slug="ada-example")

    assert client.get("/directory/people/ada-example/").status_code == 302
    assert client.get("/directory/people/nobody-here/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/directory/people/", "/directory/organisations/"])
def test_signed_in_account_without_a_role_is_refused_with_a_404_and_audited(client, url):
    user = UserFactory()
    client.force_login(user)

    assert client.get(url).status_code == 404
    denial = AuditEntry.objects.get(action="permission.denied")
    assert (denial.actor_id, denial.outcome) == (user.pk, "denied")


@pytest.mark.django_db
def test_directory_sends_members_to_people_and_visitors_to_participants(client, member):
    assert client.get("/directory/").url == "/directory/participants/"
    client.force_login(member.user)
    assert client.get("/directory/").url == "/directory/people/"


@pytest.mark.django_db
def test_public_participants_shows_only_participants_who_consented(client):
    shown = PersonFactory(name="Consenting Participant", public_profile=True, bio="Works on press freedom.")
    MembershipFactory(person=shown, role=Membership.Role.PARTICIPANT)
    alumna = PersonFactory(name="Consenting Alumna", public_profile=True)
    MembershipFactory(person=alumna, role=Membership.Role.ALUMNI)
    hidden = PersonFactory(name="Private Participant", public_profile=False)
    MembershipFactory(person=hidden, role=Membership.Role.PARTICIPANT)
    PersonFactory(name="Consenting Stranger", public_profile=True)
    expert = PersonFactory(name="Consenting Expert", public_profile=True)
    MembershipFactory(person=expert, role=Membership.Role.EXPERT)

    response = client.get("/directory/participants/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Consenting Participant" in body
    assert "Works on press freedom." in body
    assert "Consenting Alumna" in body
    assert "Private Participant" not in body
    assert "Consenting Stranger" not in body
    assert "Consenting Expert" not in body
    assert "/directory/people/" not in body


@pytest.mark.django_db
def test_people_search_by_name(member_client):
    PersonFactory(name="Zsófia Kelemen")
    PersonFactory(name="Tomasz Olech")

    body = member_client.get("/directory/people/", {"q": "kelemen"}).content.decode()

    assert "Zsófia Kelemen" in body
    assert "Tomasz Olech" not in body


@pytest.mark.django_db
def test_people_filter_by_country(member_client):
    PersonFactory(name="Person in Poland", country="PL")
    PersonFactory(name="Person in Greece", country="GR")

    body = member_client.get("/directory/people/", {"country": "PL"}).content.decode()

    assert "Person in Poland" in body
    assert "Person in Greece" not in body
    assert '<option value="GR">Greece</option>' in body
    assert '<option value="PL" selected>Poland</option>' in body


@pytest.mark.django_db
def test_an_unknown_country_filter_shows_everybody(member_client):
    PersonFactory(name="Person in Poland", country="PL")

    body = member_client.get("/directory/people/", {"country": "XX"}).content.decode()

    assert "Person in Poland" in body


@pytest.mark.django_db
def test_people_are_paginated_by_25_and_keep_the_search(member_client):
    for n in range(30):
        PersonFactory(name=f"Advocate {n:02}")

    first = member_client.get("/directory/people/", {"q": "advocate"})
    second = member_client.get("/directory/people/", {"q": "advocate", "page": 2})

    assert names_on(first) == 25
    assert names_on(second) == 5
    assert "30 people" in first.content.decode()
    assert 'href="?q=advocate&amp;page=2"' in first.content.decode()
    assert "Advocate 29" in second.content.decode()


@pytest.mark.django_db
def test_organisations_search_filter_and_count_people(member_client):
    kept = OrganisationFactory(name="Baltic Rights Watch", country="LT")
    PersonFactory.create_batch(2, organisation=kept)
    OrganisationFactory(name="Baltic Press Centre", country="LV")
    OrganisationFactory(name="Adriatic Bureau", country="LT")

    body = member_client.get("/directory/organisations/", {"q": "baltic", "country": "LT"}).content.decode()

    assert "Baltic Rights Watch" in body
    assert "2 people in the network" in body
    assert "Baltic Press Centre" not in body
    assert "Adriatic Bureau" not in body


@pytest.mark.django_db
def test_person_profile_shows_work_expertise_groups_and_sessions(member_client):
    from rare.alliance.models import WorkingGroup
    from tests.factories import SessionFactory

    person = PersonFactory(
        name="Iva Example", slug="iva-example", role="Advocacy coordinator", languages="hr,en", bio="Border monitor."
    )
    person.expertise.add(ThemeFactory(name="Migration and asylum"))
    public = WorkingGroup.objects.create(name="Civic space group", slug="civic-space", visibility=Visibility.PUBLIC)
    secret = WorkingGroup.objects.create(name="Hidden group", slug="hidden", visibility=Visibility.RESTRICTED)
    public.members.add(person)
    secret.members.add(person)
    SessionFactory(title="Meeting MEPs", camp__title="Advocacy in Brussels", camp__number=7).speakers.add(person)

    body = member_client.get("/directory/people/iva-example/").content.decode()

    assert "Advocacy coordinator" in body
    assert person.organisation.name in body
    assert "Croatian, English" in body
    assert "Migration and asylum" in body
    assert "Border monitor." in body
    assert "Civic space group" in body
    assert "Hidden group" not in body
    assert "Meeting MEPs" in body
    assert "Camp 7: Advocacy in Brussels" in body


@pytest.mark.django_db
def test_organisation_profile_lists_its_people(member_client):
    organisation = OrganisationFactory(name="Polder Rights Clinic", slug="polder", description="Litigates.")
    PersonFactory(name="Femke Example", organisation=organisation, role="Head of litigation")

    body = member_client.get("/directory/organisations/polder/").content.decode()

    assert "Polder Rights Clinic" in body
    assert "Litigates." in body
    assert "Femke Example" in body
    assert "Head of litigation" in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/directory/people/nobody/", "/directory/organisations/nothing/"])
def test_unknown_profiles_are_404_for_members(member_client, url):
    assert member_client.get(url).status_code == 404


def _people_with_everything(n: int) -> None:
    theme = ThemeFactory()
    for _ in range(n):
        person = PersonFactory(public_profile=True)
        person.expertise.add(theme)
        MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/directory/people/", "/directory/organisations/", "/directory/participants/"])
def test_directory_query_count_does_not_grow_with_rows(member_client, django_assert_max_num_queries, url):
    _people_with_everything(3)
    with django_assert_max_num_queries(20) as few:
        member_client.get(url)
    _people_with_everything(22)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(url)

    assert response.status_code == 200
    assert names_on(response) == 25


@pytest.mark.django_db
def test_public_participants_query_count_does_not_grow_for_visitors(client, django_assert_max_num_queries):
    _people_with_everything(3)
    with django_assert_max_num_queries(10) as few:
        client.get("/directory/participants/")
    _people_with_everything(30)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/directory/participants/")

    assert names_on(response) == 25


@pytest.mark.django_db
def test_nav_offers_participants_to_visitors_and_the_directory_to_members(client, member):
    assert 'href="/directory/participants/"' in client.get("/camps/").content.decode()
    client.force_login(member.user)
    assert f'href="{reverse("community:index")}"' in client.get("/camps/").content.decode()
