"""Reads of the programme app used elsewhere (the home page, the page header).

Each area keeps its own reads in its sub-package; the camp reads live in rare.programme.camps.queries.
"""

from rare.programme.camps.queries import camp_with_agenda, camps_of, current_programme

__all__ = ["camp_with_agenda", "camps_of", "current_programme"]
