"""Camp pages, session pages, session materials and calendar feeds."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rare.core import audit
from rare.core.crypto import attachment_response
from rare.core.permissions import by_visibility, members_only, permission_required_or_404, public
from rare.core.visibility import Visibility, get_visible_or_404
from rare.programme.camps import feeds, queries, services
from rare.programme.camps.forms import MaterialForm, SessionKindFilter
from rare.programme.camps.rules import is_member_of_camp
from rare.programme.models import Camp, Material, Session
from rare.programme.rules import is_member
from rare.website.markup import render_markdown


@public
@require_GET
def camp_list(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("programme", "")
    if wanted:
        programme = queries.programme_by_slug(wanted)
        if programme is None:
            raise Http404
    else:
        programme = queries.current_programme()
    return render(
        request,
        "programme/camp_list.html",
        {
            "programme": programme,
            "camps": queries.camps_of(programme),
            "programmes": queries.programmes_with_camps(),
        },
    )


@public
@require_GET
def camp_detail(request: HttpRequest, slug: str) -> HttpResponse:
    kind_filter = SessionKindFilter(request.GET or None)
    kind = kind_filter.cleaned_data["kind"] if kind_filter.is_valid() else ""
    try:
        camp = queries.camp_with_agenda(slug, kind=kind or None)
    except Camp.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "programme/camp_detail.html",
        {
            "camp": camp,
            "days": queries.agenda_days(camp),
            "kind_filter": kind_filter,
            "kind": kind,
            "zone_name": camp.zone.key,
            "is_camp_member": is_member_of_camp.test(request.user, camp),
        },
    )


def _camp(request: HttpRequest, slug: str) -> Camp:
    return queries.camp_by_slug(slug)


@permission_required_or_404("programme.view_camp_members_area", fn=_camp)
@require_GET
def camp_members(request: HttpRequest, slug: str) -> HttpResponse:
    camp = queries.camp_by_slug(slug)
    return render(
        request,
        "programme/camps/camp_members.html",
        {
            "camp": camp,
            "logistics": render_markdown(camp.logistics, top_heading=3) if camp.logistics else "",
            "report": render_markdown(camp.report, top_heading=3) if camp.report else "",
        },
    )


def _session_context(request: HttpRequest, session: Session, form: MaterialForm | None = None) -> dict:
    camp = session.camp
    zone = camp.zone
    may_add = rules.has_perm("programme.add_material", request.user, session)
    return {
        "camp": camp,
        "session": session,
        "starts": session.starts_at.astimezone(zone),
        "ends": session.ends_at.astimezone(zone),
        "zone_name": zone.key,
        "materials": list(queries.materials_for(session, request.user)),
        "is_camp_member": is_member_of_camp.test(request.user, camp),
        "link_profiles": is_member.test(request.user),
        "may_add_material": may_add,
        "material_form": (form or MaterialForm(user=request.user)) if may_add else None,
    }


@by_visibility
@require_GET
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    try:
        session = queries.session_of_camp(slug, session_id)
    except Session.DoesNotExist:
        raise Http404 from None
    return render(request, "programme/camps/session_detail.html", _session_context(request, session))


def _session(request: HttpRequest, slug: str, session_id: int) -> Session:
    return queries.session_of_camp(slug, session_id)


@permission_required_or_404("programme.add_material", fn=_session)
@require_POST
def material_add(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = queries.session_of_camp(slug, session_id)
    form = MaterialForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        context = _session_context(request, session, form)
        return render(request, "programme/camps/session_detail.html", context, status=400)
    data, content_type = form.checked if form.checked else (None, "")
    upload = form.cleaned_data.get("file")
    services.add_material(
        session=session,
        actor=request.user,
        title=form.cleaned_data["title"],
        visibility=form.cleaned_data["visibility"],
        data=data,
        filename=upload.name if upload else "",
        content_type=content_type,
        link=form.cleaned_data.get("link") or "",
        groups=form.cleaned_data.get("groups") or (),
        request=request,
    )
    messages.success(request, _("The material was added."))
    return redirect(reverse("programme:session", kwargs={"slug": slug, "session_id": session_id}) + "#materials")


@by_visibility
@require_GET
def material_download(request: HttpRequest, slug: str, session_id: int, material_id: int) -> HttpResponse:
    material: Material = get_visible_or_404(
        queries.material_of_session(slug, session_id), request.user, request=request, pk=material_id
    )
    if not material.file:
        raise Http404
    if material.visibility == Visibility.RESTRICTED:
        audit.record("material.downloaded", actor=request.user, request=request, target=material)
    return attachment_response(material.file.storage, material.file.name)


# --- Calendar feeds ------------------------------------------------------------------------------


@public
@require_GET
def camp_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        camp = queries.camp_by_slug(slug)
    except Camp.DoesNotExist:
        raise Http404 from None
    name = _("Camp %(number)s: %(title)s") % {"number": camp.number, "title": camp.title}
    body = feeds.build_calendar(name, queries.feed_sessions_of_camp(camp))
    return feeds.calendar_response(body, filename=camp.slug, private=False)


@public
@require_GET
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """Open to whoever holds the secret address (calendar clients do not sign in)."""
    feed = queries.feed_by_token(token)
    account = feed.person.user if feed is not None else None
    if account is None or not account.is_active:
        raise Http404
    body = feeds.build_calendar(_("My RARE sessions"), queries.personal_sessions(feed.person))
    return feeds.calendar_response(body, filename="rare-sessions", private=True)


@members_only
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            services.reset_calendar_feed(person=person, actor=request.user, request=request)
            messages.success(request, _("Your calendar has a new address. The old one no longer works."))
        else:
            services.calendar_feed_token(person=person)
        return redirect("calendar:settings")
    feed = queries.feed_of(person)
    address = ""
    if feed is not None:
        address = feeds.absolute_url(reverse("calendar:feed", kwargs={"token": feed.token}))
    return render(request, "programme/camps/calendar_settings.html", {"address": address})
