"""Template helpers for the account pages."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def as_json(value) -> str:
    """A value as JSON text, for a data-* attribute (autoescaping makes it safe inside the quotes)."""
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))
