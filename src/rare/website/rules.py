"""Who may change the public website: the programme team, nobody else."""

import rules

from rare.programme.rules import is_team

rules.add_perm("website.edit_page", is_team)
