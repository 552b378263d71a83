"""Shared parts of the fan-out fault tests: members, a real SMTP server that kills a worker half-way,
the database the worker processes reach, and the final count of what everyone received.

Used by tests/core/test_notification_fanout.py (database task backend) and
tests/core/test_notification_fanout_rq.py (Redis task backend, two RQ workers).
"""

from __future__ import annotations

import collections
import contextlib
import email
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    """An SMTP handler that keeps every accepted message and, at the half-way mark, calls `kill` (if any).

    `kill(peer)` gets the (host, port) of the client whose message is being received; it must kill the
    sender before it returns, so that sender never gets an answer to this message.
    """

    def __init__(self, kill: Callable[[tuple], subprocess.Popen] | None):
        self.kill = kill
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []
        self.victim: subprocess.Popen | None = None
        self.killing = threading.Event()  # set just before the kill, so the test never sees a death it did not cause
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.kill is not None and len(self.received) >= KILL_AFTER and not self.killed.is_set():
                # The sender now waits for our answer to this message: kill it before it gets one.
                self.killing.set()
                self.victim = self.kill(session.peer)
                self.killed.set()
                return "451 Try again later"
            message = email.message_from_bytes(envelope.content)
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, message["Message-ID"]))
        return "250 Message accepted for delivery"


@dataclass
class Scenario:
    """1,000 members, a duty officer, an outsider and a members-only alert about to be verified."""

    members: list
    officer: Person
    outsider: User
    alert: object

    @property
    def addresses(self) -> list[str]:
        return [m.email for m in self.members] + [self.officer.user.email]

    def verify_alert(self) -> None:
        """The real service: on commit it queues the fan-out with the task backend in use."""
        services.verify_alert(
            alert=self.alert, officer=self.officer.user, reasons="Checked.", checked_sources=self.alert.source_lines
        )


def make_members(programme, count):
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


def members_and_alert(count: int = MEMBERS) -> Scenario:
    programme = ProgrammeFactory()
    members = make_members(programme, count)
    officer = PersonFactory(user=UserFactory(email="officer@example.org"))
    MembershipFactory(programme=programme, person=officer, role=Membership.Role.DUTY_OFFICER)
    outsider = UserFactory(email="outsider@example.org")  # an account without a role: told nothing
    alert = AlertFactory(visibility=Visibility.MEMBERS)
    return Scenario(members=members, officer=officer, outsider=outsider, alert=alert)


def verified_alert_for_members(count: int = MEMBERS) -> Scenario:
    scenario = members_and_alert(count)
    scenario.verify_alert()
    return scenario


def database_url(tmp_path) -> tuple[str, Callable]:
    """The address the workers use, and a function that runs a read-only SQL query on that database.

    On SQLite the test database lives in memory, where a second process cannot reach it: it is copied
    to a file (SQLite's backup API) once the data is in, and the workers use that file.
    """
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp(inbox: Inbox) -> tuple[Controller, int]:
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    return smtp, port


def worker_env(*, database: str, smtp_port: int, **extra: str) -> dict[str, str]:
    """The environment of a worker process: the test's database and secrets, short leases and sweeps."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "RARE_ENCRYPTION_KEYS": ",".join(settings.RARE_ENCRYPTION_KEYS),
        "RARE_NOTIFY_LEASE_SECONDS": "3",
        "RARE_NOTIFY_SWEEP_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start_worker(env, log, *extra_args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own command, arguments from the tests
        [sys.executable, "-m", "rare", "worker", "--scheduler-interval", "1", "--queue", "notifications", *extra_args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_killed(inbox: Inbox, workers: list[subprocess.Popen], deadline: float, log_path: Path) -> None:
    """Wait for the half-way kill, failing early if a worker dies on its own."""
    while not inbox.killed.wait(0.1):
        assert time.monotonic() < deadline, "no worker ever reached half way"
        for worker in workers:
            assert worker.poll() is None or inbox.killing.is_set(), log_path.read_text()[-3000:]
    assert inbox.victim.returncode == -signal.SIGKILL
    assert KILL_AFTER <= len(inbox.received) < MEMBERS + 1


def wait_until_all_sent(inbox: Inbox, query, expected: int, deadline: float, log_path: Path) -> None:
    while True:
        sent = query("SELECT COUNT(*) FROM core_delivery WHERE email_state = 'sent'")[0][0]
        if sent >= expected and len(inbox.received) >= expected:
            break
        assert time.monotonic() < deadline, f"{sent} of {expected} sent; log:\n{log_path.read_text()[-3000:]}"
        time.sleep(0.2)
    time.sleep(1)  # anything sent twice would arrive now


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Linux /proc), parents before children."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(process_tree(int(child)))
    return found


def stop(workers: list[subprocess.Popen]) -> None:
    """Kill the workers and whatever they forked (an RQ worker's job and scheduler processes)."""
    for worker in workers:
        if worker.poll() is None:
            for pid in process_tree(worker.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            worker.wait(timeout=10)


def assert_each_told_exactly_once(scenario: Scenario, inbox: Inbox, query) -> None:
    """One email per member (none for the outsider), one delivery row each, all sent; the emails the
    killed sender had claimed were claimed a second time by another."""
    addresses = scenario.addresses
    per_address = collections.Counter(recipient for recipient, _msgid in inbox.received)
    assert sorted(per_address) == sorted(addresses)
    assert set(per_address.values()) == {1}
    assert per_address[scenario.outsider.email] == 0
    assert len({msgid for _recipient, msgid in inbox.received}) == len(addresses)

    rows = query("SELECT recipient_id, email_state, attempts FROM core_delivery")
    assert len(rows) == len(addresses)
    assert collections.Counter(r[0] for r in rows).most_common(1)[0][1] == 1
    assert {r[1] for r in rows} == {"sent"}
    assert max(r[2] for r in rows) == 2
