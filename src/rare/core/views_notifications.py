"""A member's notices (newest first, mark read) and their notification preferences."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rare.core import notifications
from rare.core.forms_notifications import PreferencesForm
from rare.core.permissions import members_only

PAGE_SIZE = 25


@require_GET
@never_cache
@members_only
def notice_list(request):
    page = Paginator(notifications.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    notifications.attach_targets(list(page.object_list))
    return render(
        request,
        "core/notifications/list.html",
        {"page": page, "notices": page.object_list, "unread": notifications.unread_count(request.user)},
    )


@require_POST
@never_cache
@members_only
def mark_read(request, pk: int):
    notifications.mark_read(user=request.user, delivery_ids=[pk])
    return redirect(_back(request))


@require_POST
@never_cache
@members_only
def mark_all_read(request):
    count = notifications.mark_read(user=request.user)
    if count:
        messages.success(request, _("All notices are marked read."))
    return redirect(_back(request))


@require_http_methods(["GET", "POST"])
@never_cache
@members_only
def preferences(request):
    preference = notifications.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_for(preference))
    if request.method == "POST" and form.is_valid():
        notifications.update_preferences(user=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "core/notifications/preferences.html", {"form": form})


def _back(request) -> str:
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("notifications:list")
