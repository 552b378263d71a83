"""Personal data: download of everything about me, erasure that reaches history, public-profile consent."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from rare.accounts import privacy
from rare.accounts import services as account_services
from rare.community.models import Person
from rare.core.audit import record
from rare.core.models import AuditEntry
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def member(user=None, **person_fields):
    """A participant with a profile, an organisation, a programme role, a working group and a talk."""
    from rare.alliance.models import WorkingGroup

    if user is None:
        user = UserFactory(email="ilona.private@example.org", name="Ilona Vargaszentes")
    fields = {
        "name": "Ilona Vargaszentes",
        "slug": "ilona-vargaszentes",
        "organisation": OrganisationFactory(name="Budapest Watch for Rights"),
        "pronouns": "she/her",
        "role": "Head of litigation",
        "languages": "hu,en",
        "bio": "Litigator at Budapest Watch for Rights.",
        **person_fields,
    }
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = PersonFactory(user=user, **fields)
    else:  # the person made when the invitation was accepted
        Person.objects.filter(pk=person.pk).update(**fields)
        person.refresh_from_db()
    person.expertise.add(ThemeFactory(slug="rule-of-law", name="Rule of law"))
    membership = MembershipFactory(person=person)
    group = WorkingGroup.objects.create(name="Civic space group", slug="civic-space", programme=membership.programme)
    group.members.add(person)
    session = SessionFactory(title="Strategic litigation clinic")
    session.speakers.add(person)
    return user


def download(client: Client) -> dict:
    response = client.post(reverse("accounts:my_data"))
    assert response.status_code == 200
    return json.loads(response.content)


# --- Download my data -----------------------------------------------------------------------------


def test_my_data_page_explains_the_file_without_asking_for_the_password():
    client = signed_in(UserFactory())

    response = client.get(reverse("accounts:my_data"))

    assert response.status_code == 200
    assert "Download my data" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_my_data_asks_for_the_password_again_before_the_download():
    client = signed_in(UserFactory())

    response = client.post(reverse("accounts:my_data"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_my_data_is_for_signed_in_people_only():
    response = Client().get(reverse("accounts:my_data"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_download_is_a_json_attachment_that_no_cache_keeps():
    client = signed_in(member())
    reauthenticate(client)

    response = client.post(reverse("accounts:my_data"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="rare-my-data-')
    assert "no-store" in response["Cache-Control"]


def test_download_holds_everything_about_me_and_nothing_about_others():
    user = member()
    TOTP.activate(user, generate_totp_secret())
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    record("auth.login", actor=user)
    other = UserFactory(email="someone.else@example.org")
    PersonFactory(user=other, name="Somebody Else")
    client = signed_in(user)
    reauthenticate(client)

    data = download(client)

    assert data["export"]["format"] == "rare-personal-data"
    assert data["account"]["email"] == "ilona.private@example.org"
    assert data["account"]["name"] == "Ilona Vargaszentes"
    assert data["account"]["travel_mode"] is False
    assert data["account"]["email_addresses"] == [
        {"email": "ilona.private@example.org", "verified": True, "primary": True}
    ]
    assert data["person"]["name"] == "Ilona Vargaszentes"
    assert data["person"]["pronouns"] == "she/her"
    assert data["person"]["languages"] == ["hu", "en"]
    assert data["person"]["expertise"] == ["Rule of law"]
    assert data["person"]["public_profile"] is False
    assert data["organisation"]["name"] == "Budapest Watch for Rights"
    assert [m["role"] for m in data["memberships"]] == ["participant"]
    assert [g["name"] for g in data["working_groups"]] == ["Civic space group"]
    assert [s["title"] for s in data["sessions_spoken_at"]] == ["Strategic litigation clinic"]
    assert [f["type"] for f in data["second_factors"]] == ["totp"]
    assert "auth.login" in [entry["action"] for entry in data["audit_trail"]]
    text = json.dumps(data)
    assert "secret" not in text
    assert "someone.else@example.org" not in text
    assert "Somebody Else" not in text


def test_download_of_an_account_without_a_profile_says_so():
    client = signed_in(UserFactory())
    reauthenticate(client)

    data = download(client)

    assert data["person"] is None
    assert data["organisation"] is None
    assert data["memberships"] == []


def test_download_is_audited():
    user = UserFactory()
    client = signed_in(user)
    reauthenticate(client)

    download(client)

    assert AuditEntry.objects.filter(action="privacy.export", actor=user).count() == 1


def test_other_apps_add_their_sections_to_the_download():
    def pledges_of(user):
        return [{"alert": "Raid on a newsroom", "pledge": "statement"}]

    privacy.register_exporter("test_pledges", pledges_of)
    try:
        client = signed_in(UserFactory())
        reauthenticate(client)

        data = download(client)
    finally:
        privacy._exporters.pop("test_pledges")

    assert data["test_pledges"] == [{"alert": "Raid on a newsroom", "pledge": "statement"}]
    assert "test_pledges" in data["export"]["sections"]


def test_an_exporter_name_cannot_be_taken_twice():
    with pytest.raises(ValueError):
        privacy.register_exporter("account", lambda user: {})


def test_download_is_closed_in_travel_mode():
    user = UserFactory(travel_mode=True)
    client = signed_in(user)

    response = client.post(reverse("accounts:my_data"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:travel_mode")
    assert not AuditEntry.objects.filter(action="privacy.export").exists()


# --- Erasure --------------------------------------------------------------------------------------


def test_erase_asks_for_the_password_again_first():
    client = signed_in(UserFactory())

    response = client.get(reverse("accounts:erase"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_erase_page_shows_the_confirmation_phrase_after_reauthentication():
    client = signed_in(UserFactory())
    reauthenticate(client)

    response = client.get(reverse("accounts:erase"))

    assert response.status_code == 200
    assert "<strong>erase my account</strong>" in response.content.decode()


def test_erase_refuses_a_wrong_confirmation_phrase():
    user = member()
    client = signed_in(user)
    reauthenticate(client)

    response = client.post(reverse("accounts:erase"), {"confirmation": "delete me"})

    assert response.status_code == 200
    assert "That is not the confirmation phrase" in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.is_active) == ("ilona.private@example.org", True)


def test_erasure_pseudonymises_the_account_and_the_person_and_signs_out_everywhere():
    user = member(public_profile=True)
    TOTP.activate(user, generate_totp_secret())
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    record("auth.login", actor=user)
    other_browser = signed_in(user)
    client = signed_in(user)
    reauthenticate(client)

    response = client.post(reverse("accounts:erase"), {"confirmation": " Erase  my account "})

    assert response.status_code == 302
    assert response["Location"] == reverse("website:home")
    user.refresh_from_db()
    assert user.email.startswith("erased-")
    assert user.email.endswith("@invalid")
    assert user.name == "Former member"
    assert (user.is_active, user.has_usable_password(), user.is_staff) == (False, False, False)
    assert not Authenticator.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    person = Person.objects.get(memberships__role="participant")
    assert (person.name, person.user, person.public_profile) == ("Former member", None, False)
    assert (person.bio, person.pronouns, person.languages, person.role) == ("", "", "", "")
    assert person.slug.startswith("former-member-")
    assert person.organisation is None
    assert list(person.expertise.all()) == []
    # History keeps its shape: the programme role, the group and the talk stay, without the name.
    assert person.working_groups.count() == 1
    assert person.sessions_spoken.count() == 1
    # Signed out here and in the other browser.
    assert client.get(reverse("accounts:my_data")).status_code == 302
    assert other_browser.get(reverse("accounts:my_data"))["Location"].startswith(reverse("account_login"))
    # Can no longer sign in.
    login = Client().post(reverse("account_login"), {"login": "ilona.private@example.org", "password": PASSWORD})
    assert login.status_code == 200
    assert "_auth_user_id" not in login.client.session
    # The audit trail keeps the entries, now pointing at the pseudonymised account.
    assert AuditEntry.objects.filter(actor=user, action="account.erased").count() == 1
    assert AuditEntry.objects.filter(actor=user, action="auth.login").count() >= 1


def text_columns_holding(needle: str) -> list[str]:
    """Every table.column in the database whose text contains `needle` (case-insensitive)."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                # Names come from the database catalogue, quoted; the needle is a parameter.
                sql = f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s"  # noqa: S608
                cursor.execute(sql, [f"%{needle.lower()}%"])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def test_after_erasure_no_column_of_any_table_holds_the_email_or_the_name():
    team = UserFactory(is_staff=True, is_superuser=True)
    _, token = account_services.create_invitation(
        invited_by=team, email="ilona.private@example.org", name="Ilona Vargaszentes"
    )
    accepted = account_services.accept_invitation(token=token, name="Ilona Vargaszentes", password=PASSWORD)
    user = member(public_profile=True, user=accepted)
    # Sign in through the real form (the platform records sign-ins and devices), fail once too.
    Client().post(reverse("account_login"), {"login": user.email, "password": "not-the-password-at-all"})
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    TOTP.activate(user, generate_totp_secret())
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"primary": True})
    person = Person.objects.get(user=user)
    # The admin's change log names what it changed.
    for obj in (user, person):
        LogEntry.objects.log_actions(
            user_id=team.pk, queryset=[obj], action_flag=CHANGE, change_message="Changed name.", single_object=True
        )
    record("profile.consent_changed", actor=user, target=person, public=True)
    assert text_columns_holding("ilona.private@example.org")
    assert text_columns_holding("Vargaszentes")
    reauthenticate(client)

    client.post(reverse("accounts:erase"), {"confirmation": "erase my account"})

    assert text_columns_holding("ilona.private@example.org") == []
    assert text_columns_holding("Vargaszentes") == []
    assert text_columns_holding("Ilona") == []


