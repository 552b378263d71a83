from django.conf import settings


def platform(request):
    """What every page needs to know about the platform itself."""
    return {"demo_mode": not settings.PRODUCTION}
