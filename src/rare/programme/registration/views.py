"""Registration pages: the member's own registration, and the team's list, exports and attendance."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rare.core.audit import record
from rare.core.permissions import permission_required_or_404
from rare.programme.models import Registration
from rare.programme.registration import exports, queries, services
from rare.programme.registration import rules as _rules  # noqa: F401  (registers the permissions)
from rare.programme.registration.forms import BulkForm, RegistrationFilterForm, RegistrationForm

PAGE_SIZE = 50


def _camp(request, slug: str, **kwargs):
    return queries.camp_for_registration(slug)


register_perm = permission_required_or_404("programme.register_for_camp", fn=_camp)
team_perm = permission_required_or_404("programme.manage_registrations", fn=_camp)


def _person(request):
    person = getattr(request.user, "person", None)
    if person is None:  # an account without a person (a bare superuser) has nothing to register
        raise Http404
    return person


@require_http_methods(["GET", "POST"])
@register_perm
def register(request, slug: str):
    camp = queries.camp_for_registration(slug)
    person = _person(request)
    registration = queries.registration_of(camp, person)
    is_open = queries.is_open(camp)
    active = registration is not None and registration.status == Registration.Status.REGISTERED
    form = None
    if is_open:
        form = RegistrationForm(
            request.POST if request.method == "POST" else None,
            instance=registration if registration is not None else Registration(camp=camp, person=person),
            camp=camp,
        )
        if request.method == "POST" and form.is_valid():
            if active:
                services.update_registration(
                    registration=registration, data=form.cleaned_data, actor=request.user, request=request
                )
                messages.success(request, _("Your registration has been changed."))
            else:
                services.register(camp=camp, person=person, data=form.cleaned_data, actor=request.user, request=request)
                messages.success(request, _("You are registered for this camp."))
            return redirect("programme:register", slug=camp.slug)
    elif request.method == "POST":
        messages.error(request, _("Registration for this camp has closed."))
        return redirect("programme:register", slug=camp.slug)
    return render(
        request,
        "programme/registration/register.html",
        {
            "camp": camp,
            "registration": registration,
            "active": active,
            "is_open": is_open,
            "closes_at": queries.closes_at(camp),
            "form": form,
            "attendance": queries.attendance_of(camp, person) if registration is not None else [],
        },
    )


@require_POST
@register_perm
def cancel(request, slug: str):
    camp = queries.camp_for_registration(slug)
    registration = queries.registration_of(camp, _person(request))
    if registration is None:
        raise Http404
    if not queries.is_open(camp):
        messages.error(request, _("Registration for this camp has closed."))
    else:
        services.cancel_registration(registration=registration, actor=request.user, request=request)
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("programme:register", slug=camp.slug)


def _filtered(request, camp):
    form = RegistrationFilterForm(request.GET or None, country_codes=queries.countries_registered(camp))
    return form, queries.registrations_for_team(camp, **form.filters())


@require_GET
@team_perm
def registration_list(request, slug: str):
    camp = queries.camp_for_registration(slug)
    form, registrations = _filtered(request, camp)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        record("registration.needs_viewed", request=request, target=camp, page=page.number, rows=len(rows))
    return render(
        request,
        "programme/registration/team_list.html",
        {
            "camp": camp,
            "form": form,
            "counts": queries.counts_for(camp),
            "page_obj": page,
            "registrations": rows,
            "bulk_actions": BulkForm.ACTIONS,
        },
    )


@require_GET
@team_perm
def registration_detail(request, slug: str, pk: int):
    camp = queries.camp_for_registration(slug)
    registration = queries.registration_for_team(camp, pk)
    record("registration.needs_viewed", request=request, target=registration)
    return render(
        request,
        "programme/registration/team_detail.html",
        {"camp": camp, "registration": registration, "attendance": queries.attendance_of(camp, registration.person)},
    )


def _export(request, camp, registrations, fmt: str, *, selected: bool = False) -> HttpResponse:
    record(
        "registration.exported",
        request=request,
        target=camp,
        format=fmt,
        rows=registrations.count(),
        selected=selected,
    )
    if fmt == "xlsx":
        return exports.xlsx_response(camp, registrations)
    return exports.csv_response(camp, registrations)


@require_GET
@team_perm
def export(request, slug: str, fmt: str):
    camp = queries.camp_for_registration(slug)
    _form, registrations = _filtered(request, camp)
    return _export(request, camp, registrations, fmt)


@require_POST
@team_perm
def bulk(request, slug: str):
    camp = queries.camp_for_registration(slug)
    all_ids = queries.registration_ids(camp)
    form = BulkForm(request.POST, registration_ids=all_ids)
    back = reverse("registration:list", kwargs={"slug": camp.slug})
    if not form.is_valid():
        messages.error(request, _("Choose an action and select at least one row."))
        return redirect(back)
    action, ids = form.cleaned_data["action"], form.cleaned_data["ids"]
    if action == "cancel":
        done = services.cancel_many(camp=camp, ids=ids, actor=request.user, request=request)
        messages.success(
            request,
            ngettext("%(count)d registration cancelled.", "%(count)d registrations cancelled.", done) % {"count": done},
        )
    elif action == "remind":
        done = services.send_reminders(camp=camp, ids=ids, actor=request.user, request=request)
        messages.success(request, _reminded_message(done))
    else:
        registrations = queries.registrations_for_team(camp, ids=ids)
        return _export(request, camp, registrations, action.removeprefix("export_"), selected=True)
    return redirect(back)


def _reminded_message(done: int) -> str:
    if done == 0:
        return _("Nobody was reminded: they have all been reminded today already, or have no account.")
    return ngettext("%(count)d reminder is on its way.", "%(count)d reminders are on their way.", done) % {
        "count": done
    }


@require_POST
@team_perm
def remind_all(request, slug: str):
    camp = queries.camp_for_registration(slug)
    done = services.send_reminders(camp=camp, actor=request.user, request=request)
    messages.success(request, _reminded_message(done))
    return redirect("registration:list", slug=camp.slug)


@require_http_methods(["GET", "POST"])
@team_perm
def attendance(request, slug: str):
    camp = queries.camp_for_registration(slug)
    sessions = queries.sessions_of(camp)
    chosen = request.POST.get("session") if request.method == "POST" else request.GET.get("session")
    session = next((s for s in sessions if str(s.pk) == chosen), None)
    if chosen and session is None:
        raise Http404
    if request.method == "POST":
        if session is None:
            raise Http404
        session.camp = camp
        present = [int(value) for value in request.POST.getlist("present") if value.isdigit()]
        count = services.record_attendance(session=session, present=present, actor=request.user, request=request)
        messages.success(
            request,
            ngettext("Attendance saved for %(count)d person.", "Attendance saved for %(count)d people.", count)
            % {"count": count},
        )
        return redirect(f"{reverse('registration:attendance', kwargs={'slug': camp.slug})}?session={session.pk}")
    return render(
        request,
        "programme/registration/attendance.html",
        {
            "camp": camp,
            "sessions": sessions,
            "session": session,
            "sheet": queries.attendance_sheet(session) if session else [],
        },
    )
