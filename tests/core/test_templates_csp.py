"""No template may need what our Content-Security-Policy forbids.

Scans every template under src/rare (our own pages and the allauth templates we override) for inline
<script> code, on*= event handler attributes, style= attributes, <style> blocks and javascript: URLs.
Script files under static/ with a nonce, `json_script` data blocks and classes from rare.css are the
way instead. E-mail templates are not pages and are not scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import rare
from tests.core.urlwalk import PageReader

SOURCE = Path(rare.__file__).parent
NOT_PAGES = {"email", "emails"}

TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.S)
TEMPLATE_VARIABLE = re.compile(r"\{\{.*?\}\}", re.S)


def templates() -> list[Path]:
    found = []
    for path in sorted(SOURCE.rglob("*.html")):
        parts = path.relative_to(SOURCE).parts
        if "templates" in parts and not NOT_PAGES & set(parts):
            found.append(path)
    return found


def _blank(match: re.Match, filler: str) -> str:
    """Replace template syntax but keep its line breaks, so reported line numbers stay true."""
    return filler + "\n" * match.group(0).count("\n")


def as_html(source: str) -> str:
    """The template with Django's syntax taken out: tags become spaces, variables a plain word."""
    source = TEMPLATE_COMMENT.sub(lambda m: _blank(m, ""), source)
    source = TEMPLATE_TAG.sub(lambda m: _blank(m, " "), source)
    return TEMPLATE_VARIABLE.sub(lambda m: _blank(m, "value"), source)


class LineReader(PageReader):
    """The page reader, with the line of each problem."""

    script_line = 0

    def _at_line(self, line: int, work) -> None:
        before = len(self.report.inline_problems)
        work()
        problems = self.report.inline_problems
        problems[before:] = [f"line {line}: {p}" for p in problems[before:]]

    def _tag(self, tag, attrs):
        line = self.getpos()[0]
        if tag == "script":
            self.script_line = line
        self._at_line(line, lambda: super(LineReader, self)._tag(tag, attrs))

    def _close_script(self):
        self._at_line(self.script_line, lambda: super(LineReader, self)._close_script())


def problems_in(source: str) -> list[str]:
    reader = LineReader()
    reader.feed(as_html(source))
    reader.close()
    return reader.report.inline_problems


def test_there_are_templates_to_scan():
    names = {p.relative_to(SOURCE).as_posix() for p in templates()}
    assert "templates/base.html" in names
    assert "templates/500.html" in names


def test_no_template_needs_inline_code_or_styles():
    offenders = []
    for path in templates():
        for problem in problems_in(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(SOURCE)} {problem}")
    assert offenders == [], "Templates that break the Content-Security-Policy:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<button onclick="go()">Go</button>', ["line 1: <button onclick=...> event handler attribute"]),
        ('<a href="#"\n   ONMOUSEOVER="x()">x</a>', ["line 1: <a onmouseover=...> event handler attribute"]),
        ('<div style="color: red">x</div>', ["line 1: <div style=...> attribute"]),
        ("<p>a</p>\n<style>p { color: red }</style>", ["line 2: <style> block"]),
        (
            "<script>\n  document.title = 'x';\n</script>",
            ["line 1: inline <script> with code: \"document.title = 'x';\""],
        ),
        ('<a href=" JavaScript:go()">x</a>', ["line 1: <a href=javascript:...>"]),
        ('<script src="{% static \'a.js\' %}" nonce="{{ request.csp_nonce }}" defer></script>', []),
        ("{{ data|json_script:'data' }}", []),
        ('<script type="application/json" id="d">{"a": 1}</script>', []),
        ("<option {% if online %}selected{% endif %}>x</option>", []),
        ("{% comment %}<div style='x'>{% endcomment %}{# <b onclick=x> #}", []),
        ('<a href="{{ url }}" class="button">x</a>', []),
    ],
)
def test_the_scan_finds_what_the_policy_would_block(source, expected):
    assert problems_in(source) == expected
