"""Pages of the working groups. Visibility decides what appears; a group one may not see is a 404.

Cache-Control for these pages comes from rare.core.middleware (no-store for every signed-in request).
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rare.alliance import queries
from rare.alliance.rules import sees_every_member
from rare.core.permissions import by_visibility
from rare.core.visibility import get_visible_or_404


@by_visibility
@require_safe
def group_list(request):
    groups = Paginator(queries.visible_groups(request.user), queries.GROUPS_PER_PAGE)
    return render(request, "alliance/group_list.html", {"page_obj": groups.get_page(request.GET.get("page"))})


@by_visibility
@require_safe
def group_detail(request, slug: str):
    group = get_visible_or_404(queries.group_for_detail(request.user), request.user, request=request, slug=slug)
    convener = group.convener
    if convener is not None and not (convener.public_profile or sees_every_member(request.user)):
        convener = None
    context = {
        "group": group,
        "convener": convener,
        "hidden_member_count": group.member_count - len(group.listed_members),
    }
    return render(request, "alliance/group_detail.html", context)
