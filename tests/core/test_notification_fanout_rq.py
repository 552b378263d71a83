"""The fan-out survives a killed task worker with the Redis queue too: two RQ workers, one killed.

As in `test_notification_fanout.py` (1,000 members, a real SMTP server, SIGKILL half-way while the
sender waits for the server's answer), but the tasks travel through a real Redis (RARE_TASK_BACKEND=rq)
and two `rare worker` processes run side by side. The SMTP server finds the process on the other end
of the connection it is answering (the RQ work horse that runs `send_notice_emails`) and kills it and
its worker. Nobody starts a new worker: the other one, whose scheduler runs the sweep, must finish.

Redis is the database RARE_TEST_REDIS_URL (default redis://127.0.0.1:6379/5), emptied at the start.
Without a reachable Redis the test is skipped, except in CI (the variable CI is set), where it fails.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests import fanout, redis_db

REDIS_URL = redis_db.URL


@pytest.fixture
def redis_queue(settings):
    """An empty Redis database, and this process queueing into it (as the web processes would)."""
    client = redis_db.empty_redis()
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL} for name in django_settings.TASK_QUEUES}
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_rq.RQBackend"}}
    yield client
    client.flushdb()
    client.close()


def _socket_inode(local_port: int, remote_port: int) -> str | None:
    """The inode of the TCP socket 127.0.0.1:local_port -> 127.0.0.1:remote_port."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if int(local.rsplit(":", 1)[1], 16) == local_port and int(remote.rsplit(":", 1)[1], 16) == remote_port:
                return fields[9]
    return None


def _owner(pids: list[int], inode: str) -> int | None:
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


@pytest.mark.django_db(transaction=True)
def test_killing_one_of_two_rq_workers_halfway_delivers_each_notice_exactly_once(tmp_path, redis_queue):
    # The real service: on commit it queues the fan-out in Redis.
    scenario = fanout.verified_alert_for_members()
    assert redis_queue.llen("rq:queue:notifications") == 1
    database_url, query = fanout.database_url(tmp_path)

    workers = []
    sender = {}

    def kill(peer):
        """Kill the worker whose process (its forked work horse) is the client of this SMTP session."""
        inode = _socket_inode(peer[1], port)
        for worker in workers:
            tree = fanout.process_tree(worker.pid)
            owner = _owner(tree, inode) if inode else None
            if owner is None:
                continue
            sender.update(worker=worker, pid=owner, tree=tree)
            worker.send_signal(signal.SIGKILL)  # the worker first, so it cannot react to its horse's death
            for pid in tree[1:]:
                os.kill(pid, signal.SIGKILL)
            worker.wait(timeout=10)
            return worker
        raise AssertionError(f"no worker holds the SMTP connection from {peer}")

    inbox = fanout.Inbox(kill)
    smtp, port = fanout.start_smtp(inbox)
    env = fanout.worker_env(database=database_url, smtp_port=port, RARE_TASK_BACKEND="rq", REDIS_URL=REDIS_URL)
    env.pop("RARE_QUEUE_URL", None)
    log_path = tmp_path / "worker.log"
    try:
        with open(log_path, "w") as log:
            for name in ("rq-a", "rq-b"):
                workers.append(fanout.start_worker(env, log, "--name", name))
            deadline = time.monotonic() + fanout.TIMEOUT
            fanout.wait_until_killed(inbox, workers, deadline, log_path)
            survivor = next(w for w in workers if w is not inbox.victim)
            fanout.wait_until_all_sent(inbox, query, len(scenario.addresses), deadline, log_path)
            assert survivor.poll() is None, log_path.read_text()[-3000:]
    finally:
        fanout.stop(workers)
        smtp.stop()

    # The process that was sending was the killed worker's forked work horse; all of its processes are gone.
    assert sender["pid"] in sender["tree"][1:]
    for pid in sender["tree"]:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    fanout.assert_each_told_exactly_once(scenario, inbox, query)
