"""Who may use the reports: the programme team writes messages and reads the key figures; a funder
report opens only for the member who asked for it (its figures count what that member may see)."""

import rules

from rare.programme.rules import is_team


@rules.predicate
def asked_for_it(user, report) -> bool:
    return report is not None and report.requested_by_id == user.pk


rules.add_perm("reports.send_message", is_team)
rules.add_perm("reports.view_key_figures", is_team)
rules.add_perm("reports.open_funder_report", is_team & asked_for_it)
rules.add_perm("reports.export_lists", is_team)
rules.add_perm("reports.open_export", is_team & asked_for_it)
