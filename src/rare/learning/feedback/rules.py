"""Who may answer a feedback form and who may read its results, as `rules` predicates."""

from __future__ import annotations

import rules

from rare.learning.feedback import queries
from rare.learning.feedback.models import FeedbackForm
from rare.programme.camps.rules import speaks_at
from rare.programme.rules import is_member, is_team


@rules.predicate
def may_answer(user, form: FeedbackForm | None) -> bool:
    """A member who attended the session (or registered for the camp) of a form that is open now."""
    if form is None or not is_member.test(user):
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    return queries.is_eligible(form, person)


@rules.predicate
def speaks_at_form_session(user, form: FeedbackForm | None) -> bool:
    return form is not None and form.session_id is not None and speaks_at.test(user, form.session)


rules.add_perm("learning.answer_feedback", may_answer)
rules.add_perm("learning.manage_feedback", is_team)
rules.add_perm("learning.view_feedback_results", is_team | speaks_at_form_session)
