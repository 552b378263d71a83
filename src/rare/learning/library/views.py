"""Pages of the resource library: the list with filters, one resource, adding, changing, downloading."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rare.core import audit
from rare.core.crypto import attachment_response
from rare.core.permissions import by_visibility, permission_required_or_404
from rare.core.visibility import Visibility, get_visible_or_404
from rare.learning.library import queries, services
from rare.learning.library.forms import LibraryFilter, ResourceForm
from rare.learning.library.models import Resource


@by_visibility
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    filters = LibraryFilter(
        request.GET or None, competencies=queries.filter_competencies(), sessions=queries.filter_sessions()
    )
    chosen = filters.cleaned_data if filters.is_valid() else {}
    competency, session = chosen.get("competency"), chosen.get("session")
    resources = queries.resources_for(
        request.user,
        competency=competency.pk if competency else None,
        session=session.pk if session else None,
        kind=chosen.get("kind", ""),
        search=chosen.get("q", "").strip(),
    )
    page = Paginator(resources, queries.RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/library/list.html",
        {
            "filters": filters,
            "page_obj": page,
            "may_add": rules.has_perm("learning.add_resource", request.user),
        },
    )


@by_visibility
@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_visible_or_404(queries.resource_for_detail(), request.user, request=request, pk=pk)
    return render(
        request,
        "learning/library/detail.html",
        {"resource": resource, "may_change": rules.has_perm("learning.change_resource", request.user, resource)},
    )


@by_visibility
@require_GET
def resource_download(request: HttpRequest, pk: int) -> HttpResponse:
    resource: Resource = get_visible_or_404(Resource.objects.all(), request.user, request=request, pk=pk)
    if not resource.file:
        raise Http404
    if resource.visibility == Visibility.RESTRICTED:
        audit.record("resource.downloaded", actor=request.user, request=request, target=resource)
    return attachment_response(resource.file.storage, resource.file.name)


def _save_arguments(form: ResourceForm) -> dict:
    data, content_type = form.checked if form.checked else (None, "")
    upload = form.cleaned_data.get("file")
    cleaned = form.cleaned_data
    return {
        "title": cleaned["title"],
        "description": cleaned.get("description", ""),
        "language": cleaned.get("language", ""),
        "visibility": cleaned["visibility"],
        "data": data,
        "filename": upload.name if upload else "",
        "content_type": content_type,
        "url": cleaned.get("url") or "",
        "competencies": cleaned.get("competencies") or (),
        "sessions": cleaned.get("sessions") or (),
        "groups": cleaned.get("groups") or (),
    }


@permission_required_or_404("learning.add_resource")
@require_http_methods(["GET", "POST"])
def resource_add(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        resource = services.add_resource(actor=request.user, request=request, **_save_arguments(form))
        messages.success(request, _("The resource was added to the library."))
        return redirect(resource)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/library/form.html", {"form": form, "resource": None}, status=status)


def _visible_resource(request: HttpRequest, pk: int) -> Resource:
    return get_visible_or_404(Resource.objects.all(), request.user, request=request, pk=pk)


@permission_required_or_404("learning.change_resource", fn=_visible_resource)
@require_http_methods(["GET", "POST"])
def resource_change(request: HttpRequest, pk: int) -> HttpResponse:
    resource = queries.resource_for_detail().get(pk=pk)
    initial = {
        "title": resource.title,
        "description": resource.description,
        "url": resource.url,
        "language": resource.language,
        "visibility": resource.visibility,
        "competencies": list(resource.competencies.all()),
        "sessions": list(resource.sessions.all()),
        "groups": list(resource.allowed_groups.all()),
    }
    form = ResourceForm(
        request.POST or None, request.FILES or None, user=request.user, editing=resource, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.change_resource(resource=resource, actor=request.user, request=request, **_save_arguments(form))
        messages.success(request, _("The resource was saved."))
        return redirect(resource)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/library/form.html", {"form": form, "resource": resource}, status=status)
