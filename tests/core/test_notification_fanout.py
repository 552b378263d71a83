"""The fan-out survives a worker killed halfway: 1,000 members, each told exactly once.

The real worker (`rare worker`) runs as a subprocess against the test database and sends through a
real SMTP server that this test starts (aiosmtpd). When half of the emails have arrived, the server
kills the worker with SIGKILL while it waits for the server's answer to the next message (so that
message was never accepted), then a new worker is started. The lease of the claimed emails runs out,
the sweep restarts the notice, and the new worker finishes. Each of the 1,000 members then has exactly
one in-app notice and one email. (A kill in the instant after the server's "250" and before the row
is marked sent would repeat that one email; `rare.core.notifications` explains that window and the
stable Message-ID that lets receivers drop the repeat.)

On SQLite the test database lives in memory, where a second process cannot reach it: the test copies
it to a file (SQLite's backup API) once the data is in, and the workers use that file.
"""

import collections
import email
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from rare.accounts.models import User
from rare.community.models import Organisation, Person
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from rare.solidarity import services
from tests.factories import AlertFactory, MembershipFactory, PersonFactory, ProgrammeFactory, UserFactory

MEMBERS = 1000
KILL_AFTER = MEMBERS // 2
TIMEOUT = 240  # seconds at most; about 20 on an idle machine, more on a busy shared one


class Inbox:
    """An SMTP handler that keeps every accepted message and kills the worker at the half-way mark."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []
        self.worker: subprocess.Popen | None = None
        self.killing = threading.Event()  # set just before the kill, so the test never sees a death it did not cause
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if len(self.received) >= KILL_AFTER and not self.killed.is_set():
                # The worker now waits for our answer to this message: kill it before it gets one.
                self.killing.set()
                self.worker.send_signal(signal.SIGKILL)
                self.worker.wait(timeout=10)
                self.killed.set()
                return "451 Try again later"
            message = email.message_from_bytes(envelope.content)
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, message["Message-ID"]))
        return "250 Message accepted for delivery"


def _make_members(programme, count):
    organisation = Organisation.objects.create(name="Fan-out Org", slug="fan-out-org", country="HU")
    users = User.objects.bulk_create(
        [User(email=f"fan{i}@example.org", name=f"Member {i}", password="!") for i in range(count)]
    )
    people = Person.objects.bulk_create(
        [
            Person(user=user, name=user.name, slug=f"fan-{i}", organisation=organisation, country="HU")
            for i, user in enumerate(users)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(programme=programme, person=person, role=Membership.Role.PARTICIPANT) for person in people]
    )
    return users


def _database_url(tmp_path) -> tuple[str, object]:
    """The address the workers use, and a function that runs a read-only SQL query on that database."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "fanout.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

        def query(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        return f"sqlite:///{path}", query

    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    url = f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"

    def query(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return url, query


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "rare", "worker", "--scheduler-interval", "1", "--queue", "notifications"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_halfway_delivers_each_notice_exactly_once(tmp_path):
    programme = ProgrammeFactory()
    members = _make_members(programme, MEMBERS)
    officer = PersonFactory(user=UserFactory(email="officer@example.org"))
    MembershipFactory(programme=programme, person=officer, role=Membership.Role.DUTY_OFFICER)
    outsider = UserFactory(email="outsider@example.org")  # an account without a role: told nothing
    alert = AlertFactory(visibility=Visibility.MEMBERS)

    # The real service: on commit it queues the fan-out in the database for the worker.
    services.verify_alert(alert=alert, officer=officer.user, reasons="Checked.", checked_sources=alert.source_lines)
    database_url, query = _database_url(tmp_path)

    inbox = Inbox()
    port = _free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "RARE_ENCRYPTION_KEYS": ",".join(settings.RARE_ENCRYPTION_KEYS),
        "RARE_NOTIFY_LEASE_SECONDS": "3",
        "RARE_NOTIFY_SWEEP_SECONDS": "2",
        "RARE_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "worker.log"
    workers = []
    try:
        with open(log_path, "w") as log:
            inbox.worker = _start_worker(env, log)
            workers.append(inbox.worker)
            deadline = time.monotonic() + TIMEOUT
            while not inbox.killed.wait(0.1):
                assert time.monotonic() < deadline, "the first worker never reached half way"
                assert inbox.worker.poll() is None or inbox.killing.is_set(), log_path.read_text()[-3000:]
            assert inbox.worker.returncode == -signal.SIGKILL
            halfway = len(inbox.received)
            assert KILL_AFTER <= halfway < MEMBERS + 1

            workers.append(_start_worker(env, log))
            expected = MEMBERS + 1  # the members and the duty officer
            while True:
                sent = query("SELECT COUNT(*) FROM core_delivery WHERE email_state = 'sent'")[0][0]
                if sent >= expected and len(inbox.received) >= expected:
                    break
                assert time.monotonic() < deadline, f"{sent} of {expected} sent; log:\n{log_path.read_text()[-3000:]}"
                time.sleep(0.2)
            time.sleep(1)  # anything sent twice would arrive now
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)
        smtp.stop()

    addresses = [m.email for m in members] + [officer.user.email]
    per_address = collections.Counter(recipient for recipient, _msgid in inbox.received)
    assert sorted(per_address) == sorted(addresses)
    assert set(per_address.values()) == {1}
    assert per_address[outsider.email] == 0
    assert len({msgid for _recipient, msgid in inbox.received}) == len(addresses)

    rows = query("SELECT recipient_id, email_state, attempts FROM core_delivery")
    assert len(rows) == len(addresses)
    assert collections.Counter(r[0] for r in rows).most_common(1)[0][1] == 1
    assert {r[1] for r in rows} == {"sent"}
    # The emails the killed worker had claimed but not finished were claimed again by the second one.
    assert max(r[2] for r in rows) == 2
