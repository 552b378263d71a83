"""The directory: people and organisations for members, and the participants who chose a public profile."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_info
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from rare.community import queries
from rare.community.models import Organisation, Person
from rare.core.permissions import PermissionRequiredOr404Mixin, public

PAGE_SIZE = 25
MEMBERS_AREA = "programme.view_members_area"


@method_decorator(never_cache, name="dispatch")
class MembersOnly(PermissionRequiredOr404Mixin):
    """Members of any programme only: visitors are sent to sign in, other accounts get 404 (audited)."""

    permission_required = MEMBERS_AREA


class DirectoryList(MembersOnly, ListView):
    """A searchable, filterable, paginated list; subclasses say what is listed."""

    paginate_by = PAGE_SIZE

    def country_choices(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.countries = self.country_choices()
        country = request.GET.get("country", "").strip().upper()
        self.search = request.GET.get("q", "").strip()[:100]
        self.country = country if country in dict(self.countries) else ""
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(search=self.search, country=self.country, countries=self.countries)
        return context


class PeopleList(DirectoryList):
    template_name = "community/people_list.html"
    context_object_name = "people"

    def country_choices(self):
        return queries.person_countries()

    def get_queryset(self):
        return queries.people(search=self.search, country=self.country)


class OrganisationList(DirectoryList):
    template_name = "community/organisation_list.html"
    context_object_name = "organisations"

    def country_choices(self):
        return queries.organisation_countries()

    def get_queryset(self):
        return queries.organisations(search=self.search, country=self.country)


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

    def get_queryset(self):
        return queries.public_participants()


@public
def directory_home(request):
    """Members land on the people directory, everybody else on the public list of participants."""
    if request.user.has_perm(MEMBERS_AREA):
        return redirect("community:people")
    return redirect("community:participants")


def _language_names(person: Person) -> list[str]:
    names = []
    for code in person.language_codes:
        try:
            names.append(get_language_info(code)["name_translated"])
        except KeyError:
            names.append(code)
    return names
