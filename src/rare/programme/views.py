from django.http import Http404
from django.shortcuts import render

from rare.core.permissions import public
from rare.programme import queries
from rare.programme.models import Camp


@public
def camp_list(request):
    programme = queries.current_programme()
    return render(
        request,
        "programme/camp_list.html",
        {"programme": programme, "camps": queries.camps_of(programme)},
    )


@public
def camp_detail(request, slug: str):
    try:
        camp = queries.camp_with_agenda(slug)
    except Camp.DoesNotExist:
        raise Http404 from None
    days: dict = {}
    for session in camp.sessions.all():
        days.setdefault(session.starts_at.date(), []).append(session)
    return render(request, "programme/camp_detail.html", {"camp": camp, "days": sorted(days.items())})
