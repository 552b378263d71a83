"""Calls for applications: the public call and form, the team's review, scores and decisions."""
