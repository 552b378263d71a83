"""The programme team's page of the audit trail: search, newest first, paginated; viewing it is audited."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rare.core import audit, queries
from rare.core.models import AuditEntry
from rare.core.permissions import permission_required_or_404

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("An action such as auth.login, or a family such as auth."),
        widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off"}),
    )
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=254,
        help_text=_("Part of an email address, or a pseudonym."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    target_type = forms.ChoiceField(label=_("Record type"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any")), *AuditEntry.Outcome.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", _("Any")), *queries.target_type_choices()]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


@require_GET
@never_cache
@permission_required_or_404("core.view_audit_trail")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {name: value for name, value in filters.items() if value}
    page = Paginator(queries.audit_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)  # read before this view's own entry is written
    if filters:
        audit.record("audit.viewed", request=request, page=page.number, filters=filters)
    else:
        audit.record("audit.viewed", request=request, page=page.number)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "entries": entries,
            "actions": sorted(audit.ACTIONS.items()),
        },
    )
