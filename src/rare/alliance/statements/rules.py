"""Who may write, open, publish and sign joint statements.

- create: the programme team and working-group conveners;
- edit (a new version), open for signature, publish, withdraw: the author, the convener of the
  statement's group, or the programme team;
- sign (and withdraw a signature, before the deadline): a member of a programme who belongs to an
  organisation, for that organisation, while the statement is open for signature.
"""

from __future__ import annotations

import rules

from rare.alliance.decisions.queries import person_of
from rare.alliance.decisions.rules import is_convener
from rare.alliance.statements.models import Statement
from rare.core.visibility import can_view
from rare.programme.rules import is_member, is_team


@rules.predicate
def is_author_or_convener(user, statement: Statement | None) -> bool:
    person = person_of(user)
    if statement is None or person is None:
        return False
    if statement.created_by_id == person.pk:
        return True
    return statement.group is not None and statement.group.convener_id == person.pk


@rules.predicate
def has_organisation(user) -> bool:
    person = person_of(user)
    return person is not None and person.organisation_id is not None


@rules.predicate
def open_for_signature(user, statement: Statement | None) -> bool:
    return statement is not None and statement.open_for_signature()


@rules.predicate
def editable(user, statement: Statement | None) -> bool:
    return statement is not None and statement.status in (Statement.Status.DRAFT, Statement.Status.OPEN)


manages = is_member & can_view & (is_team | is_author_or_convener)

rules.add_perm("alliance.create_statement", is_team | is_convener)
rules.add_perm("alliance.manage_statement", manages)
rules.add_perm("alliance.edit_statement", manages & editable)
rules.add_perm("alliance.sign_statement", is_member & has_organisation & can_view & open_for_signature)
