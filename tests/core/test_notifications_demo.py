"""The demo's notices: every verified demo alert told its audience in the app, nothing left to email."""

from io import StringIO

import pytest
from django.core.management import call_command

from rare.accounts.models import User
from rare.core import notifications
from rare.core.models import Delivery, EmailState, Notice
from rare.core.visibility import can_view
from rare.solidarity.models import Alert


@pytest.mark.django_db
def test_demo_members_have_notices_of_the_alerts_they_may_see_and_no_emails_wait():
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())  # a second run adds nothing

    verified = Alert.objects.exclude(status=Alert.Status.REPORTED).exclude(verified_at__isnull=True)
    assert Notice.objects.filter(kind="alert.verified").count() == verified.count() > 0
    participant = User.objects.get(email="participant@example.org")
    mine = notifications.inbox(participant).filter(notice__kind="alert.verified")
    shown = {d.notice.target_id for d in mine}
    assert shown == {alert.pk for alert in verified if can_view(participant, alert)}
    assert 0 < mine.filter(read_at__isnull=True).count() < len(shown)
    states = Delivery.objects.filter(notice__kind="alert.verified").values_list("email_state", flat=True)
    assert set(states) == {EmailState.SKIPPED}
