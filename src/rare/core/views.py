from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rare.core import health
from rare.core.permissions import public


@public
@require_GET
@never_cache
def healthz(request):
    """The process is up. Touches nothing else, so it stays cheap for load balancers."""
    return JsonResponse({"status": "ok"})


@public
@require_GET
@never_cache
def readyz(request):
    """The database and the task backend answer; 503 with the failing part otherwise."""
    checks = {"database": health.database_ok(connection), "tasks": health.tasks_ok()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {k: "ok" if v else "failing" for k, v in checks.items()},
        },
        status=200 if ready else 503,
    )
