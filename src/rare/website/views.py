"""Public pages, news and the home page; the programme team's editor behind `website.edit_page`."""

from __future__ import annotations

import difflib

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from rare.core.permissions import PermissionRequiredOr404Mixin, public
from rare.programme import queries as programme_queries
from rare.website import queries, services
from rare.website.forms import NewPageForm, VersionForm
from rare.website.markup import excerpt, render_markdown
from rare.website.models import Page, PageVersion


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@public
def home(request):
    programme = programme_queries.current_programme()
    language = _language()
    return render(
        request,
        "website/home.html",
        {
            "programme": programme,
            "camps": programme_queries.camps_of(programme),
            "participants": queries.public_participants(programme),
            "working_groups": queries.working_group_outputs(programme, request.user),
            "testimonials": queries.testimonials_for_home(),
            "news": queries.latest_news(language),
        },
    )


@public
def page_detail(request, slug: str = Page.INDEX_SLUG):
    if slug == Page.INDEX_SLUG and request.resolver_match.url_name == "page":
        return redirect("website:about", permanent=True)
    language = _language()
    try:
        page = queries.readable_page(kind=Page.Kind.PAGE, slug=slug, language=language)
    except Page.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "website/page.html",
        {
            "page": page,
            "sub_navigation": queries.sub_navigation(language),
            "testimonials": queries.testimonials_of(page),
        },
    )


@public
def news_list(request):
    posts = queries.news(_language(), request.GET.get("page"))
    return render(request, "website/news_list.html", {"posts": posts})


@public
def news_detail(request, slug: str):
    try:
        post = queries.readable_page(kind=Page.Kind.NEWS, slug=slug, language=_language())
    except Page.DoesNotExist:
        raise Http404 from None
    return render(request, "website/news_detail.html", {"page": post})


class NewsFeed(Feed):
    rare_access = "public"
    feed_type = Atom1Feed
    title = "RARE"
    subtitle = gettext_lazy("News from RARE, Recharging Advocacy for Rights in Europe")

    def link(self) -> str:
        return reverse("website:news_list")

    def items(self) -> list[Page]:
        return queries.latest_news(_language(), limit=20)

    def item_title(self, item: Page) -> str:
        return item.version.title

    def item_description(self, item: Page) -> str:
        return excerpt(item.version.html, words=80)

    def item_pubdate(self, item: Page):
        return item.published_at

    def item_updateddate(self, item: Page):
        return item.version.created_at


# --- The programme team's editor ---------------------------------------------------------------


class TeamOnly(PermissionRequiredOr404Mixin, View):
    """Only the programme team. Anyone else is told the address does not exist: 404, never 403, and for
    a visitor too (nothing here is meant for the public, so there is no sign-in page to send them to).
    A signed-in account without the permission is recorded in the audit trail by the mixin."""

    permission_required = "website.edit_page"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def page_or_404(self, slug: str) -> Page:
        try:
            return Page.objects.get(slug=slug)
        except Page.DoesNotExist:
            raise Http404 from None


class TeamPages(TeamOnly):
    def get(self, request):
        pages, news = queries.pages_for_team(_language())
        sections = [(_("Pages"), pages), (_("News"), news)]
        return render(request, "website/team/pages.html", {"sections": sections})


class NewPage(TeamOnly):
    template_name = "website/team/new.html"

    def get(self, request):
        initial = {"kind": request.GET.get("kind", Page.Kind.NEWS), "language": _language()}
        return render(request, self.template_name, {"form": NewPageForm(initial=initial)})

    def post(self, request):
        form = NewPageForm(request.POST)
        if request.htmx or request.POST.get("action") == "preview" or not form.is_valid():
            return _render_with_preview(request, self.template_name, {"form": form})
        data = form.cleaned_data
        page = services.create_page(
            kind=data["kind"],
            slug=data["slug"],
            language=data["language"],
            title=data["title"],
            body=data["body"],
            position=data["position"] if data["position"] is not None else 100,
            author=request.user,
        )
        messages.success(request, _("The page is published."))
        return redirect(page.get_absolute_url())


class EditPage(TeamOnly):
    template_name = "website/team/edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["language"] not in services.LANGUAGE_CODES:
            raise Http404

    def context(self, page: Page, language: str) -> dict:
        current = queries.current_version(page, language)
        starting_point = current or queries.current_version(page, queries.FALLBACK_LANGUAGE)
        return {
            "page": page,
            "language": language,
            "current": current,
            "starting_point": starting_point,
            "languages": [code for code, _name in settings.LANGUAGES],
        }

    def get(self, request, slug: str, language: str):
        page = self.page_or_404(slug)
        context = self.context(page, language)
        source = context["starting_point"]
        initial = {"title": source.title, "body": source.body} if source else {}
        form = VersionForm(initial=initial, language=language)
        return render(request, self.template_name, {**context, "form": form})

    def post(self, request, slug: str, language: str):
        page = self.page_or_404(slug)
        form = VersionForm(request.POST, language=language)
        context = {**self.context(page, language), "form": form}
        if request.htmx or request.POST.get("action") == "preview" or not form.is_valid():
            return _render_with_preview(request, self.template_name, context)
        version, created = services.save_version(
            page=page,
            language=language,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            author=request.user,
        )
        if created:
            messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
        else:
            messages.info(request, _("Nothing changed, so no new version was saved."))
        return redirect(page.get_absolute_url())


def _render_with_preview(request, template_name: str, context: dict):
    """The form again with the text as it will look; htmx asks only for the preview."""
    context["preview"] = {
        "title": request.POST.get("title", ""),
        "html": render_markdown(request.POST.get("body", "")),
    }
    if request.htmx:
        return render(request, "website/team/partials/editor.html#preview", context)
    return render(request, template_name, context)


class PageHistory(TeamOnly):
    def get(self, request, slug: str):
        page = self.page_or_404(slug)
        return render(request, "website/team/history.html", {"page": page, "history": queries.history(page)})


class VersionDetail(TeamOnly):
    def get(self, request, slug: str, pk: int):
        page = self.page_or_404(slug)
        try:
            version = queries.version_of(page, pk)
        except PageVersion.DoesNotExist:
            raise Http404 from None
        current = queries.current_version(page, version.language)
        diff = []
        if current.pk != version.pk:
            old = [f"# {version.title}", "", *version.body.splitlines()]
            new = [f"# {current.title}", "", *current.body.splitlines()]
            diff = [
                line for line in difflib.unified_diff(old, new, lineterm="", n=2) if not line.startswith(("---", "+++"))
            ]
        return render(
            request,
            "website/team/version.html",
            {"page": page, "version": version, "current": current, "diff": diff},
        )


class RestoreVersion(TeamOnly):
    http_method_names = ["post"]

    def post(self, request, slug: str, pk: int):
        page = self.page_or_404(slug)
        try:
            old = queries.version_of(page, pk)
        except PageVersion.DoesNotExist:
            raise Http404 from None
        version = services.restore_version(version=old, author=request.user)
        text = _("Version %(old)s is current again, saved as version %(new)s.")
        messages.success(request, text % {"old": old.number, "new": version.number})
        return redirect("website:team_history", slug=page.slug)
