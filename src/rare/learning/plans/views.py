"""Changes to a learning plan, made from the person's growth page (by the person or the team)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rare.core.permissions import permission_required_or_404
from rare.learning.assessments import queries
from rare.learning.plans import queries as plan_queries
from rare.learning.plans import services
from rare.learning.plans.forms import PlanItemForm


def _plan_person(request, slug: str, person_id: int, **kwargs):
    return queries.person_in(queries.programme_by_slug(slug), person_id)


plan_perm = permission_required_or_404("learning.edit_plan", fn=_plan_person)


def _back(programme, person):
    return redirect("learning:person_growth", slug=programme.slug, person_id=person.pk)


@require_POST
@plan_perm
def item_add(request, slug: str, person_id: int):
    programme = queries.programme_by_slug(slug)
    person = queries.person_in(programme, person_id)
    form = PlanItemForm(request.POST, programme=programme, user=request.user)
    if form.is_valid():
        try:
            services.add_item(
                person=person, programme=programme, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Added to the learning plan."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _back(programme, person)


@require_POST
@plan_perm
def item_done(request, slug: str, person_id: int, pk: int):
    programme = queries.programme_by_slug(slug)
    person = queries.person_in(programme, person_id)
    item = plan_queries.item_of(person, programme, pk)
    services.set_done(item=item, done=request.POST.get("done") == "1", actor=request.user, request=request)
    return _back(programme, person)


@require_POST
@plan_perm
def item_remove(request, slug: str, person_id: int, pk: int):
    programme = queries.programme_by_slug(slug)
    person = queries.person_in(programme, person_id)
    item = plan_queries.item_of(person, programme, pk)
    services.remove_item(item=item, actor=request.user, request=request)
    messages.success(request, _("Removed from the learning plan."))
    return _back(programme, person)
