"""The learning part of the demo: framework, tagged sessions, rounds with answers that show growth, plans."""

import pytest
from django.core.management import call_command

from rare.learning.assessments import queries
from rare.learning.demo import load_demo_learning
from rare.learning.models import AssessmentRound, Competency, LearningPlan, SelfAssessment
from rare.programme.models import Programme, Session


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0)
    return Programme.objects.get(slug="rare-cohort-1")


def test_the_demo_has_the_framework_rounds_and_growth(demo):
    assert Competency.objects.filter(programme=demo).count() == 9
    assert list(AssessmentRound.objects.filter(programme=demo).values_list("kind", flat=True)) == [
        "needs",
        "baseline",
        "end",
    ]
    assert Session.objects.filter(camp__programme=demo, competencies__isnull=False).distinct().count() >= 20
    needs = AssessmentRound.objects.get(programme=demo, kind="needs")
    assert SelfAssessment.objects.filter(round=needs).count() == 26
    growth = queries.cohort_growth(demo)
    assert all(row.change is not None and row.change > 0 for row in growth.rows)
    assert sum(1 for row in growth.rows if row.attended) == 9
    base, rows, answers = queries.cohort_needs(demo)
    assert (base, answers, sum(row.priority_count for row in rows)) == (needs, 26, 78)
    assert LearningPlan.objects.filter(programme=demo, person__user__email="participant@example.org").count() == 1


def test_loading_the_learning_demo_twice_adds_nothing(demo):
    before = SelfAssessment.objects.count()
    assert load_demo_learning() == 0
    assert SelfAssessment.objects.count() == before
