"""Pages of the action plan, working-group meetings, campaigns and the engagement log.

Visibility decides what appears; a record one may not see is a 404. Changing a record needs a rule of
`rare.alliance.plan.rules` on that record.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rare.alliance.models import WorkingGroup
from rare.alliance.plan import exports, queries, services
from rare.alliance.plan.forms import (
    ActionForm,
    CampaignForm,
    CampaignOutputForm,
    EngagementForm,
    FollowUpForm,
    MeetingForm,
    MilestoneForm,
    OwnerActionForm,
)
from rare.alliance.plan.models import Action, Campaign, Engagement, FollowUp, Meeting, Milestone
from rare.community.models import Institution
from rare.core.crypto import attachment_response
from rare.core.permissions import by_visibility, members_only, permission_required_or_404
from rare.core.visibility import get_visible_or_404


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _may(request, perm: str, obj=None) -> bool:
    return rules.has_perm(perm, request.user, obj)


def _apply_form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- The action plan ---------------------------------------------------------------------------------


def _plan_filters(request) -> queries.PlanFilters:
    status = request.GET.get("status", "")
    owner = request.GET.get("owner", "")
    return queries.PlanFilters(
        status=status if status in Action.Status.values else "",
        group=_int(request.GET.get("group")),
        owner=queries.NO_OWNER if owner == queries.NO_OWNER else _int(owner),
        late=request.GET.get("late") == "1",
    )


@by_visibility
@require_safe
def plan_overview(request):
    filters = _plan_filters(request)
    today = timezone.localdate()
    actions = queries.plan_actions(request.user, filters, today=today)
    page = Paginator(actions, queries.ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    for action in page:
        action.late = action.is_late_on(today)
    context = {
        "page_obj": page,
        "counts": queries.plan_counts(request.user, today=today),
        "filters": filters,
        "statuses": Action.Status.choices,
        "no_owner": queries.NO_OWNER,
        "can_add": _may(request, "alliance.add_action"),
        "can_export": _may(request, "alliance.export_plan"),
        **queries.plan_filter_choices(request.user),
    }
    return render(request, "alliance/plan/overview.html", context)


def _action(request, pk: int) -> Action:
    return get_visible_or_404(queries.action_for_detail(request.user), request.user, request=request, pk=pk)


@by_visibility
@require_safe
def action_detail(request, pk: int):
    action = _action(request, pk)
    context = {
        "action": action,
        "late": action.is_late,
        "can_change": _may(request, "alliance.change_action", action),
        "milestone_form": MilestoneForm(),
    }
    return render(request, "alliance/plan/action_detail.html", context)


@permission_required_or_404("alliance.add_action")
@require_http_methods(["GET", "POST"])
def action_create(request):
    form = ActionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = services.create_action(actor=request.user, request=request, **data)
        messages.success(request, _("The action was added to the plan."))
        return redirect(action)
    return render(request, "alliance/plan/action_form.html", {"form": form, "action": None})


@permission_required_or_404("alliance.change_action", fn=lambda request, pk: _action(request, pk))
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = _action(request, pk)
    form_class = ActionForm if _may(request, "alliance.add_action") else OwnerActionForm
    form = form_class(request.POST or None, instance=Action.objects.get(pk=action.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.update_action(action=action, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            if changes:
                messages.success(request, _("The action was updated."))
            return redirect(action)
    return render(request, "alliance/plan/action_form.html", {"form": form, "action": action})


@permission_required_or_404("alliance.change_action", fn=lambda request, pk: _action(request, pk))
@require_POST
def milestone_add(request, pk: int):
    action = _action(request, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestone(action=action, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The milestone was added."))
    else:
        messages.error(request, _("A milestone needs a title."))
    return redirect(action)


@permission_required_or_404("alliance.change_action", fn=lambda request, pk, milestone_id: _action(request, pk))
@require_POST
def milestone_done(request, pk: int, milestone_id: int):
    action = _action(request, pk)
    item = get_object_or_404(Milestone, pk=milestone_id, action=action)
    services.set_milestone_done(
        milestone=item, actor=request.user, request=request, done=request.POST.get("done") == "1"
    )
    return redirect(action)


def _export_source(request):
    return queries.export_actions(request.user)


@permission_required_or_404("alliance.export_plan")
@require_safe
def plan_export(request, fmt: str):
    actions = _export_source(request)
    if fmt == "csv":
        return exports.csv_response(actions)
    if fmt == "xlsx":
        return exports.xlsx_response(actions)
    if fmt == "pdf":
        return exports.pdf_response(actions, counts=queries.plan_counts(request.user))
    raise Http404


# --- Working-group meetings ------------------------------------------------------------------------


def _group(request, slug: str) -> WorkingGroup:
    return get_visible_or_404(WorkingGroup.objects.all(), request.user, request=request, slug=slug)


def _meeting(request, slug: str, pk: int) -> Meeting:
    group = _group(request, slug)
    return get_object_or_404(Meeting.objects.select_related("group"), group=group, pk=pk)


@by_visibility
@require_safe
def meeting_list(request, slug: str):
    group = _group(request, slug)
    page = Paginator(queries.group_meetings(group), queries.MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "group": group,
        "page_obj": page,
        "now": timezone.now(),
        "can_schedule": _may(request, "alliance.schedule_meeting", group),
    }
    return render(request, "alliance/plan/meeting_list.html", context)


@by_visibility
@require_safe
def meeting_detail(request, slug: str, pk: int):
    meeting = _meeting(request, slug, pk)
    context = {
        "group": meeting.group,
        "meeting": meeting,
        "can_change": _may(request, "alliance.change_meeting", meeting),
    }
    return render(request, "alliance/plan/meeting_detail.html", context)


@permission_required_or_404("alliance.schedule_meeting", fn=lambda request, slug: _group(request, slug))
@require_http_methods(["GET", "POST"])
def meeting_create(request, slug: str):
    group = _group(request, slug)
    form = MeetingForm(request.POST or None)
    del form.fields["notes"]
    if request.method == "POST" and form.is_valid():
        meeting = services.schedule_meeting(group=group, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The meeting was scheduled and the group's members were told."))
        return redirect(meeting)
    return render(request, "alliance/plan/meeting_form.html", {"form": form, "group": group, "meeting": None})


@permission_required_or_404("alliance.change_meeting", fn=lambda request, slug, pk: _meeting(request, slug, pk))
@require_http_methods(["GET", "POST"])
def meeting_edit(request, slug: str, pk: int):
    meeting = _meeting(request, slug, pk)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        services.update_meeting(meeting=meeting, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The meeting was updated."))
        return redirect(meeting)
    return render(
        request, "alliance/plan/meeting_form.html", {"form": form, "group": meeting.group, "meeting": meeting}
    )


# --- Campaigns ----------------------------------------------------------------------------------------


@by_visibility
@require_safe
def campaign_list(request):
    status = request.GET.get("status", "")
    status = status if status in Campaign.Status.values else ""
    group = _int(request.GET.get("group"))
    campaigns = queries.campaign_list(request.user, status=status, group=group)
    page = Paginator(campaigns, queries.CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "statuses": Campaign.Status.choices,
        "groups": queries.campaign_groups(request.user),
        "selected": {"status": status, "group": group},
        "can_add": _may(request, "alliance.add_campaign"),
    }
    return render(request, "alliance/plan/campaign_list.html", context)


def _campaign(request, slug: str) -> Campaign:
    return get_visible_or_404(queries.campaign_for_detail(request.user), request.user, request=request, slug=slug)


@by_visibility
@require_safe
def campaign_detail(request, slug: str):
    campaign = _campaign(request, slug)
    context = {
        "campaign": campaign,
        "timeline": queries.timeline(campaign),
        "can_change": _may(request, "alliance.change_campaign", campaign),
        "can_add_output": _may(request, "alliance.add_campaign_output", campaign),
        "output_form": CampaignOutputForm(),
    }
    return render(request, "alliance/plan/campaign_detail.html", context)


@permission_required_or_404("alliance.add_campaign")
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect(campaign)
    return render(request, "alliance/plan/campaign_form.html", {"form": form, "campaign": None})


@permission_required_or_404("alliance.change_campaign", fn=lambda request, slug: _campaign(request, slug))
@require_http_methods(["GET", "POST"])
def campaign_edit(request, slug: str):
    campaign = _campaign(request, slug)
    form = CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.update_campaign(
                campaign=campaign, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            messages.success(request, _("The campaign was updated."))
            return redirect(campaign)
    return render(request, "alliance/plan/campaign_form.html", {"form": form, "campaign": campaign})


@permission_required_or_404("alliance.add_campaign_output", fn=lambda request, slug: _campaign(request, slug))
@require_http_methods(["GET", "POST"])
def campaign_output_add(request, slug: str):
    campaign = _campaign(request, slug)
    form = CampaignOutputForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_campaign_output(campaign=campaign, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The output was added to the campaign."))
        return redirect(campaign)
    return render(request, "alliance/plan/output_form.html", {"form": form, "campaign": campaign})


@by_visibility
@require_safe
def campaign_output_download(request, slug: str, pk: int):
    campaign = _campaign(request, slug)
    output = next((o for o in campaign.output_list if o.pk == pk), None)
    if output is None or not output.file:
        raise Http404
    return attachment_response(output.file.storage, output.file.name)


# --- Engagement log -----------------------------------------------------------------------------------


@by_visibility
@require_safe
def engagement_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Engagement.Kind.values else ""
    institution = _int(request.GET.get("institution"))
    campaign = _int(request.GET.get("campaign"))
    engagements = queries.engagement_list(request.user, kind=kind, institution=institution, campaign=campaign)
    page = Paginator(engagements, queries.ENGAGEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "kinds": Engagement.Kind.choices,
        "selected": {"kind": kind, "institution": institution, "campaign": campaign},
        "can_log": _may(request, "alliance.log_engagement"),
        **queries.engagement_filter_choices(request.user),
    }
    return render(request, "alliance/plan/engagement_list.html", context)


def _engagement(request, pk: int) -> Engagement:
    return get_visible_or_404(queries.engagement_for_detail(request.user), request.user, request=request, pk=pk)


@by_visibility
@require_safe
def engagement_detail(request, pk: int):
    engagement = _engagement(request, pk)
    context = {
        "engagement": engagement,
        "today": timezone.localdate(),
        "can_change": _may(request, "alliance.change_engagement", engagement),
        "follow_up_form": FollowUpForm(),
    }
    return render(request, "alliance/plan/engagement_detail.html", context)


@permission_required_or_404("alliance.log_engagement")
@require_http_methods(["GET", "POST"])
def engagement_create(request):
    initial = {}
    campaign = _int(request.GET.get("campaign"))
    if campaign:
        initial["campaign"] = campaign
    form = EngagementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        engagement = services.log_engagement(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The engagement was logged."))
        return redirect(engagement)
    return render(request, "alliance/plan/engagement_form.html", {"form": form, "engagement": None})


@permission_required_or_404("alliance.change_engagement", fn=lambda request, pk: _engagement(request, pk))
@require_http_methods(["GET", "POST"])
def engagement_edit(request, pk: int):
    engagement = _engagement(request, pk)
    form = EngagementForm(request.POST or None, instance=Engagement.objects.get(pk=engagement.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_engagement(engagement=engagement, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The engagement was updated."))
        return redirect(engagement)
    return render(request, "alliance/plan/engagement_form.html", {"form": form, "engagement": engagement})


@permission_required_or_404("alliance.change_engagement", fn=lambda request, pk: _engagement(request, pk))
@require_POST
def follow_up_add(request, pk: int):
    engagement = _engagement(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.add_follow_up(engagement=engagement, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The follow-up was added."))
    else:
        messages.error(request, _("A follow-up needs to say what is to be done."))
    return redirect(engagement)


@permission_required_or_404("alliance.change_engagement", fn=lambda request, pk, follow_up_id: _engagement(request, pk))
@require_POST
def follow_up_done(request, pk: int, follow_up_id: int):
    engagement = _engagement(request, pk)
    item = get_object_or_404(FollowUp, pk=follow_up_id, engagement=engagement)
    services.set_follow_up_done(
        follow_up=item, actor=request.user, request=request, done=request.POST.get("done") == "1"
    )
    return redirect(engagement)


@members_only
@require_safe
def institution_history(request, slug: str):
    institution = get_object_or_404(Institution, slug=slug)
    engagements = queries.institution_history(request.user, institution)
    page = Paginator(engagements, queries.ENGAGEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "institution": institution,
        "page_obj": page,
        "campaigns": queries.institution_campaigns(request.user, institution),
    }
    return render(request, "alliance/plan/institution_history.html", context)
