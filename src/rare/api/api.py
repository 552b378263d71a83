"""The API, version 1: /api/v1/ and its OpenAPI document at /api/v1/openapi.json.

Every list and record is read through the same query functions as the pages, so what a token sees is
exactly what its account sees there (travel mode included); a record the caller may not see is a 404.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest
from django_countries import countries
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from rare.alliance import queries as alliance_queries
from rare.alliance.decisions import queries as decision_queries
from rare.alliance.decisions.models import Proposal
from rare.alliance.plan import queries as plan_queries
from rare.alliance.plan.models import Action, Campaign
from rare.alliance.rules import sees_every_member
from rare.alliance.statements import queries as statement_queries
from rare.alliance.statements.models import Statement
from rare.api.auth import RateLimit, TokenAuth, caller_of, require_member, require_write
from rare.api.pagination import Page
from rare.api.schemas import (
    COUNTRY,
    MAX_ID,
    ONE_LINE,
    SLUG,
    ActionOut,
    AlertDetailOut,
    AlertIn,
    AlertOut,
    CampaignOut,
    CampOut,
    CountryDetailOut,
    CountryOut,
    Error,
    Me,
    MeasureOut,
    OrganisationOut,
    PersonOut,
    PledgeOut,
    ProgrammeOut,
    ProposalDetailOut,
    ProposalOut,
    SessionOut,
    StatementDetailOut,
    StatementOut,
    WorkingGroupDetailOut,
    WorkingGroupOut,
)
from rare.community import queries as community_queries
from rare.community.models import Organisation
from rare.core.errors import RETRY_AFTER_SECONDS
from rare.core.visibility import get_visible_or_404
from rare.monitor import queries as monitor_queries
from rare.monitor.models import Measure
from rare.programme.camps import queries as camp_queries
from rare.programme.models import Programme, Session
from rare.programme.rules import is_member
from rare.solidarity import queries as solidarity_queries
from rare.solidarity import services as solidarity_services
from rare.solidarity.models import Alert, Pledge
from rare.solidarity.rules import may_read_details

DESCRIPTION = """The RARE platform's API. Without a token you see what a visitor sees on the public site;
with a personal token (`Authorization: Bearer rare_...`, made on your account's "API tokens" page) you see
what your account sees on the pages. Lists take `limit` (1-100) and `offset`, and answer `count` (exact up
to 1,000 records; null with `count_exact` false above) and `has_more` (records follow the page); errors are
JSON `{"detail": "..."}`."""

api = NinjaAPI(
    title="RARE API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    auth=TokenAuth(),
    throttle=RateLimit(),
)

READ_ERRORS = {401: Error, 422: Error, 429: Error}
DETAIL_ERRORS = {**READ_ERRORS, 404: Error}
MEMBER_ERRORS = {**READ_ERRORS, 403: Error}

Slug = Path(..., pattern=SLUG, max_length=200)
Id = Path(..., ge=1, le=MAX_ID)


def _text(description: str, max_length: int = 100):
    return Query(None, max_length=max_length, pattern=ONE_LINE, description=description)


def _country():
    return Query(None, pattern=COUNTRY, description="ISO 3166-1 alpha-2 country code, e.g. HU.")


log = logging.getLogger(__name__)

# --- Errors: always JSON {"detail": ...} ----------------------------------------------------------


def _error(request: HttpRequest, status: int, detail: str, **extra):
    response = api.create_response(request, {"detail": detail, **extra}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = [{"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors]
    return _error(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(DjangoValidationError)
def _refused(request, exc: DjangoValidationError):
    errors = [{"loc": ["body"], "msg": str(message)} for message in exc.messages]
    return _error(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    response = _error(request, exc.status_code, exc.message)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="rare"'
    if isinstance(exc, Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait)))
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return _error(request, 403, "You may not do this.")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_away(request, exc):
    """The database is out of reach (a restart): try again shortly, as the pages say (rare.core.errors)."""
    log.warning("API request answered 503: the database is out of reach (%s).", type(exc).__name__)
    response = _error(request, 503, "The service is back in a moment; please try again.")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _user(request: HttpRequest):
    return caller_of(request).user


# --- Who am I ---------------------------------------------------------------------------------------

me_router = Router(tags=["account"])


@me_router.get("", response={200: Me, **READ_ERRORS}, summary="Who the token belongs to")
def me(request):
    caller = caller_of(request)
    user = caller.user
    return {
        "authenticated": caller.token is not None,
        "scope": caller.token.scope if caller.token else None,
        "member": bool(is_member(user)),
        "travel_mode": bool(getattr(user, "travel_mode", False)),
    }


# --- Programmes, camps, sessions (public, as on /camps/) ------------------------------------------

programme_router = Router(tags=["programme"])


@programme_router.get("/programmes", response={200: list[ProgrammeOut], **READ_ERRORS})
@paginate(Page)
def programme_list(request, status: Programme.Status | None = None):
    return camp_queries.all_programmes(status=status or "")


@programme_router.get("/programmes/{slug}", response={200: ProgrammeOut, **DETAIL_ERRORS})
def programme_detail(request, slug: str = Slug):
    return camp_queries.all_programmes().get(slug=slug)


@programme_router.get("/camps", response={200: list[CampOut], **READ_ERRORS})
@paginate(Page)
def camp_list(
    request,
    programme: str | None = Query(None, pattern=SLUG, max_length=200, description="A programme's slug."),
    country: str | None = _country(),
):
    return camp_queries.all_camps(programme=programme or "", country=country or "")


@programme_router.get("/camps/{slug}", response={200: CampOut, **DETAIL_ERRORS})
def camp_detail(request, slug: str = Slug):
    return camp_queries.all_camps().get(slug=slug)


@programme_router.get("/sessions", response={200: list[SessionOut], **READ_ERRORS})
@paginate(Page)
def session_list(
    request,
    camp: str | None = Query(None, pattern=SLUG, max_length=200),
    kind: Session.Kind | None = None,
):
    return camp_queries.all_sessions(camp=camp or "", kind=kind or "")


@programme_router.get("/sessions/{id}", response={200: SessionOut, **DETAIL_ERRORS})
def session_detail(request, id: int = Id):
    return camp_queries.all_sessions().get(pk=id)


# --- Directory: organisations and people -----------------------------------------------------------

community_router = Router(tags=["directory"])


@community_router.get(
    "/organisations",
    response={200: list[OrganisationOut], **MEMBER_ERRORS},
    summary="Organisations in the network (members only, as the directory)",
)
@paginate(Page)
def organisation_list(
    request,
    q: str | None = _text("Full-text search"),
    country: str | None = _country(),
    theme: str | None = Query(None, pattern=SLUG, max_length=50, description="A theme's slug."),
    size: Organisation.Size | None = None,
):
    require_member(request)
    return community_queries.organisations(
        search=(q or "").strip(), country=country or "", themes=[theme] if theme else [], size=size or ""
    )


@community_router.get("/organisations/{slug}", response={200: OrganisationOut, **MEMBER_ERRORS, 404: Error})
def organisation_detail(request, slug: str = Slug):
    require_member(request)
    return community_queries.organisations().get(slug=slug)


@community_router.get(
    "/people",
    response={200: list[PersonOut], **READ_ERRORS},
    summary="People: members see the directory; everybody else the participants with a public profile",
)
@paginate(Page)
def person_list(
    request,
    q: str | None = _text("Full-text search"),
    country: str | None = _country(),
    theme: str | None = Query(None, pattern=SLUG, max_length=50, description="Expertise: a theme's slug."),
    language: str | None = Query(None, pattern=r"^[a-z]{2,3}$", description="A language code, e.g. de."),
):
    search = (q or "").strip()
    if not is_member(_user(request)):
        found = community_queries.public_participants(search=search)
        if country:
            found = found.filter(country=country)
        if theme:
            found = found.filter(community_queries.with_expertise([theme]))
        if language:
            found = found.filter(community_queries.speaks_any([language]))
        return found
    return community_queries.people(
        search=search,
        country=country or "",
        themes=[theme] if theme else [],
        languages=[language] if language else [],
    )


@community_router.get("/people/{slug}", response={200: PersonOut, **DETAIL_ERRORS})
def person_detail(request, slug: str = Slug):
    user = _user(request)
    if is_member(user):
        return community_queries.person_profile(slug, viewer=user)
    return community_queries.public_participants().get(slug=slug)


# --- Alliance: working groups ------------------------------------------------------------------------

alliance_router = Router(tags=["alliance"])


@alliance_router.get("/working-groups", response={200: list[WorkingGroupOut], **READ_ERRORS})
@paginate(Page)
def group_list(request):
    return alliance_queries.visible_groups(_user(request))


@alliance_router.get("/working-groups/{slug}", response={200: WorkingGroupDetailOut, **DETAIL_ERRORS})
def group_detail(request, slug: str = Slug):
    user = _user(request)
    group = get_visible_or_404(alliance_queries.group_for_detail(user), user, request=request, slug=slug)
    convener = group.convener
    if convener is not None and not (convener.public_profile or sees_every_member(user)):
        convener = None
    return {
        **WorkingGroupOut.from_orm(group).dict(),
        "convener": {"slug": convener.slug, "name": convener.name} if convener else None,
        "members": [{"slug": p.slug, "name": p.name} for p in group.listed_members],
        "organisations": [{"slug": o.slug, "name": o.name} for o in group.listed_organisations],
        "hidden_member_count": group.member_count - len(group.listed_members),
    }


@alliance_router.get("/actions", response={200: list[ActionOut], **READ_ERRORS}, summary="The joint action plan")
@paginate(Page)
def action_list(
    request,
    status: Action.Status | None = None,
    group: int | None = Query(None, ge=1, le=MAX_ID, description="A working group's id."),
):
    filters = plan_queries.PlanFilters(status=status or "", group=group)
    return plan_queries.plan_actions(_user(request), filters)


@alliance_router.get("/actions/{id}", response={200: ActionOut, **DETAIL_ERRORS})
def action_detail(request, id: int = Id):
    user = _user(request)
    return get_visible_or_404(plan_queries.action_for_detail(user), user, request=request, pk=id)


@alliance_router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS})
@paginate(Page)
def campaign_list(
    request,
    status: Campaign.Status | None = None,
    group: int | None = Query(None, ge=1, le=MAX_ID, description="A working group's id."),
):
    return plan_queries.campaign_list(_user(request), status=status or "", group=group)


@alliance_router.get("/campaigns/{slug}", response={200: CampaignOut, **DETAIL_ERRORS})
def campaign_detail(request, slug: str = Slug):
    user = _user(request)
    return get_visible_or_404(plan_queries.campaign_for_detail(user), user, request=request, slug=slug)


@alliance_router.get("/decisions", response={200: list[ProposalOut], **READ_ERRORS}, summary="Collective decisions")
@paginate(Page)
def decision_list(request, status: Proposal.Status | None = None):
    return decision_queries.visible_proposals(_user(request), status=status or None)


@alliance_router.get("/decisions/{id}", response={200: ProposalDetailOut, **DETAIL_ERRORS})
def decision_detail(request, id: int = Id):
    user = _user(request)
    return get_visible_or_404(decision_queries.proposal_for_detail(), user, request=request, pk=id)


@alliance_router.get("/statements", response={200: list[StatementOut], **READ_ERRORS}, summary="Joint statements")
@paginate(Page)
def statement_list(request, status: Statement.Status | None = None):
    return statement_queries.visible_statements(_user(request), status=status or None)


@alliance_router.get("/statements/{slug}", response={200: StatementDetailOut, **DETAIL_ERRORS})
def statement_detail(request, slug: str = Slug):
    user = _user(request)
    statement = get_visible_or_404(statement_queries.statement_for_detail(), user, request=request, slug=slug)
    statement.signature_list = list(statement_queries.signatures_of(statement))
    return statement


# --- Solidarity: alerts --------------------------------------------------------------------------------

solidarity_router = Router(tags=["solidarity"])


@solidarity_router.get(
    "/alerts",
    response={200: list[AlertOut], **READ_ERRORS},
    summary="Alerts the caller may see (public fields only; details are on each alert)",
)
@paginate(Page)
def alert_list(
    request,
    country: str | None = _country(),
    category: Alert.Category | None = None,
    status: Alert.Status | None = None,
):
    return solidarity_queries.alert_list(
        _user(request), country=country or "", category=category or "", status=status or ""
    )


def _alert_detail(alert: Alert, user) -> dict:
    show = may_read_details(user, alert)
    return {
        **AlertOut.from_orm(alert).dict(),
        "affected_organisations": [o.name for o in alert.affected_organisations.all()],
        "timeline": [
            {"kind": u.kind, "text": u.text, "created_at": u.created_at} for u in alert.timeline if show or u.is_public
        ],
        "details_included": show,
        "details": alert.details if show else None,
        "sources": alert.source_lines if show else None,
        "verification_reasons": alert.verification_reasons if show else None,
    }


@solidarity_router.get("/alerts/{id}", response={200: AlertDetailOut, **DETAIL_ERRORS})
def alert_detail(request, id: int = Id):
    user = _user(request)
    alert = get_visible_or_404(solidarity_queries.alert_for_detail(user), user, request=request, pk=id)
    return _alert_detail(alert, user)


@solidarity_router.post(
    "/alerts",
    response={201: AlertDetailOut, **MEMBER_ERRORS, 400: Error},
    summary="Report an attack (members, with a write token)",
)
def alert_report(request, payload: AlertIn):
    caller = require_write(request)
    if payload.country not in countries:
        raise DjangoValidationError("Unknown country code.")
    person = getattr(caller.user, "person", None)
    affected = [person.organisation_id] if person is not None and person.organisation_id else []
    alert = solidarity_services.report_alert(
        reporter=caller.user,
        request=request,
        affected_organisations=affected,
        **payload.dict(),
    )
    loaded = get_visible_or_404(solidarity_queries.alert_for_detail(caller.user), caller.user, pk=alert.pk)
    return 201, _alert_detail(loaded, caller.user)


@solidarity_router.get(
    "/pledges",
    response={200: list[PledgeOut], **MEMBER_ERRORS},
    summary="Responses pledged on the alerts the caller sees (members only, as on the alert pages)",
)
@paginate(Page)
def pledge_list(
    request,
    alert: int | None = Query(None, ge=1, le=MAX_ID, description="Only the pledges on this alert."),
    kind: Pledge.Kind | None = None,
    status: Pledge.Status | None = None,
):
    caller = require_member(request)
    found = solidarity_queries.visible_pledges(caller.user).select_related("organisation", "person")
    if alert:
        found = found.filter(alert_id=alert)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


@solidarity_router.get("/pledges/{id}", response={200: PledgeOut, **MEMBER_ERRORS, 404: Error})
def pledge_detail(request, id: int = Id):
    caller = require_member(request)
    return solidarity_queries.visible_pledges(caller.user).select_related("organisation", "person").get(pk=id)


# --- Monitor: countries and measures -----------------------------------------------------------------

monitor_router = Router(tags=["monitor"])


def _country_out(rating) -> dict:
    return {
        "code": rating.country.code,
        "name": str(rating.country.name),
        "rating": rating.rating,
        "rated_on": rating.rated_on,
        "source_name": rating.source_name,
        "source_url": rating.source_url,
    }


@monitor_router.get("/countries", response={200: list[CountryOut], **READ_ERRORS}, summary="Current ratings")
@paginate(Page)
def country_list(request):
    return [_country_out(rating) for rating in monitor_queries.current_ratings()]


@monitor_router.get("/countries/{code}", response={200: CountryDetailOut, **DETAIL_ERRORS})
def country_detail(request, code: str = Path(..., pattern=COUNTRY)):
    history = monitor_queries.rating_history(code)
    if not history:
        raise Http404
    return {**_country_out(history[-1]), "history": history}


@monitor_router.get("/measures", response={200: list[MeasureOut], **READ_ERRORS})
@paginate(Page)
def measure_list(
    request,
    country: str | None = _country(),
    kind: Measure.Kind | None = None,
    status: Measure.Status | None = None,
):
    return monitor_queries.measures(_user(request), country=country, kind=kind, status=status)


@monitor_router.get("/measures/{id}", response={200: MeasureOut, **DETAIL_ERRORS})
def measure_detail(request, id: int = Id):
    user = _user(request)
    return get_visible_or_404(Measure.objects.all(), user, request=request, pk=id)


api.add_router("/me", me_router)
api.add_router("", programme_router)
api.add_router("", community_router)
api.add_router("", alliance_router)
api.add_router("", solidarity_router)
api.add_router("", monitor_router)
