"""The demo's action plan, campaigns and engagements."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rare.alliance.demo import load_demo_plan
from rare.alliance.plan import queries
from rare.alliance.plan.models import Action, Campaign, Engagement, Meeting, PriorityIssue
from rare.community.models import Institution


@pytest.mark.django_db
def test_demo_has_a_plausible_plan_two_campaigns_and_engagements_with_eu_institutions():
    call_command("demo", stdout=StringIO())

    today = timezone.localdate()
    actions = list(Action.objects.all())
    assert PriorityIssue.objects.count() == 3
    assert len(actions) == 12
    assert sum(a.is_late_on(today) for a in actions) >= 3
    assert sum(a.status == Action.Status.DONE for a in actions) >= 3
    assert Action.objects.filter(owners=None).count() >= 2
    assert Campaign.objects.count() == 2
    assert Engagement.objects.count() == 6
    assert Engagement.objects.filter(institution__isnull=True).count() == 0
    assert set(Engagement.objects.values_list("institution__kind", flat=True)) <= {
        Institution.Kind.EP_COMMITTEE,
        Institution.Kind.COMMISSION_DG,
        Institution.Kind.EU_AGENCY,
        Institution.Kind.COUNCIL_OF_EUROPE,
    }
    assert Meeting.objects.count() == 4
    assert load_demo_plan() == 0  # loading twice adds nothing


@pytest.mark.django_db
def test_demo_plan_overview_opens_for_a_demo_member(client):
    call_command("demo", stdout=StringIO())
    from rare.accounts.models import User

    user = User.objects.get(email="participant@example.org")
    client.force_login(user)

    response = client.get("/groups/plan/")

    assert response.status_code == 200
    assert response.context["counts"] == queries.plan_counts(user)
    assert response.context["counts"]["total"] == 12