def test_other_apps_erase_their_data_with_the_account():
    seen = []

    def forget_pledges(user):
        seen.append((user.email, user.person.name))

    privacy.register_eraser("test_pledges", forget_pledges)
    try:
        privacy.erase_account(user=member())
    finally:
        privacy._erasers.pop("test_pledges")

    assert seen == [("ilona.private@example.org", "Ilona Vargaszentes")]


def test_erasure_is_audited_under_the_pseudonym_only():
    user = member()

    erased = privacy.erase_account(user=user)

    entry = AuditEntry.objects.get(action="account.erased")
    assert entry.actor_id == erased.pk
    assert "Ilona" not in json.dumps([entry.actor_label, entry.target_repr, entry.details])


def test_erase_is_closed_in_travel_mode():
    user = UserFactory(travel_mode=True)
    client = signed_in(user)

    response = client.post(reverse("accounts:erase"), {"confirmation": "erase my account"})

    assert response["Location"] == reverse("accounts:travel_mode")
    user.refresh_from_db()
    assert user.is_active is True


# --- Public profile consent -----------------------------------------------------------------------


def test_profile_is_made_public_only_with_explicit_consent():
    user = member()
    client = signed_in(user)

    response = client.post(reverse("accounts:profile_visibility"), {"public": "on"})

    assert response.status_code == 200
    assert Person.objects.get(user=user).public_profile is False
    assert not AuditEntry.objects.filter(action="profile.consent_changed").exists()


