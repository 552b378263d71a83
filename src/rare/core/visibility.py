"""Who may see a record: the one visibility mechanism every app uses.

A sensitive record inherits `VisibilityControlled`. It then has a level and three audience lists,
and every read of such records goes through `Model.objects.visible_to(user)` (lists) or
`get_visible_or_404(...)` (one record). `can_view(user, obj)` answers the same question for a record
already in hand, as a `rules` predicate. A record someone may not see is answered with 404, never 403,
so that its existence does not leak.

Levels
    public      anyone, signed in or not
    members     everyone holding a role in a programme (participants, alumni, experts, organisation
                admins, the programme team, duty officers)
    group       the record's audience: people in `allowed_people`, people of an organisation in
                `allowed_organisations`, and members (people or organisations) of a working group in
                `allowed_groups`; the programme team sees every group record because it runs the programme
    restricted  named people and people of named organisations (`allowed_people`,
                `allowed_organisations`; working groups do not open a restricted record), plus duty officers

Who sees what (Y = sees every record of that level, named = only records whose audience names them)

    viewer                                          public  members  group   restricted
    visitor: anonymous, signed in without a role,   Y       -        -       -
      or a disabled account
    member: participant, alumni, expert,            Y       Y        named   named
      organisation admin                                             or group
    programme team                                  Y       Y        Y       named
    duty officer                                    Y       Y        Y       Y
    anyone above in travel mode                     as above, but never a restricted record,
                                                    not even a named one or for a duty officer

Roles come from `rare.programme.rules.roles_of` (a superuser counts as programme team there). A named
person without any role is still a visitor.

"named" means the viewer's person is in `allowed_people` or the person's organisation is in
`allowed_organisations`; "group" means the person is in `WorkingGroup.members`, or the person's
organisation is in `WorkingGroup.organisations`, of a group listed in `allowed_groups`.

A model may widen its own audience with `VisibleQuerySet.own_audience()`: whoever it returns counts as
named on that record (a working group names its convener, its members and its member organisations,
so they always see their own group, except a restricted one while in travel mode).

`visible_to()` is a single filter built from EXISTS subqueries on the audience tables: no joins on the
outer query, no duplicates, no DISTINCT, and a constant number of queries (the viewer's roles and
person are read once per user object and kept on it). `get_visible_or_404` writes every view of a
restricted record to the audit trail ("record.viewed"); a refused record is a plain 404 with no extra
work, so neither the answer nor its timing tells whether the record exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members")
    GROUP = "group", _("group")
    RESTRICTED = "restricted", _("restricted")


# Roles are the values of rare.programme.models.Membership.Role; kept as strings here so that core
# does not import programme at module load.
_TEAM = "team"
_DUTY_OFFICER = "duty_officer"
_NOBODY = Q(pk__in=[])


def _roles_of(user) -> frozenset[str]:
    from rare.programme.rules import roles_of

    return roles_of(user)


def _in_travel_mode(user) -> bool:
    return bool(getattr(user, "travel_mode", False))


def _person_of(user):
    """The viewer's Person, or None. Django keeps it (or its absence) on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


class VisibleQuerySet(models.QuerySet):
    """A queryset of records that carry a visibility level and an audience."""

    def visible_to(self, user) -> VisibleQuerySet:
        """Only the records `user` may see (see the table in the module docstring)."""
        roles = _roles_of(user)
        if not roles:
            return self.filter(visibility=Visibility.PUBLIC)
        travel = _in_travel_mode(user)
        if _DUTY_OFFICER in roles:
            return self.exclude(visibility=Visibility.RESTRICTED) if travel else self.all()

        person = _person_of(user)
        person_id = person.pk if person else None
        organisation_id = person.organisation_id if person else None
        named = self._named(person_id, organisation_id)

        condition = Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])
        if _TEAM in roles:
            condition |= Q(visibility=Visibility.GROUP)
        else:
            condition |= Q(visibility=Visibility.GROUP) & (named | self._via_groups(person_id, organisation_id))
        if not travel:
            condition |= Q(visibility=Visibility.RESTRICTED) & named
        return self.filter(condition)

    def own_audience(self, person_id: int | None, organisation_id: int | None) -> Q:
        """Who counts as named on a record beyond its audience lists. Models may override; nobody here."""
        return _NOBODY

    # -- building blocks -------------------------------------------------------------------------

    def _audience(self, field_name: str, target_id: int | None) -> Q:
        """EXISTS (a row of the audience table `field_name` joining this record to `target_id`)."""
        if target_id is None:
            return _NOBODY
        field = self.model._meta.get_field(field_name)
        rows = field.remote_field.through._default_manager.filter(
            **{field.m2m_field_name(): OuterRef("pk"), field.m2m_reverse_field_name(): target_id}
        )
        return Q(Exists(rows))

    def _named(self, person_id: int | None, organisation_id: int | None) -> Q:
        return (
            self._audience("allowed_people", person_id)
            | self._audience("allowed_organisations", organisation_id)
            | self.own_audience(person_id, organisation_id)
        )

    def _via_groups(self, person_id: int | None, organisation_id: int | None) -> Q:
        """EXISTS (an allowed group that has the person, or the person's organisation, as a member)."""
        if person_id is None:
            return _NOBODY
        group_model = apps.get_model("alliance", "WorkingGroup")
        field = self.model._meta.get_field("allowed_groups")
        group = field.m2m_reverse_field_name()
        people = group_model.members.through._default_manager.filter(person_id=person_id)
        mine = Q(**{f"{group}__in": people.values("workinggroup_id")})
        if organisation_id is not None:
            organisations = group_model.organisations.through._default_manager.filter(organisation_id=organisation_id)
            mine |= Q(**{f"{group}__in": organisations.values("workinggroup_id")})
        rows = field.remote_field.through._default_manager.filter(mine, **{field.m2m_field_name(): OuterRef("pk")})
        return Q(Exists(rows))


