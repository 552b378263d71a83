from django.utils.functional import SimpleLazyObject

from rare.programme.queries import current_programme as _current


def current_programme(request):
    """The programme shown in every page header; queried only when a template uses it."""
    return {"current_programme": SimpleLazyObject(_current)}
