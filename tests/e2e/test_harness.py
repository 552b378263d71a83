"""The browser checks themselves catch what they are there for, so a green run means something."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible, horizontal_overflow

INACCESSIBLE = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>Broken page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>
</main></body></html>"""

TOO_WIDE = """<!DOCTYPE html><html lang="en"><head><title>Wide</title></head><body><main>
<h1>Wide page</h1><pre>a line of preformatted text that is far wider than a phone held upright</pre>
</main></body></html>"""


@pytest.fixture
def blank_page(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def test_the_accessibility_check_fails_on_serious_violations_and_names_them(blank_page):
    blank_page.set_content(INACCESSIBLE)

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(blank_page, "a broken page")

    message = str(failure.value)
    assert message.startswith("axe found 2 serious or critical accessibility violation(s) on a broken page")
    assert "[critical] image-alt" in message
    assert "[critical] button-name" in message


def test_the_reflow_check_measures_sideways_scrolling(blank_page):
    blank_page.set_content(TOO_WIDE)

    assert horizontal_overflow(blank_page) > 100
