import pytest
from django.urls import reverse

from rare.programme.models import Membership
from tests.factories import (
    CampFactory,
    ContactFactory,
    MembershipFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)

MODELS = [
    "community_organisation",
    "community_person",
    "community_theme",
    "community_institution",
    "community_contact",
    "programme_programme",
    "programme_membership",
    "programme_camp",
    "programme_session",
]


def staff_with_role(role: str | None):
    user = UserFactory(is_staff=True)
    person = PersonFactory(user=user)
    if role:
        MembershipFactory(person=person, role=role)
    return user


@pytest.fixture
def team_client(client, db):
    client.force_login(staff_with_role(Membership.Role.TEAM))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_programme_team_opens_every_list_and_add_form(team_client, model):
    SessionFactory().speakers.add(PersonFactory())

    assert team_client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert team_client.get(reverse(f"admin:{model}_add")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["website_page", "website_pageversion", "website_testimonial", "alliance_workinggroup"]
)
def test_programme_team_without_superuser_rights_reaches_the_other_apps_admin(team_client, model):
    assert team_client.get(reverse(f"admin:{model}_changelist")).status_code == 200


@pytest.mark.django_db
def test_camp_page_in_the_admin_shows_its_sessions(team_client):
    camp = CampFactory(title="Advocacy in Brussels")
    SessionFactory(camp=camp, title="Meeting MEPs")

    response = team_client.get(reverse("admin:programme_camp_change", args=[camp.pk]))

    assert response.status_code == 200
    assert "Meeting MEPs" in response.content.decode()


@pytest.mark.django_db
def test_admin_search_finds_people_by_organisation(team_client):
    PersonFactory(name="Marta Example", organisation__name="Vistula Legal Action Centre")
    PersonFactory(name="Someone Else")

    body = team_client.get(reverse("admin:community_person_changelist"), {"q": "vistula"}).content.decode()

    assert "Marta Example" in body
    assert "Someone Else" not in body


@pytest.mark.django_db
def test_speakers_are_chosen_through_autocomplete(team_client):
    # A name no generated person carries (the signed-in team member's name is random).
    PersonFactory(name="Qzarwen Trainer")
    PersonFactory(name="Nadia Trainer")

    response = team_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "programme", "model_name": "session", "field_name": "speakers", "term": "qzarwen"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Qzarwen Trainer"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Membership.Role.PARTICIPANT, Membership.Role.EXPERT])
def test_staff_without_a_team_role_manages_nothing(client, role):
    client.force_login(staff_with_role(role))

    assert client.get(reverse("admin:community_person_changelist")).status_code == 403
    assert client.get(reverse("admin:programme_camp_changelist")).status_code == 403


@pytest.mark.django_db
def test_institution_page_in_the_admin_edits_its_contacts_inline(team_client):
    contact = ContactFactory(name="Invented Adviser", institution__name="Committee on Legal Affairs")

    response = team_client.get(reverse("admin:community_institution_change", args=[contact.institution.pk]))

    assert response.status_code == 200
    assert 'value="Invented Adviser"' in response.content.decode()


@pytest.mark.django_db
def test_staff_without_a_team_role_cannot_open_institutions(client):
    client.force_login(staff_with_role(Membership.Role.PARTICIPANT))

    assert client.get(reverse("admin:community_institution_changelist")).status_code == 403
