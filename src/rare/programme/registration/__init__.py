"""Registration for camps and attendance per session: the member's own page and the team's list."""
