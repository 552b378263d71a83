"""`rare backup` while the platform writes is one consistent picture; and backup/restore with Redis.

The backup reads table after table inside one REPEATABLE READ transaction on PostgreSQL. Here a
writer commits, again and again while the backup runs, transactions that each create an organisation
and a person belonging to it. Organisations are read before people, so a backup that saw each table
as of its own moment would hold people whose organisation is missing (the restore refuses them) or
organisations without their person. Restored into an empty database, every pair is there whole or
not at all, and some pairs written during the backup are missing (they came after its snapshot).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from rare.community.models import Organisation, Person
from tests import redis_db
from tests.core import test_backup

pytestmark = pytest.mark.django_db(transaction=True)


class PairWriter(threading.Thread):
    """Commits (organisation, person) pairs until stopped; counts the commits."""

    def __init__(self):
        super().__init__(name="pair-writer", daemon=True)
        self.stop = threading.Event()
        self.committed = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                number = self.committed
                with transaction.atomic():
                    organisation = Organisation.objects.create(
                        name=f"Load {number}", slug=f"load-{number}", country="HU"
                    )
                    Person.objects.create(
                        name=f"Load {number}", slug=f"load-{number}", organisation=organisation, country="HU"
                    )
                self.committed += 1
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connection.close()


def test_a_backup_taken_while_pairs_are_written_restores_every_pair_whole_or_not_at_all(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers during a backup: PostgreSQL (SQLite has one writer and no snapshot)")
    test_backup._world()  # some data of every kind besides the pairs
    writer = PairWriter()
    writer.start()
    path = tmp_path / "busy.rarebackup"
    try:
        while writer.committed < 20 and writer.is_alive():
            time.sleep(0.01)
        before = writer.committed
        call_command("backup", output=str(path), verbosity=0)
        during = writer.committed - before
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert during > 0, "no pair was committed while the backup ran: the test proved nothing"
    written = writer.committed

    test_backup._empty_everything(Path(settings.MEDIA_ROOT))
    call_command("restore", str(path), verbosity=0)

    organisations = dict(Organisation.objects.filter(slug__startswith="load-").values_list("slug", "pk"))
    people = dict(Person.objects.filter(slug__startswith="load-").values_list("slug", "organisation_id"))
    assert set(people) == set(organisations)
    assert all(people[slug] == organisations[slug] for slug in people)
    # The snapshot holds everything committed before the backup began, and not what came after it.
    assert before <= len(people) < written


def test_restore_finds_everything_with_cache_and_sessions_on_redis(settings, tmp_path):
    """The backup/restore test again, the platform's cache and sessions in Redis (as in production)."""
    client = redis_db.empty_redis()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_db.URL}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    try:
        test_backup.test_restore_into_an_empty_database_finds_everything(settings, tmp_path)
    finally:
        client.flushdb()
        client.close()
