"""Pages of joint statements: members' list and page, writing, signing, publishing, the public page."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rare.alliance.decisions.queries import person_of
from rare.alliance.decisions.rules import convened_group_ids
from rare.alliance.statements import exports, queries, services
from rare.alliance.statements.forms import RevisionForm, StatementForm
from rare.alliance.statements.models import Statement
from rare.core.permissions import by_visibility, permission_required_or_404, public
from rare.core.visibility import get_visible_or_404
from rare.programme.rules import is_team


def _statement(request, slug: str) -> Statement:
    return get_visible_or_404(queries.statement_for_detail(), request.user, request=request, slug=slug)


@by_visibility
@require_safe
def statement_list(request):
    status = request.GET.get("status", "")
    statements = Paginator(queries.visible_statements(request.user, status=status), queries.STATEMENTS_PER_PAGE)
    context = {
        "page_obj": statements.get_page(request.GET.get("page")),
        "status": status,
        "statuses": Statement.Status.choices,
        "may_create": rules.has_perm("alliance.create_statement", request.user),
    }
    return render(request, "alliance/statements/statement_list.html", context)


@permission_required_or_404("alliance.create_statement")
@require_http_methods(["GET", "HEAD", "POST"])
def statement_create(request):
    from rare.alliance.models import WorkingGroup

    groups = WorkingGroup.objects.visible_to(request.user).order_by("name")
    if not is_team.test(request.user):
        groups = groups.filter(pk__in=convened_group_ids(request.user))
    form = StatementForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        statement = services.create_statement(
            author=person_of(request.user),
            actor=request.user,
            request=request,
            title=data["title"],
            text=data["text"],
            deadline=data["deadline"],
            group=data["group"],
        )
        messages.success(request, _("The draft has been saved. Open it for signature when it is ready."))
        return redirect(statement)
    return render(request, "alliance/statements/statement_form.html", {"form": form})


@by_visibility
@require_safe
def statement_detail(request, slug: str):
    statement = _statement(request, slug)
    person = person_of(request.user)
    context = {
        "statement": statement,
        "version": queries.current_version(statement),
        "signatures": list(queries.signatures_of(statement)),
        "own_signature": queries.signature_of(statement, person.organisation_id if person else None),
        "may_sign": rules.has_perm("alliance.sign_statement", request.user, statement),
        "may_manage": rules.has_perm("alliance.manage_statement", request.user, statement),
        "may_edit": rules.has_perm("alliance.edit_statement", request.user, statement),
        "organisation": person.organisation if person else None,
    }
    return render(request, "alliance/statements/statement_detail.html", context)


@permission_required_or_404("alliance.edit_statement", fn=_statement)
@require_http_methods(["GET", "HEAD", "POST"])
def statement_edit(request, slug: str):
    statement = _statement(request, slug)
    version = queries.current_version(statement)
    form = RevisionForm(request.POST or None, initial={"text": version.text if version else ""})
    if request.method == "POST" and form.is_valid():
        services.revise(
            statement=statement,
            author=person_of(request.user),
            actor=request.user,
            request=request,
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("The new version has been saved."))
        return redirect(statement)
    return render(
        request, "alliance/statements/statement_edit.html", {"form": form, "statement": statement, "version": version}
    )


def _change(request, slug: str, action, done: str):
    statement = _statement(request, slug)
    try:
        action(statement=statement, actor=request.user, request=request)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, done)
    return redirect(statement)


@permission_required_or_404("alliance.manage_statement", fn=_statement)
@require_POST
def statement_open(request, slug: str):
    return _change(request, slug, services.open_for_signature, _("The statement is open for signature."))


@permission_required_or_404("alliance.manage_statement", fn=_statement)
@require_POST
def statement_publish(request, slug: str):
    return _change(request, slug, services.publish, _("The statement has been published."))


@permission_required_or_404("alliance.manage_statement", fn=_statement)
@require_POST
def statement_withdraw(request, slug: str):
    return _change(request, slug, services.withdraw, _("The statement has been withdrawn."))


@permission_required_or_404("alliance.sign_statement", fn=_statement)
@require_POST
def statement_sign(request, slug: str):
    statement = _statement(request, slug)
    person = request.user.person
    try:
        if request.POST.get("withdraw"):
            services.withdraw_signature(statement=statement, person=person, actor=request.user, request=request)
            messages.success(request, _("Your organisation's signature has been withdrawn."))
        else:
            services.sign(statement=statement, person=person, actor=request.user, request=request)
            messages.success(request, _("You have signed for %(name)s.") % {"name": person.organisation.name})
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(statement)


@by_visibility
@require_safe
def signatories_csv(request, slug: str):
    return exports.as_csv(_statement(request, slug))


@by_visibility
@require_safe
def signatories_xlsx(request, slug: str):
    return exports.as_xlsx(_statement(request, slug))


@public
@require_safe
def public_statement(request, slug: str):
    """A published statement on the public site; anything else is a 404, whoever asks."""
    statement = get_object_or_404(queries.published(), slug=slug)
    context = {
        "statement": statement,
        "version": queries.current_version(statement),
        "signatures": list(queries.signatures_of(statement)),
    }
    return render(request, "alliance/statements/public_statement.html", context)
