"""The programme team's audit trail page at /team/audit/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from rare.core import audit
from rare.core.models import AuditEntry
from rare.programme.models import Membership
from tests.factories import CampFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role
URL = "/team/audit/"


def _person(role):
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person, role=role)
    return person.user


def _actions(response) -> list[str]:
    return re.findall(r'<code class="meta">([a-z_.]+)</code>', response.content.decode())


def test_team_sees_entries_newest_first_and_the_view_is_audited(client):
    team = _person(Role.TEAM)
    client.force_login(team)
    member = UserFactory(email="amina@rights.example")
    audit.record("auth.login", actor=member)
    audit.record("auth.logout", actor=member)

    response = client.get(URL, {"actor": "rights.example"})

    assert response.status_code == 200
    assert _actions(response) == ["auth.logout", "auth.login"]
    assert "amina@rights.example" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    viewed = AuditEntry.objects.get(action="audit.viewed")
    assert (viewed.actor, viewed.details) == (team, {"page": 1, "filters": {"actor": "rights.example"}})


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ALUMNI, Role.EXPERT, Role.ORGANISATION_ADMIN])
def test_everyone_else_gets_404_and_the_refusal_is_audited(client, role):
    user = _person(role)
    audit.record("auth.login", actor=user)
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 404
    assert "auth.login" not in response.content.decode()
    denied = AuditEntry.objects.get(action="permission.denied")
    assert (denied.actor, denied.outcome, denied.details["permission"]) == (user, "denied", "core.view_audit_trail")
    assert not AuditEntry.objects.filter(action="audit.viewed").exists()


def test_duty_officers_see_the_trail(client):
    client.force_login(_person(Role.DUTY_OFFICER))
    assert client.get(URL).status_code == 200


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/team/audit/")


def test_filters_by_action_family_actor_dates_record_type_and_outcome(client):
    client.force_login(_person(Role.TEAM))  # writes the team member's own auth.login
    amina, bogdan = UserFactory(email="amina@rights.example"), UserFactory(email="bogdan@rights.example")
    camp = CampFactory()
    now = timezone.now()
    AuditEntry.objects.create(action="auth.login", actor=amina, at=now - dt.timedelta(days=10))
    AuditEntry.objects.create(action="auth.login_failed", actor=bogdan, outcome="failed", at=now)
    audit.record("record.viewed", actor=amina, target=camp)
    audit.record("mfa.added", actor=bogdan)
    today = timezone.localdate().isoformat()

    assert _actions(client.get(URL, {"action": "auth", "actor": "rights.example"})) == [
        "auth.login_failed",
        "auth.login",
    ]
    assert _actions(client.get(URL, {"action": "auth.login", "actor": "rights.example"})) == ["auth.login"]
    assert _actions(client.get(URL, {"actor": "amina@"})) == ["record.viewed", "auth.login"]
    assert _actions(client.get(URL, {"actor": audit.actor_pseudonym(bogdan)})) == ["mfa.added", "auth.login_failed"]
    assert _actions(client.get(URL, {"since": today, "actor": "rights.example"})) == [
        "mfa.added",
        "record.viewed",
        "auth.login_failed",
    ]
    ten_days_ago = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert _actions(client.get(URL, {"until": ten_days_ago})) == ["auth.login"]
    assert _actions(client.get(URL, {"target_type": "programme.camp"})) == ["record.viewed"]
    assert _actions(client.get(URL, {"outcome": "failed"})) == ["auth.login_failed"]
    assert AuditEntry.objects.filter(action="audit.viewed", details__filters__action="auth").count() == 1


def test_an_impossible_date_range_is_explained(client):
    client.force_login(_person(Role.TEAM))
    response = client.get(URL, {"since": "2024-05-02", "until": "2024-05-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_pages_of_fifty(client):
    client.force_login(_person(Role.TEAM))
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(action="record.changed", at=now - dt.timedelta(minutes=i), details={"n": i}) for i in range(60)
    )

    first, second = client.get(URL, {"action": "record"}), client.get(URL, {"action": "record", "page": 2})

    assert len(_actions(first)) == 50
    assert len(_actions(second)) == 10
    assert "Page 2 of 2" in second.content.decode()


def test_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    client.force_login(_person(Role.TEAM))

    def make(count):
        for _ in range(count):
            audit.record("record.viewed", actor=UserFactory(password=None), target=CampFactory(), section="agenda")

    make(3)
    with django_assert_max_num_queries(20) as few:
        assert len(_actions(client.get(URL, {"action": "record.viewed"}))) == 3
    make(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_actions(client.get(URL, {"action": "record.viewed"}))) == 43
