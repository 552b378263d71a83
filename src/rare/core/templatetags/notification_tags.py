from django import template

from rare.core import notifications

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int | None:
    """How many unread notices the signed-in member has; None for anyone without a role (no query)."""
    from rare.programme.rules import is_member

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_member(user):
        return None
    return notifications.unread_count(user)
