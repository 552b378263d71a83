"""PDF documents rendered on the server with WeasyPrint from a template and our own print stylesheets.

Nothing is fetched while rendering, neither from the network nor from disk: images are inline SVG and
the stylesheets are read here and handed over as text, so a document cannot leak who reads it or load
anything that was not written into it. Charts (`rare.core.charts`) look as on the site: their section of
the site's stylesheet is included with `with_charts=True`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from django.template.loader import render_to_string

SITE_CSS = Path(__file__).resolve().parent.parent / "static" / "rare" / "rare.css"
CHARTS_START = "/* --- charts (rare.core.charts)"
CHARTS_END = "/* --- end of charts --- */"
# The site's colours and type, for the chart rules taken from its stylesheet.
PRINT_VALUES = {
    "--ink": "#1b1f2a",
    "--ink-soft": "#4a5263",
    "--paper": "#ffffff",
    "--line": "#c9cfdb",
    "--font": '"DejaVu Sans", "Liberation Sans", sans-serif',
}
PRINT_EXTRA = """
.chart-key li { display: inline-block; margin-right: 1em; }
.chart-key__swatch { vertical-align: middle; margin-right: .3em; }
.chart-data { display: none; }
"""
SVG_OPENING = re.compile(r"(<svg\b[^>]*>)")


def refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: nothing may be fetched."""
    raise ValueError(f"PDF documents fetch nothing ({url[:60]!r} refused).")


def chart_css() -> str:
    """The charts' section of the site's stylesheet, with its custom properties written out (the SVG
    renderer reads no `var()`)."""
    text = SITE_CSS.read_text(encoding="utf-8")
    section = text[text.index(CHARTS_START) : text.index(CHARTS_END)]
    for name, value in PRINT_VALUES.items():
        section = section.replace(f"var({name})", value)
    return section


def _style_charts(html: str) -> str:
    """Put the chart rules inside every inline SVG too: WeasyPrint styles an SVG only from within."""
    rules = chart_css()
    return SVG_OPENING.sub(lambda m: f"{m.group(1)}<style>{rules}</style>", html)


def render_pdf(
    template_name: str, context: dict, *, stylesheets: Iterable[Path] = (), with_charts: bool = False
) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context)
    if with_charts:
        html = _style_charts(html)
    texts = ([chart_css() + PRINT_EXTRA] if with_charts else []) + [
        Path(p).read_text(encoding="utf-8") for p in stylesheets
    ]
    sheets = [CSS(string=text, url_fetcher=refuse_fetch) for text in texts]
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf(stylesheets=sheets)
