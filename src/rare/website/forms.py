from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from rare.website.models import Page

MARKDOWN_HELP = _(
    "Markdown: a blank line starts a new paragraph; ## Heading, **bold**, *italic*, [link text](https://...), "
    "- list item. Images only from this site."
)


class VersionForm(forms.Form):
    """The text of a page in one language."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
    )

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if language:
            # Spell-checkers and screen readers read the text in the language it is written in.
            for name in ("title", "body"):
                self.fields[name].widget.attrs["lang"] = language


class NewPageForm(VersionForm):
    """A new page or news post and its first version."""

    field_order = ["kind", "language", "title", "slug", "body", "position"]

    kind = forms.ChoiceField(label=_("Kind"), choices=Page.Kind.choices, initial=Page.Kind.NEWS)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        required=False,
        help_text=_(
            "The last part of the page's address: lower-case letters, digits and hyphens. "
            "Left empty, it is made from the title."
        ),
    )
    position = forms.IntegerField(
        label=_("Position in the sub-navigation"),
        min_value=0,
        max_value=32767,
        initial=100,
        required=False,
        help_text=_("Pages only: smaller numbers come first."),
    )

    def clean(self):
        data = super().clean()
        if "slug" in self.errors or "title" not in data:
            return data
        slug = data.get("slug") or slugify(data["title"])[:120].strip("-")
        if not slug:
            self.add_error("slug", _("Give the page an address."))
        elif Page.objects.filter(slug=slug).exists():
            self.add_error("slug", _("Another page already has this address."))
        data["slug"] = slug
        return data
