"""Markdown written by the programme team, turned into HTML that is safe to show to anyone.

Markdown is rendered first, then everything passes through nh3 with a short list of allowed tags and
attributes: no scripts, no event handlers, no `javascript:` links, no styles. Links get
`rel="noopener noreferrer nofollow"`. Images may only come from this site (a relative address or one
under RARE_SITE_URL), so that reading a page never makes a request to another host.
"""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def is_own_address(url: str) -> bool:
    """Does `url` point at this site? Relative addresses do; so do absolute ones under RARE_SITE_URL.

    Browsers read a backslash as a slash and drop tabs and line breaks inside addresses, so
    `/\\evil.example/x.png` would load from another host: such addresses are refused outright.
    """
    url = url.strip()
    if not url or "\\" in url or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return False
    own = settings.SITE_URL.rstrip("/") + "/"
    if url.startswith(own):
        return True
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_own_address(value):
        return None
    return value


class _TidyTree(Treeprocessor):
    """Start the text's headings at `top` (the page title is the only h1) and drop images from elsewhere."""

    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, md: markdown.Markdown, top: int) -> None:
        super().__init__(md)
        self.top = top

    def run(self, root: ET.Element) -> None:
        headings = [element for element in root.iter() if element.tag in self.HEADINGS]
        if headings:
            shift = self.top - min(int(element.tag[1]) for element in headings)
            for element in headings:
                element.tag = f"h{min(max(int(element.tag[1]) + shift, self.top), 6)}"
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img" and not is_own_address(child.get("src", "")):
                    self._replace_with_text(parent, child, child.get("alt", ""))

    @staticmethod
    def _replace_with_text(parent: ET.Element, child: ET.Element, text: str) -> None:
        """Put the image's alternative text where the image was."""
        text = text + (child.tail or "")
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(child)


class _TidyExtension(Extension):
    def __init__(self, top: int) -> None:
        super().__init__()
        self.top = top

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_TidyTree(md, self.top), "rare_tidy", 0)


# An <img> as nh3 writes it: every attribute value in double quotes (a quote inside is &quot;).
_IMG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def _image_or_alt_text(match: re.Match) -> str:
    """An image that lost its foreign address leaves only its alternative text behind."""
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    if "src" in attributes:
        return match.group(0)
    return htmllib.escape(htmllib.unescape(attributes.get("alt", "")), quote=False)


def sanitise_html(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return _IMG.sub(_image_or_alt_text, cleaned)


def render_markdown(text: str, *, top_heading: int = 2) -> SafeString:
    """Markdown to sanitised HTML, ready for a template; its biggest headings become `<h{top_heading}>`."""
    html = markdown.markdown(
        text or "",
        extensions=["tables", "sane_lists", "def_list", "abbr", _TidyExtension(top=min(max(top_heading, 2), 6))],
        output_format="html",
    )
    return mark_safe(sanitise_html(html))  # noqa: S308 (sanitised by nh3 just above)


def excerpt(html: str, words: int = 40) -> str:
    """The start of rendered text as plain text (escape it again when showing it), for lists and feeds."""
    return Truncator(htmllib.unescape(strip_tags(html)).strip()).words(words)
