"""Helpers of the feedback and library tests."""

from __future__ import annotations

from rare.programme.models import Membership
from tests.factories import AttendanceFactory, MembershipFactory, PersonFactory, UserFactory


def member(programme, role: str = Membership.Role.PARTICIPANT, *, attends=None, **person_fields):
    """A user whose person holds `role` in `programme` (and attended the session `attends`, if given)."""
    user = UserFactory()
    person = PersonFactory(user=user, **person_fields)
    MembershipFactory(programme=programme, person=person, role=role)
    if attends is not None:
        AttendanceFactory(session=attends, person=person)
    return user


def answer_url(form) -> str:
    return f"/learning/feedback/{form.pk}/"


def results_url(form) -> str:
    return f"/learning/feedback/{form.pk}/results/"


def session_answer(overall: int = 4, usefulness: int = 5, comment: str = "", **learned) -> dict:
    data = {"overall": overall, "usefulness": usefulness, "comment": comment}
    data.update(learned)
    return data
