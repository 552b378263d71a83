from io import StringIO

import pytest
from django.core.management import call_command

from rare.community.models import Person
from rare.learning.feedback import queries
from rare.learning.feedback.demo import load_demo_feedback
from rare.learning.models import AnonymousAnswer, FeedbackForm, FeedbackSubmission, Resource


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())


def test_the_demo_has_answered_forms_a_camp_evaluation_and_a_library(demo):
    anonymous = FeedbackForm.objects.filter(anonymous=True, session__isnull=False)
    assert any(AnonymousAnswer.objects.filter(form=form).count() >= 3 for form in anonymous)
    evaluation = FeedbackForm.objects.get(camp__isnull=False)
    assert AnonymousAnswer.objects.filter(form=evaluation).count() >= 3
    assert FeedbackForm.objects.filter(anonymous=False).count() == 1
    assert Resource.objects.count() == 10
    assert Resource.objects.filter(kind="file").exclude(file="").count() == 6

    participant = Person.objects.get(user__email="participant@example.org")
    assert len(queries.forms_due_for(participant)) == 1
    for form in FeedbackForm.objects.all():
        answers = AnonymousAnswer.objects.filter(form=form).count() or form.named_answers.count()
        assert FeedbackSubmission.objects.filter(form=form).count() == answers


def test_loading_again_adds_nothing(demo):
    before = (FeedbackForm.objects.count(), AnonymousAnswer.objects.count(), Resource.objects.count())
    assert load_demo_feedback() == 0
    assert (FeedbackForm.objects.count(), AnonymousAnswer.objects.count(), Resource.objects.count()) == before
