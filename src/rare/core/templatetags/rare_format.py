from django import template

from rare.core.formatting import duration_text

register = template.Library()


@register.filter
def duration_words(delta) -> str:
    """`{{ timedelta|duration_words }}`: "2 days, 3 hours"; empty for nothing."""
    return duration_text(delta) if delta is not None else ""
