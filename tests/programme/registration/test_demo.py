from io import StringIO

import pytest
from django.core.management import call_command

from rare.demo import data
from rare.programme.models import Attendance, Camp, Registration
from rare.programme.registration.demo import load_demo_registration


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())


def test_demo_registers_most_participants_for_every_camp(demo):
    participants = len(data.PARTICIPANTS)
    for camp in Camp.objects.filter(programme__slug=data.PROGRAMME["slug"]):
        registered = Registration.objects.filter(camp=camp, status=Registration.Status.REGISTERED).count()
        assert participants * 2 // 3 <= registered <= participants, camp.slug


def test_demo_participant_is_registered_and_some_gave_needs(demo):
    mine = Registration.objects.filter(person__user__email="participant@example.org", status="registered")

    assert mine.count() >= 1
    assert any(r.dietary_needs or r.access_needs for r in Registration.objects.all())


def test_demo_has_attendance_for_past_camps_and_loads_once(demo):
    assert Attendance.objects.filter(present=True).count() > Attendance.objects.filter(present=False).count() > 0
    assert load_demo_registration() == 0
