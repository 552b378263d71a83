"""The directory: people, organisations, allies and institutions for members; the participants who chose a
public profile and the network map for everybody.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from rare.community import mapdata, queries
from rare.community.models import Institution, Organisation, Person
from rare.core.permissions import PermissionRequiredOr404Mixin, public

PAGE_SIZE = 25
MEMBERS_AREA = "programme.view_members_area"


@method_decorator(never_cache, name="dispatch")
class MembersOnly(PermissionRequiredOr404Mixin):
    """Members of any programme only: visitors are sent to sign in, other accounts get 404 (audited)."""

    permission_required = MEMBERS_AREA


def _one_of(request, name: str, choices, *, upper: bool = False) -> str:
    """The value of `name` in the query string if it is one of `choices` ((value, label) pairs), else ""."""
    value = request.GET.get(name, "").strip()
    value = value.upper() if upper else value
    return value if value in dict(choices) else ""


def _some_of(request, name: str, choices, *, upper: bool = False) -> list[str]:
    """The values of `name` (repeated in the query string) that are among `choices`, in their order."""
    wanted = {(v.strip().upper() if upper else v.strip()) for v in request.GET.getlist(name)}
    return [value for value, _ in choices if value in wanted]


def _search_text(request) -> str:
    return request.GET.get("q", "").strip()[:100]


class DirectoryList(MembersOnly, ListView):
    """A searchable, filterable, paginated list; subclasses say what is listed and which filters it has.

    Filters are a GET form that works without JavaScript; every filter combines with the search.
    """

    paginate_by = PAGE_SIZE
    with_themes = False
    with_languages = False
    with_sizes = False

    def country_choices(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.countries = self.country_choices()
        self.search = _search_text(request)
        self.country = _one_of(request, "country", self.countries, upper=True)
        self.themes = queries.theme_choices() if self.with_themes else []
        self.theme = _one_of(request, "theme", self.themes)
        self.languages = queries.language_choices() if self.with_languages else []
        self.language = _one_of(request, "language", self.languages)
        self.sizes = Organisation.Size.choices if self.with_sizes else []
        self.size = _one_of(request, "size", self.sizes)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            search=self.search,
            country=self.country,
            countries=self.countries,
            theme=self.theme,
            themes=self.themes,
            language=self.language,
            languages=self.languages,
            size=self.size,
            sizes=self.sizes,
            filtered=bool(self.search or self.country or self.theme or self.language or self.size),
        )
        return context


class PeopleList(DirectoryList):
    template_name = "community/people_list.html"
    context_object_name = "people"
    with_themes = with_languages = with_sizes = True

    def country_choices(self):
        return queries.person_countries()

    def get_queryset(self):
        return queries.people(
            search=self.search,
            country=self.country,
            themes=[self.theme] if self.theme else [],
            languages=[self.language] if self.language else [],
            size=self.size,
        )


class OrganisationList(DirectoryList):
    template_name = "community/organisation_list.html"
    context_object_name = "organisations"
    with_themes = with_sizes = True

    def country_choices(self):
        return queries.organisation_countries()

    def get_queryset(self):
        return queries.organisations(
            search=self.search,
            country=self.country,
            themes=[self.theme] if self.theme else [],
            size=self.size,
        )


class AlliesView(MembersOnly, TemplateView):
    """Find allies: who works on these themes in these countries, people and organisations by country."""

    template_name = "community/allies.html"

    def get_context_data(self, **kwargs):
        theme_choices = queries.theme_choices()
        country_choices = queries.countries_of_network()
        themes = _some_of(self.request, "theme", theme_choices)
        chosen_countries = _some_of(self.request, "country", country_choices, upper=True)
        groups = queries.allies(themes=themes, countries_wanted=chosen_countries)
        return {
            **super().get_context_data(**kwargs),
            "theme_choices": theme_choices,
            "country_choices": country_choices,
            "chosen_themes": themes,
            "chosen_countries": chosen_countries,
            "asked": bool(themes or chosen_countries),
            "groups": groups,
            "people_total": sum(len(g.people) for g in groups),
            "organisations_total": sum(len(g.organisations) for g in groups),
        }


@method_decorator(never_cache, name="dispatch")
class NetworkMap(TemplateView):
    """Public: where the network is. Visitors see organisations per country; members may also count people
    and follow each country into the directory.
    """

    rare_access = "public"
    template_name = "community/map.html"

    def get_context_data(self, **kwargs):
        member = self.request.user.has_perm(MEMBERS_AREA)
        measure = "people" if member and self.request.GET.get("show") == "people" else "organisations"
        network = mapdata.build(queries.counts_by_country(with_people=member), measure=measure)
        return {**super().get_context_data(**kwargs), "map": network, "member": member, "measure": measure}


class InstitutionList(DirectoryList):
    """Members: the institutions advocacy addresses, by kind and country."""

    template_name = "community/institution_list.html"
    context_object_name = "institutions"

    def country_choices(self):
        return queries.institution_countries()

    def get(self, request, *args, **kwargs):
        self.kind = _one_of(request, "kind", Institution.Kind.choices)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return queries.institutions(search=self.search, kind=self.kind, country=self.country)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kind=self.kind, kinds=Institution.Kind.choices, filtered=context["filtered"] or bool(self.kind))
        return context


class InstitutionDetail(MembersOnly, TemplateView):
    """Members: one institution, where it belongs, its parts and its contacts."""

    template_name = "community/institution_detail.html"

    def get_context_data(self, **kwargs):
        try:
            institution = queries.institution_profile(kwargs["slug"])
        except Institution.DoesNotExist:
            raise Http404 from None
        return {**super().get_context_data(**kwargs), "institution": institution}


class PersonDetail(MembersOnly, TemplateView):
    template_name = "community/person_detail.html"

    def get_context_data(self, **kwargs):
        try:
            person = queries.person_profile(kwargs["slug"], viewer=self.request.user)
        except Person.DoesNotExist:
            raise Http404 from None
        return {**super().get_context_data(**kwargs), "person": person, "languages": _language_names(person)}


class OrganisationDetail(MembersOnly, TemplateView):
    template_name = "community/organisation_detail.html"

    def get_context_data(self, **kwargs):
        try:
            organisation = queries.organisation_profile(kwargs["slug"], viewer=self.request.user)
        except Organisation.DoesNotExist:
            raise Http404 from None
        return {**super().get_context_data(**kwargs), "organisation": organisation}


class ParticipantList(ListView):
    """Public: the participants who agreed to a public profile, with what they agreed to show."""

    rare_access = "public"
    template_name = "community/participant_list.html"
    context_object_name = "people"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.search = _search_text(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return queries.public_participants(search=self.search)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "search": self.search}


@public
def directory_home(request):
    """Members land on the people directory, everybody else on the public list of participants."""
    if request.user.has_perm(MEMBERS_AREA):
        return redirect("community:people")
    return redirect("community:participants")


def _language_names(person: Person) -> list[str]:
    return [queries.language_name(code) for code in person.language_codes]