class VisibilityControlled(models.Model):
    """Abstract base of every record whose audience is limited. Safe default: members only."""

    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        db_index=True,
        help_text=_(
            "Public: anyone. Members: everyone in a programme. Group: the people, organisations and working "
            "groups named below, and the programme team. Restricted: only the people and organisations "
            "named below, and duty officers."
        ),
    )
    allowed_people = models.ManyToManyField(
        "community.Person", blank=True, related_name="+", verbose_name=_("allowed people")
    )
    allowed_organisations = models.ManyToManyField(
        "community.Organisation", blank=True, related_name="+", verbose_name=_("allowed organisations")
    )
    allowed_groups = models.ManyToManyField(
        "alliance.WorkingGroup",
        blank=True,
        related_name="+",
        symmetrical=False,
        verbose_name=_("allowed working groups"),
        help_text=_("Members of these groups may see a record of the level 'group' (not a restricted one)."),
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True


@rules.predicate
def can_view(user, obj) -> bool:
    """May `user` see `obj`? The same answer as `visible_to`, for one record.

    Answers from the roles alone where it can; where the answer depends on the audience lists it asks
    the database through `visible_to` itself (one query), so the two can never disagree.
    """
    if obj is None or obj.pk is None:
        return False
    level = obj.visibility
    if level == Visibility.PUBLIC:
        return True
    roles = _roles_of(user)
    if not roles:
        return False
    if level == Visibility.RESTRICTED and _in_travel_mode(user):
        return False
    if _DUTY_OFFICER in roles or level == Visibility.MEMBERS:
        return True
    if level == Visibility.GROUP and _TEAM in roles:
        return True
    return type(obj)._default_manager.filter(pk=obj.pk).visible_to(user).exists()


def get_visible_or_404(queryset: Any, user, *, request: HttpRequest | None = None, **lookup: Any):
    """The one record matching `lookup` that `user` may see, else Http404 (never 403).

    `queryset` is a VisibleQuerySet or a manager of one. Every view of a restricted record is written
    to the audit trail.
    """
    if hasattr(queryset, "get_queryset"):
        queryset = queryset.get_queryset()
    try:
        obj = queryset.visible_to(user).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None
    audit_view(obj, user=user, request=request)
    return obj


def audit_view(obj: Any, *, user, request: HttpRequest | None = None) -> None:
    """Write the opening of a restricted record to the audit trail (pages and admin alike)."""
    if obj is not None and obj.visibility == Visibility.RESTRICTED:
        from rare.core import audit

        audit.record("record.viewed", actor=user, request=request, target=obj)


# --- Counts kept per viewer -------------------------------------------------------------------------


def viewer_key(user) -> str:
    """What decides which records `user` sees, as a cache key part.

    `visible_to` answers from the viewer's roles, travel mode, person and that person's organisation
    (their audience lists and working groups hang off those two), so two viewers with the same key see
    the same records. Everyone without a role sees the same public records, so they share one key;
    everyone else gets a key of their own, and switching travel mode on, or a change of roles or
    organisation, gives a new key at once.
    """
    roles = _roles_of(user)
    if not roles:
        return "visitor"
    person = _person_of(user)
    travel = "travel" if _in_travel_mode(user) else "home"
    parts = [
        f"user={user.pk}",
        f"person={person.pk if person else ''}",
        f"organisation={person.organisation_id if person else ''}",
        travel,
        "roles=" + ",".join(sorted(roles)),
    ]
    return ":".join(parts)


def kept_for_viewer(name: str, user, compute, *, seconds: int, filters: Any = ()):
    """`compute()` (figures counted over what `user` may see), kept `seconds` for that viewer only.

    For aggregates over whole tables (charts, coverage totals) that would otherwise read every visible
    record on each request: the figures, never the records, are kept under a key made of `viewer_key`
    and the filters, so one viewer is never given figures made for another visibility, and a change of
    what someone may see shows in them within `seconds` while lists and records stay live. The
    database's name is part of the key too (the benchmark measures two databases against one cache).
    """
    import hashlib

    from django.core.cache import cache
    from django.db import connection

    parts = f"{connection.settings_dict['NAME']}|{viewer_key(user)}|{filters!r}"
    key = f"viewer:{name}:" + hashlib.sha256(parts.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
