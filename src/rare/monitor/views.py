"""Pages of the civic-space monitor, open to everybody.

The ratings are public; measures, alerts and spill-over links appear only as `visible_to(request.user)`
allows (a link only when both its sides do), and the charts count only what the viewer may see. The open data holds
public records only and is the same for everybody, so it may be cached briefly by browsers and proxies
(the core middleware still answers a signed-in request with no-store).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from rare.core.permissions import by_visibility, permission_required_or_404, public
from rare.core.visibility import get_visible_or_404
from rare.monitor import charts, opendata, over_time, queries, services
from rare.monitor.forms import ChartFilterForm, LinkForm, TacticForm, country_choices
from rare.monitor.models import Measure, SpilloverLink, item_date, item_ref
from rare.programme.rules import is_team
from rare.solidarity.models import Alert
from rare.solidarity.queries import visible_alerts

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


@by_visibility
@require_safe
def overview(request):
    """The map, and charts over time of the alerts and measures the viewer may see."""
    current = queries.current_ratings()
    form = ChartFilterForm(request.GET or None)
    chosen = form.chosen()
    context = {
        "map": charts.build_map(current),
        "form": form,
        "filtered": any(chosen[name] for name in ("country", "category", "start", "end")) or chosen["by"] != "year",
        **over_time.overview_charts(request.user, **chosen),
    }
    return render(request, "monitor/overview.html", context)


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
        **over_time.overview_charts(request.user, country=code, with_countries=False),
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


# -- spill-over ------------------------------------------------------------------------------------------


def _kind_labels() -> dict[str, str]:
    return {value: str(label) for value, label in SpilloverLink.Kind.choices}


@by_visibility
@require_safe
def spillover(request):
    """Every visible link: a graph of countries and a timeline, filtered by country and kind."""
    country = request.GET.get("country", "").upper()
    country = country if country in countries else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in SpilloverLink.Kind.values else ""
    found = Paginator(queries.links(request.user, country=country, kind=kind), queries.LINKS_PER_PAGE)
    graph = charts.spillover_graph(queries.graph_edges(request.user, country=country, kind=kind), _kind_labels())
    context = {
        "page_obj": found.get_page(request.GET.get("page")),
        "graph": graph,
        "countries": country_choices(),
        "kinds": SpilloverLink.Kind.choices,
        "chosen": {"country": country, "kind": kind},
        "filtered": bool(country or kind),
    }
    return render(request, "monitor/spillover.html", context)


def _timeline(item, links: list[SpilloverLink]) -> list[dict]:
    """The record and every record linked to it, oldest first, each with how it is linked."""

    def entry(record, is_self: bool) -> dict:
        kind = record._meta.verbose_name
        return {"item": record, "date": item_date(record), "type": kind, "kinds": [], "is_self": is_self}

    entries = {item_ref(item): entry(item, True)}
    for link in links:
        other = link.other_side(item)
        entries.setdefault(item_ref(other), entry(other, False))["kinds"].append(link.get_kind_display())
    return sorted(entries.values(), key=lambda e: (e["date"], item_ref(e["item"])))


def _item_page(request, item, *, template: str, extra: dict | None = None):
    links = queries.links_of(request.user, item)
    edges: dict[tuple, dict] = {}
    for link in links:
        key = (link.source_country, link.target_country, link.kind)
        edges.setdefault(key, {"source_country": key[0], "target_country": key[1], "kind": key[2], "count": 0})
        edges[key]["count"] += 1
    team = is_team(request.user)
    link_form = None
    if team:
        alerts, measures = queries.link_candidates(request.user, item)
        link_form = LinkForm(alerts=alerts, measures=measures, prefix="link")
    context = {
        "item": item,
        "ref": item_ref(item),
        "is_alert": isinstance(item, Alert),
        "links": links,
        "timeline": _timeline(item, links),
        "graph": charts.spillover_graph(list(edges.values()), _kind_labels()),
        "may_link": team,
        "link_form": link_form,
        **(extra or {}),
    }
    return render(request, template, context)


@by_visibility
@require_safe
def alert_spillover(request, pk: int):
    alert = get_visible_or_404(visible_alerts(request.user), request.user, request=request, pk=pk)
    return _item_page(request, alert, template="monitor/spillover_item.html")


@by_visibility
@require_safe
def measure_detail(request, pk: int):
    measure = get_visible_or_404(Measure.objects.select_related("tactic"), request.user, request=request, pk=pk)
    extra = {}
    if is_team(request.user):
        extra["tactic_form"] = TacticForm(initial={"tactic": measure.tactic.name if measure.tactic_id else ""})
    return _item_page(request, measure, template="monitor/measure_detail.html", extra=extra)


def _record(request, ref: str):
    """The alert or measure that `ref` ("alert:12") names, if the user may see it; else 404."""
    side, _sep, pk = ref.partition(":")
    if not pk.isdigit():
        raise Http404
    if side == "alert":
        return get_visible_or_404(visible_alerts(request.user), request.user, request=request, pk=int(pk))
    if side == "measure":
        return get_visible_or_404(Measure.objects.all(), request.user, request=request, pk=int(pk))
    raise Http404


def _back(item):
    if isinstance(item, Alert):
        return redirect("monitor:alert_spillover", pk=item.pk)
    return redirect(item.get_absolute_url())


@permission_required_or_404("monitor.link_spillover")
@require_POST
def link(request, pk: int, side: str):
    item = _record(request, f"{side}:{pk}")
    alerts, measures = queries.link_candidates(request.user, item)
    form = LinkForm(request.POST, alerts=alerts, measures=measures, prefix="link")
    if form.is_valid():
        try:
            services.link_items(
                actor=request.user,
                first=item,
                second=form.cleaned_data["other"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The records are linked."))
    else:
        messages.error(request, _("Choose a record and what the two share."))
    return _back(item)


@permission_required_or_404("monitor.link_spillover")
@require_POST
def unlink(request, pk: int):
    found = queries.visible_links(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    back = _record(request, request.POST["back"]) if request.POST.get("back") else found.source
    services.unlink(actor=request.user, link=found, request=request)
    messages.success(request, _("The link is removed."))
    return _back(back)


@permission_required_or_404("monitor.link_spillover")
@require_http_methods(["POST"])
def measure_tactic(request, pk: int):
    measure = get_visible_or_404(Measure.objects.select_related("tactic"), request.user, request=request, pk=pk)
    form = TacticForm(request.POST)
    if form.is_valid():
        services.set_measure_tactic(
            actor=request.user, measure=measure, tactic=form.cleaned_data["tactic"], request=request
        )
        messages.success(request, _("The tactic is saved."))
    return redirect(measure.get_absolute_url())
