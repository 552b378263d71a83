"""`rare loadtest-accounts`: real members for a load test, on test instances only, nothing weakened."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client

from rare.accounts.models import User
from rare.api.models import ApiToken
from rare.programme.models import Membership
from tests.accounts.helpers import totp_now
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make(tmp_path, *args):
    output = tmp_path / "members.json"
    call_command("loadtest_accounts", "--count", "2", "--output", str(output), *args)
    return output, json.loads(output.read_text())["members"]


def test_members_sign_in_with_password_and_one_time_code(tmp_path):
    output, members = make(tmp_path)

    assert oct(output.stat().st_mode & 0o777) == "0o600"
    assert len(members) == 2
    user = User.objects.get(email=members[0]["email"])
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert ApiToken.objects.get(user=user).scope == ApiToken.Scope.WRITE
    assert Membership.objects.filter(person__user=user, role=Membership.Role.PARTICIPANT).exists()
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": members[0]["password"]})
    assert response.status_code == 302 and "/2fa/authenticate" in response["Location"]
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(members[0]["totp_secret"])})
    assert response.status_code == 302 and "/2fa/" not in response["Location"]
    assert client.get("/directory/people/").status_code == 200


def test_refused_where_real_accounts_exist_unless_forced(tmp_path):
    UserFactory()
    with pytest.raises(CommandError, match="real accounts"):
        make(tmp_path)
    _output, members = make(tmp_path, "--force")
    assert len(members) == 2


def test_remove_deletes_what_it_made_and_nothing_else(tmp_path):
    make(tmp_path)
    someone = UserFactory()
    call_command("loadtest_accounts", "--remove")
    assert list(User.objects.all()) == [someone]
