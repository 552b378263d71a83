"""Who may add and change resources in the library: the programme team and experts (speakers)."""

from __future__ import annotations

import rules

from rare.learning.library.models import Resource
from rare.programme.rules import is_expert, is_team


@rules.predicate
def added_it(user, resource: Resource | None) -> bool:
    return resource is not None and user.is_authenticated and resource.added_by_id == user.pk


rules.add_perm("learning.add_resource", is_team | is_expert)
rules.add_perm("learning.change_resource", is_team | (is_expert & added_it))
