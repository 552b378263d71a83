"""The member's API token pages: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rare.accounts.views_privacy import closed_in_travel_mode
from rare.api import queries, services
from rare.api.forms import TokenForm
from rare.api.models import ApiToken
from rare.core.permissions import permission_required_or_404


def _page(request, *, form: TokenForm | None = None, created: ApiToken | None = None, secret: str = "", status=200):
    context = {
        "tokens": list(queries.tokens_of(request.user)),
        "form": form or TokenForm(),
        "created": created,
        "secret": secret,
    }
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@require_GET
@permission_required_or_404("api.manage_tokens")
def tokens(request):
    return _page(request)


@never_cache
@require_POST
@permission_required_or_404("api.manage_tokens")
@closed_in_travel_mode
@reauthentication_required
def token_create(request):
    """After a fresh re-authentication. The secret goes into this one response and nowhere else."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    token, secret = services.create_token(
        user=request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        expires_in_days=form.expires_in_days,
        request=request,
    )
    return _page(request, created=token, secret=secret)


def _own_token(request, pk: int) -> ApiToken:
    return get_object_or_404(ApiToken, pk=pk)


@never_cache
@require_POST
@permission_required_or_404("api.revoke_token", fn=_own_token)
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token=token, actor=request.user, request=request)
    messages.success(request, _("The token was revoked. Programs using it can no longer reach the API."))
    return redirect("api_tokens:list")
