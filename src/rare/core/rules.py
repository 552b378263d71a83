"""Permissions of the core: the audit trail is for the programme team (and duty officers) only."""

import rules

from rare.programme.rules import is_team

rules.add_perm("core.view_audit_trail", is_team)
