"""The team reads the audit trail in words: every action the code records has a label."""

import re
from pathlib import Path

from rare.accounts import travel
from rare.core.audit import ACTIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "rare"


def test_every_recorded_action_has_a_label_for_the_audit_page():
    recorded = {travel.ON, travel.OFF}
    for path in SRC.rglob("*.py"):
        source = path.read_text()
        recorded |= set(re.findall(r'\brecord\(\s*(?:action=)?"([a-z_]+\.[a-z_.]+)"', source))
        recorded |= set(re.findall(r'\breason="([a-z_]+\.[a-z_.]+)"', source))
    assert len(recorded) > 15
    assert sorted(recorded - set(ACTIONS)) == []
