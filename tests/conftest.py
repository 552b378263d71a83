import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is slow on purpose; tests use a fast hasher unless they test hashing itself.

    Mark a test `@pytest.mark.real_password_hashing` to keep the production hashers.
    """
    if request.node.get_closest_marker("real_password_hashing") is None:
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher",
            "django.contrib.auth.hashers.Argon2PasswordHasher",
        ]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test starts with an empty in-memory cache (sign-in throttles, used codes)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never into the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tasks_run_now(settings):
    """Background tasks run as soon as they are enqueued (after the transaction commits), so their
    e-mails are in mail.outbox when the request returns."""
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request):
    """Let the flush that ends a transactional test clear the append-only audit table.

    The audit table's triggers refuse deletes unless the purge gate is open (see rare.core.models).
    Before the flush, this opens the gate with a committed row and empties the trail; the flush then
    empties the gate table too, so the next test starts with the gate closed.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool({"transactional_db", "live_server"} & set(request.fixturenames)) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    blocker = request.getfixturevalue("django_db_blocker")
    yield
    import datetime as dt

    from django.utils import timezone

    from rare.core.models import AuditEntry, AuditPurgeGate

    with blocker.unblock():
        AuditPurgeGate.objects.create(purge_before=timezone.now() + dt.timedelta(days=36500))
        AuditEntry.objects.all().delete()
