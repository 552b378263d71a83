import pytest

from rare.website.markup import render_markdown


def test_markdown_becomes_html_with_headings_below_the_page_title():
    html = render_markdown("# Our goals\n\nWe **build** an *alliance*.\n\n- one\n- two")

    assert html == (
        "<h2>Our goals</h2>\n<p>We <strong>build</strong> an <em>alliance</em>.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


@pytest.mark.parametrize(
    ("text", "top_heading", "html"),
    [
        ("## Goals\n\n### Capacity", 2, "<h2>Goals</h2>\n<h3>Capacity</h3>"),
        ("### Goals\n\n#### Capacity", 2, "<h2>Goals</h2>\n<h3>Capacity</h3>"),
        ("# Goals\n\n## Capacity", 4, "<h4>Goals</h4>\n<h5>Capacity</h5>"),
    ],
)
def test_headings_start_below_the_heading_of_the_place_they_are_shown_in(text, top_heading, html):
    assert render_markdown(text, top_heading=top_heading) == html


def test_script_tags_are_removed_with_their_content():
    assert render_markdown("Hello <script>alert('x')</script>world") == "<p>Hello world</p>"


def test_style_and_iframe_are_removed():
    assert (
        render_markdown('<style>p {}</style><iframe src="https://example.com/"></iframe>Text').strip() == "<p>Text</p>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
    ],
)
def test_script_links_lose_their_address(text):
    assert render_markdown(text) == '<p><a rel="noopener noreferrer nofollow">click</a></p>'


def test_event_handler_and_style_attributes_are_removed():
    html = render_markdown('<p onclick="steal()" style="color:red" onmouseover="x()">Hi</p>')

    assert html == "<p>Hi</p>"


def test_links_get_a_safe_rel_and_lose_target():
    html = render_markdown(
        '[report](https://example.org/report) <a href="/camps/" target="_blank" rel="opener">camps</a>'
    )

    assert html == (
        '<p><a href="https://example.org/report" rel="noopener noreferrer nofollow">report</a> '
        '<a href="/camps/" rel="noopener noreferrer nofollow">camps</a></p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "![Team photo](https://tracker.example/pixel.png)",
        "![Team photo](http://tracker.example/pixel.png)",
        "![Team photo](//tracker.example/pixel.png)",
        '<img src="https://tracker.example/pixel.png" alt="Team photo">',
        '<img src="//tracker.example/pixel.png" alt="Team photo">',
        '<img src="/\\tracker.example/pixel.png" alt="Team photo">',
        '<IMG SRC="https://tracker.example/pixel.png" ALT="Team photo" onerror="x()">',
    ],
)
def test_images_from_other_hosts_are_replaced_by_their_description(text):
    assert render_markdown(text) == "<p>Team photo</p>"


def test_images_of_our_own_site_stay(settings):
    settings.SITE_URL = "https://rare.example"

    html = render_markdown("![Map](/static/rare/map.svg) ![Logo](https://rare.example/static/logo.svg)")

    assert html == (
        '<p><img alt="Map" src="/static/rare/map.svg"> <img alt="Logo" src="https://rare.example/static/logo.svg"></p>'
    )


def test_an_image_on_a_host_that_only_starts_like_ours_is_foreign(settings):
    settings.SITE_URL = "https://rare.example"

    assert render_markdown("![Logo](https://rare.example.evil.test/logo.svg)") == "<p>Logo</p>"


def test_tables_render_without_inline_styles():
    html = render_markdown("| Camp | City |\n|:--|--:|\n| 7 | Brussels |")

    assert "style=" not in html
    assert "<td>Brussels</td>" in html
