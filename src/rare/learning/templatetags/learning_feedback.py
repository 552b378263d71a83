"""`{% load learning_feedback %}{% feedback_due %}`: the signed-in person's open feedback forms, as a list."""

from __future__ import annotations

from django import template

from rare.learning.feedback import queries

register = template.Library()


@register.inclusion_tag("learning/feedback/partials/due_list.html", takes_context=True)
def feedback_due(context) -> dict:
    request = context.get("request")
    person = getattr(getattr(request, "user", None), "person", None) if request is not None else None
    return {"due": queries.forms_due_for(person)}
