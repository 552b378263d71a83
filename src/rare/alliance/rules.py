"""Permissions of the alliance app, as `rules` predicates."""

from __future__ import annotations

import rules

from rare.core.visibility import can_view
from rare.programme.rules import is_member

# Seeing a group is the visibility rule of core, nothing more.
can_view_group = can_view

# A visitor sees a public group, but only the people in it who agreed to a public profile.
sees_every_member = is_member

rules.add_perm("alliance.view_group", can_view_group)
rules.add_perm("alliance.see_group_members", sees_every_member)

# The action plan, meetings, campaigns and the engagement log, collective decisions and joint
# statements register their own rules.
from rare.alliance.decisions import rules as _decision_rules  # noqa: E402, F401
from rare.alliance.plan import rules as _plan_rules  # noqa: E402, F401
from rare.alliance.statements import rules as _statement_rules  # noqa: E402, F401
