"""The fan-out survives a worker killed halfway: 1,000 members, each told exactly once.

The real worker (`rare worker`) runs as a subprocess against the test database and sends through a
real SMTP server that this test starts (aiosmtpd). When half of the emails have arrived, the server
kills the worker with SIGKILL while it waits for the server's answer to the next message (so that
message was never accepted), then a new worker is started. The lease of the claimed emails runs out,
the sweep restarts the notice, and the new worker finishes. Each of the 1,000 members then has exactly
one in-app notice and one email. (A kill in the instant after the server's "250" and before the row
is marked sent would repeat that one email; `rare.core.notifications` explains that window and the
stable Message-ID that lets receivers drop the repeat.)

The members, the SMTP server and the checks are shared with the Redis version of this test
(`tests/fanout.py`, `test_notification_fanout_rq.py`).
"""

import signal
import time

import pytest

from tests import fanout


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_halfway_delivers_each_notice_exactly_once(tmp_path):
    # The real service: on commit it queues the fan-out in the database for the worker.
    scenario = fanout.verified_alert_for_members()
    database_url, query = fanout.database_url(tmp_path)

    workers = []

    def kill(peer):
        worker = workers[0]  # the only worker, and the one sending
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        return worker

    inbox = fanout.Inbox(kill)
    smtp, port = fanout.start_smtp(inbox)
    env = fanout.worker_env(database=database_url, smtp_port=port, RARE_TASK_BACKEND="django_tasks_db.DatabaseBackend")
    log_path = tmp_path / "worker.log"
    try:
        with open(log_path, "w") as log:
            workers.append(fanout.start_worker(env, log))
            deadline = time.monotonic() + fanout.TIMEOUT
            fanout.wait_until_killed(inbox, workers, deadline, log_path)
            workers.append(fanout.start_worker(env, log))
            fanout.wait_until_all_sent(inbox, query, len(scenario.addresses), deadline, log_path)
    finally:
        fanout.stop(workers)
        smtp.stop()

    fanout.assert_each_told_exactly_once(scenario, inbox, query)
