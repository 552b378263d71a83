import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rare.accounts import services
from rare.accounts.models import Invitation, User
from rare.core.models import AuditEntry
from rare.programme.models import Membership
from tests.factories import MembershipFactory, PersonFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-quietly-47"


def team_user():
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user), role=Membership.Role.TEAM)
    return user


def link_from_mail(message) -> str:
    return re.search(r"http://\S+/account/invite/(\S+)/", message.body).group(0)


def test_team_invites_someone_and_the_email_holds_a_single_use_link(
    client, tasks_run_now, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory()
    client.force_login(team_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitations"),
            {"email": "New.Member@Example.org", "name": "Ada Novak", "programme": programme.pk, "role": "participant"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.programme, invitation.role) == (
        "new.member@example.org",
        programme,
        "participant",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.member@example.org"]
    link = link_from_mail(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    # Only the hash of the token is stored, and it is nowhere in the row.
    assert invitation.token_hash != token
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert AuditEntry.objects.filter(action="invitation.created").count() == 1


def test_the_invitation_email_is_sent_by_a_background_task(client, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    client.force_login(team_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitations"), {"email": "later@example.org"})
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "rare.accounts.tasks.send_invitation_email"
    # The queued arguments hold the token only encrypted.
    invitation = Invitation.objects.get()
    assert "sealed_token" in queued.args_kwargs["kwargs"]
    assert invitation.token_hash not in str(queued.args_kwargs)


def test_invitations_page_is_for_the_programme_team_only(client):
    assert client.get(reverse("accounts:invitations")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:invitations")).status_code == 404
    member = UserFactory()
    MembershipFactory(person=PersonFactory(user=member), role=Membership.Role.PARTICIPANT)
    client.force_login(member)
    assert client.get(reverse("accounts:invitations")).status_code == 404
    assert client.post(reverse("accounts:invitations"), {"email": "x@example.org"}).status_code == 404
    assert Invitation.objects.count() == 0
    client.force_login(team_user())
    assert client.get(reverse("accounts:invitations")).status_code == 200


def test_an_address_that_already_has_an_account_cannot_be_invited(client):
    existing = UserFactory()
    client.force_login(team_user())
    response = client.post(reverse("accounts:invitations"), {"email": existing.email.upper()})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Someone with this address already has an account."]


def test_invitations_list_query_count_does_not_grow(client):
    inviter = team_user()
    client.force_login(inviter)
    programme = ProgrammeFactory()

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:invitations")).status_code == 200
        return len(ctx.captured_queries)

    services.create_invitation(invited_by=inviter, email="one@example.org", programme=programme, role="participant")
    few = count_queries()
    for n in range(15):
        services.create_invitation(
            invited_by=inviter, email=f"p{n}@example.org", person=PersonFactory(), programme=programme, role="expert"
        )
    assert count_queries() == few


def test_accepting_an_invitation_creates_the_account_and_signs_in(client):
    programme = ProgrammeFactory()
    invitation, token = services.create_invitation(
        invited_by=team_user(), email="ada@example.org", name="Ada", programme=programme, role="participant"
    )
    url = reverse("accounts:accept_invitation", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["name"] == "Ada"
    response = client.post(url, {"name": "Ada Novak", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:security")
    user = User.objects.get(email="ada@example.org")
    assert user.check_password(GOOD_PASSWORD)
    assert user.name == "Ada Novak"
    assert user.person.name == "Ada Novak"
    assert list(Membership.objects.filter(person=user.person).values_list("programme", "role")) == [
        (programme.pk, "participant")
    ]
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")) == [
        ("ada@example.org", True, True)
    ]
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert invitation.user == user
    # Signed in straight away.
    assert client.get(reverse("accounts:security")).context["user"] == user
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=user).count() == 1


def test_accepting_links_an_existing_person_without_an_account(client):
    person = PersonFactory(name="Existing Person")
    _, token = services.create_invitation(invited_by=team_user(), email="ex@example.org", person=person)
    url = reverse("accounts:accept_invitation", kwargs={"token": token})
    client.post(url, {"name": "Existing Person", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    person.refresh_from_db()
    assert person.user.email == "ex@example.org"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    _, token = services.create_invitation(invited_by=team_user(), email="weak@example.org")
    url = reverse("accounts:accept_invitation", kwargs={"token": token})
    response = client.post(url, {"name": "Weak", "password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert not User.objects.filter(email="weak@example.org").exists()


def test_a_used_link_cannot_be_used_again(client):
    _, token = services.create_invitation(invited_by=team_user(), email="once@example.org")
    url = reverse("accounts:accept_invitation", kwargs={"token": token})
    client.post(url, {"name": "Once", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.logout()
    again = client.post(url, {"name": "Twice", "password1": GOOD_PASSWORD + "x", "password2": GOOD_PASSWORD + "x"})
    assert again.status_code == 410
    assert "The link was used already" in again.content.decode()
    assert User.objects.get(email="once@example.org").name == "Once"


def test_an_expired_link_gives_a_clear_error(client):
    invitation, token = services.create_invitation(invited_by=team_user(), email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": token}))
    assert response.status_code == 410
    assert "The link has expired" in response.content.decode()


def test_invitations_expire_after_the_configured_days(settings):
    settings.RARE_INVITATION_DAYS = 3
    invitation, _ = services.create_invitation(invited_by=team_user(), email="days@example.org")
    assert abs(invitation.expires_at - invitation.created_at - dt.timedelta(days=3)) < dt.timedelta(seconds=5)


def test_an_unknown_link_gives_a_clear_error(client):
    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "We do not know this link" in response.content.decode()


def test_there_is_no_self_sign_up(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Membership is by invitation only" in response.content.decode()
    posted = client.post(
        "/accounts/signup/", {"email": "me@example.org", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert "Membership is by invitation only" in posted.content.decode()
    assert not User.objects.filter(email="me@example.org").exists()
