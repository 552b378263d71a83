"""The README is the newcomer's contract: every setting it does not document is a hidden setting."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_environment_variable_in_settings_is_in_the_readme_table():
    settings_source = (REPO / "src/rare/settings.py").read_text()
    variables = set(re.findall(r'env\.\w+\("([A-Z_]+)"', settings_source))
    readme = (REPO / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    assert variables, "no environment variables found in settings.py"
    assert sorted(variables - documented) == []


def test_readme_shows_the_two_commands():
    readme = (REPO / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme
