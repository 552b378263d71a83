from django import template
from django.utils.safestring import SafeString

from rare.website.markup import excerpt as make_excerpt
from rare.website.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, top_heading: int = 2) -> SafeString:
    """Markdown to sanitised HTML (see rare.website.markup); `|markdown:4` starts its headings at h4."""
    return render_markdown(text, top_heading=int(top_heading))


@register.filter
def excerpt(version, words: int = 40) -> str:
    """The start of a page version's text, as plain text."""
    return make_excerpt(version.html, int(words))