def test_profile_consent_switch_on_and_off_is_audited():
    user = member()
    client = signed_in(user)

    on = client.post(reverse("accounts:profile_visibility"), {"public": "on", "consent": "on"})
    shown = Person.objects.get(user=user).public_profile
    off = client.post(reverse("accounts:profile_visibility"), {"public": "off"})

    assert (on.status_code, off.status_code) == (302, 302)
    assert shown is True
    assert Person.objects.get(user=user).public_profile is False
    entries = AuditEntry.objects.filter(action="profile.consent_changed", actor=user).order_by("id")
    assert [entry.details["public"] for entry in entries] == [True, False]


def test_profile_page_explains_what_becomes_public():
    client = signed_in(member())

    page = client.get(reverse("accounts:profile_visibility")).content.decode()

    assert "Your profile is not shown on the public website." in page
    assert "your organisation, your role there and your country" in page
    assert "Show my profile publicly" in page


def test_profile_page_of_an_account_without_a_person():
    client = signed_in(UserFactory())

    response = client.post(reverse("accounts:profile_visibility"), {"public": "on", "consent": "on"})

    assert response.status_code == 200
    assert "not linked to a profile" in response.content.decode()


def test_consent_service_changes_only_the_own_person():
    user = member()
    other = PersonFactory(user=UserFactory(), public_profile=False)

    privacy.set_public_profile(user=user, public=True)

    assert Person.objects.get(user=user).public_profile is True
    other.refresh_from_db()
    assert other.public_profile is False


def test_public_participant_list_shows_a_person_only_while_they_consent():
    user = member()
    client = signed_in(user)
    visitor = Client()
    participants = reverse("community:participants")

    hidden_before = "Ilona Vargaszentes" not in visitor.get(participants).content.decode()
    client.post(reverse("accounts:profile_visibility"), {"public": "on", "consent": "on"})
    shown = "Ilona Vargaszentes" in visitor.get(participants).content.decode()
    client.post(reverse("accounts:profile_visibility"), {"public": "off"})
    hidden_after = "Ilona Vargaszentes" not in visitor.get(participants).content.decode()

    assert (hidden_before, shown, hidden_after) == (True, True, True)


def test_an_erased_person_leaves_the_public_participant_list():
    user = member(public_profile=True)
    participants = reverse("community:participants")
    listed = "Ilona Vargaszentes" in Client().get(participants).content.decode()

    privacy.erase_account(user=user)
    page = Client().get(participants).content.decode()

    assert listed is True
    assert "Ilona Vargaszentes" not in page
    assert "Former member" not in page


def test_a_pending_invitation_to_an_erased_person_stops_working():
    from rare.accounts.services import InvitationError

    team = UserFactory(is_staff=True)
    user = member()
    person = Person.objects.get(user=user)
    invitation, token = account_services.create_invitation(
        invited_by=team, email="other.address@example.org", person=person
    )

    privacy.erase_account(user=user)

    invitation.refresh_from_db()
    assert invitation.email.endswith("@invalid")
    with pytest.raises(InvitationError):
        account_services.accept_invitation(token=token, name="Someone", password=PASSWORD)
