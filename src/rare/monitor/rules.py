"""Who may do what in the monitor. Reading follows visibility; keeping the spill-over links is the team's."""

from __future__ import annotations

import rules

from rare.programme.rules import is_team

# The programme team and duty officers link and unlink alerts and measures across borders.
rules.add_perm("monitor.link_spillover", is_team)
