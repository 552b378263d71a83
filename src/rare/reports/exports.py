"""Exports of the main lists as CSV and XLSX, for the programme team.

Every export is registered here with its columns and a function that yields its rows from a queryset
read in chunks (see `ExportSpec.rows`), so no export ever holds its whole list in memory:

- CSV is streamed to the browser row by row as it is read (any size, no waiting);
- XLSX is written row by row (openpyxl's write-only mode) to a temporary file; a list longer than
  `DIRECT_XLSX_ROWS` is prepared in the background instead (an `ExportJob`, progress shown, the file
  stored encrypted and opened only by whoever asked for it).

Every list applies visibility exactly as its pages do: the rows are those the member may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rare.community import queries as community_queries
from rare.community.models import Organisation
from rare.core.exports import choice_label, country_name, spreadsheet_safe
from rare.core.paging import BoundedCount, bounded_count
from rare.core.visibility import Visibility
from rare.monitor.models import Measure
from rare.solidarity.models import Alert, Pledge

CHUNK = 1000
DIRECT_XLSX_ROWS = 5000


@dataclass(frozen=True)
class ExportSpec:
    name: str
    label: str
    header: Callable[[], list[str]]
    queryset: Callable[[object], QuerySet]
    row: Callable[[object], list]

    def count(self, user) -> int:
        """Every row `user` may see, counted exactly: a scan of the whole list (the benchmark's use)."""
        return self.queryset(user).order_by().count()

    def bounded_count(self, user, *, bound: int | None = None) -> BoundedCount:
        """The rows `user` may see, counted only up to `bound` (default COUNT_BOUND), so the exports page
        and the choice between a direct and a prepared spreadsheet cost the same for any list size."""
        return bounded_count(self.queryset(user), bound)

    def rows(self, user, *, with_header: bool = True) -> Iterator[list]:
        """The header, then every row, read CHUNK rows at a time in the order of their keys.

        Each chunk is a query of its own that starts after the last key of the one before (keyset
        paging), so memory holds one chunk and its prefetched relations, however long the list is,
        on every database, and no cursor stays open between chunks."""
        if with_header:
            yield self.header()
        queryset = self.queryset(user).order_by("pk")
        last = None
        while True:
            chunk = list((queryset if last is None else queryset.filter(pk__gt=last))[:CHUNK])
            for item in chunk:
                yield self.row(item)
            if len(chunk) < CHUNK:
                return
            last = chunk[-1].pk


EXPORTS: dict[str, ExportSpec] = {}

# Only what the alert export writes is read: the confidential details are neither exported nor
# decrypted for nothing.
ALERT_COLUMNS = ("title", "country", "occurred_on", "category", "severity", "status", "visibility", "created_at")


def register(spec: ExportSpec) -> ExportSpec:
    EXPORTS[spec.name] = spec
    return spec


def _text(value) -> str:
    return spreadsheet_safe(value)


def _date(value) -> str:
    return value.isoformat() if value else ""


# -- The lists -----------------------------------------------------------------------------------------


def _people(user) -> QuerySet:
    return community_queries.people().prefetch_related(None).prefetch_related("expertise")


register(
    ExportSpec(
        name="people",
        label=gettext_lazy("People in the directory"),
        header=lambda: [_("Name"), _("Organisation"), _("Role"), _("Country"), _("Languages"), _("Expertise")],
        queryset=_people,
        row=lambda p: [
            _text(p.name),
            _text(p.organisation.name if p.organisation else ""),
            _text(p.role),
            _text(country_name(p.country)),
            _text(p.languages),
            _text(", ".join(t.name for t in p.expertise.all())),
        ],
    )
)

register(
    ExportSpec(
        name="organisations",
        label=gettext_lazy("Organisations in the directory"),
        header=lambda: [_("Name"), _("Country"), _("City"), _("Size"), _("Website"), _("Themes"), _("People")],
        queryset=lambda user: community_queries.organisations(),
        row=lambda o: [
            _text(o.name),
            _text(country_name(o.country)),
            _text(o.city),
            _text(choice_label(Organisation.Size, o.size)),
            _text(o.website),
            _text(", ".join(t.name for t in o.themes.all())),
            o.people_count,
        ],
    )
)

register(
    ExportSpec(
        name="alerts",
        label=gettext_lazy("Alerts"),
        header=lambda: [
            _("Title"),
            _("Country"),
            _("Date of the attack"),
            _("Category"),
            _("Severity"),
            _("Status"),
            _("Visibility"),
            _("Reported"),
        ],
        queryset=lambda user: Alert.objects.visible_to(user).only(*ALERT_COLUMNS).order_by("-created_at", "-pk"),
        row=lambda a: [
            _text(a.title),
            _text(country_name(a.country)),
            _date(a.occurred_on),
            _text(choice_label(Alert.Category, a.category)),
            _text(choice_label(Alert.Severity, a.severity)),
            _text(choice_label(Alert.Status, a.status)),
            _text(choice_label(Visibility, a.visibility)),
            a.created_at.strftime("%Y-%m-%d %H:%M"),
        ],
    )
)

register(
    ExportSpec(
        name="pledges",
        label=gettext_lazy("Response pledges"),
        header=lambda: [_("Alert"), _("Organisation"), _("Response"), _("Status"), _("Pledged"), _("Done")],
        queryset=lambda user: (
            Pledge.objects.filter(alert__in=Alert.objects.visible_to(user).values("pk"))
            .select_related("alert", "organisation")
            .only("kind", "status", "created_at", "done_at", "alert__title", "organisation__name")
            .order_by("-created_at", "-pk")
        ),
        row=lambda p: [
            _text(p.alert.title),
            _text(p.organisation.name if p.organisation else ""),
            _text(choice_label(Pledge.Kind, p.kind)),
            _text(choice_label(Pledge.Status, p.status)),
            p.created_at.strftime("%Y-%m-%d %H:%M"),
            p.done_at.strftime("%Y-%m-%d %H:%M") if p.done_at else "",
        ],
    )
)

register(
    ExportSpec(
        name="measures",
        label=gettext_lazy("Restrictive measures"),
        header=lambda: [_("Title"), _("Country"), _("Kind"), _("Status"), _("Introduced on"), _("Source")],
        queryset=lambda user: Measure.objects.visible_to(user).order_by("-introduced_on", "-pk"),
        row=lambda m: [
            _text(m.title),
            _text(country_name(m.country)),
            _text(choice_label(Measure.Kind, m.kind)),
            _text(choice_label(Measure.Status, m.status)),
            _date(m.introduced_on),
            _text(m.source_url),
        ],
    )
)


def _actions(user) -> QuerySet:
    from rare.alliance.plan import queries as plan_queries

    return plan_queries.export_actions(user)


def _action_row(action) -> list:
    from django.utils import timezone

    from rare.alliance.plan import exports as plan_exports

    return plan_exports.row_of(action, timezone.localdate())


def _action_header() -> list[str]:
    from rare.alliance.plan import exports as plan_exports

    return plan_exports.header()


register(
    ExportSpec(
        name="actions",
        label=gettext_lazy("Action plan"),
        header=_action_header,
        queryset=_actions,
        row=_action_row,
    )
)
