"""Pages of the civic-space monitor, open to everybody.

The ratings are public; measures appear only as `visible_to(request.user)` allows. The open data holds
public records only and is the same for everybody, so it may be cached briefly by browsers and proxies
(the core middleware still answers a signed-in request with no-store).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django_countries import countries

from rare.core.permissions import by_visibility, public
from rare.monitor import charts, opendata, queries
from rare.monitor.models import Measure

OPEN_DATA_MAX_AGE = 300


def _filters(request, *, with_country: bool) -> dict[str, str]:
    """The measure filters of the query string, keeping only values that exist."""
    chosen = {}
    country = request.GET.get("country", "").upper()
    if with_country and country in countries:
        chosen["country"] = country
    kind = request.GET.get("kind", "")
    if kind in Measure.Kind.values:
        chosen["kind"] = kind
    status = request.GET.get("status", "")
    if status in Measure.Status.values:
        chosen["status"] = status
    return chosen


def _filter_context(chosen: dict[str, str]) -> dict:
    return {
        "chosen": chosen,
        "kinds": Measure.Kind.choices,
        "statuses": Measure.Status.choices,
        "filtered": bool(chosen),
    }


@public
@require_safe
def overview(request):
    current = queries.current_ratings()
    return render(request, "monitor/overview.html", {"map": charts.build_map(current)})


@by_visibility
@require_safe
def country(request, country_code: str):
    code = country_code.upper()
    if code not in countries:
        raise Http404
    history = queries.rating_history(code)
    chosen = _filters(request, with_country=False)
    found = Paginator(queries.measures(request.user, country=code, **chosen), queries.MEASURES_PER_PAGE)
    context = {
        "code": code,
        "name": countries.name(code),
        "history": list(reversed(history)),
        "current": history[-1] if history else None,
        "chart": charts.step_chart(history),
        "page_obj": found.get_page(request.GET.get("page")),
        **_filter_context(chosen),
    }
    return render(request, "monitor/country.html", context)


@by_visibility
@require_safe
def measure_list(request):
    chosen = _filters(request, with_country=True)
    found = Paginator(queries.measures(request.user, **chosen), queries.MEASURES_PER_PAGE)
    context = {
        "page_obj": found.get_page(request.GET.get("page")),
        "countries": [(code, countries.name(code)) for code in sorted(set(charts.GRID), key=countries.name)],
        **_filter_context(chosen),
    }
    return render(request, "monitor/measure_list.html", context)


@public
@require_safe
@cache_control(public=True, max_age=OPEN_DATA_MAX_AGE)
def data_csv(request):
    return opendata.csv_response()


@public
@require_safe
@cache_control(public=True, max_age=OPEN_DATA_MAX_AGE)
def data_json(request):
    return opendata.json_response()
