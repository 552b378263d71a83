"""`rare worker`: runs background tasks (notifications, fan-out, exports) and periodic jobs until stopped.

The task worker runs in the main thread; the scheduler (`rare.core.scheduling`) runs in a daemon
thread beside it and starts due periodic jobs about every 30 seconds. Any number of workers may run:
each periodic job still runs once per period. SIGINT or SIGTERM stop both cleanly.

With the database backend the task worker is django-tasks-db's `db_worker`. With the Redis backend
(RARE_TASK_BACKEND=rq) it is an RQ worker (`rare.core.rq_workers`): SIGINT or SIGTERM let the job in
hand finish and then stop; a second signal stops at once. A job lost with a worker that died is not
retried by RQ: the notification tasks keep their state in the database and the periodic sweep
restarts them (see `rare.core.notifications`).
"""

from __future__ import annotations

import logging
import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from rare.core import scheduling
from rare.core.rq_workers import FORK_GUARD

log = logging.getLogger("rare.core.scheduling")


class SchedulerLoop(threading.Thread):
    """Calls `run_due_jobs()` every `interval` seconds until `stop` is set."""

    def __init__(self, *, interval: float, stop: threading.Event):
        super().__init__(name="rare-scheduler", daemon=True)
        self.interval = interval
        self.stop = stop

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                tick()
                self.stop.wait(self.interval)
        finally:
            connection.close()


def tick() -> list[str]:
    with FORK_GUARD:  # an RQ worker does not fork while this thread talks to the database
        close_old_connections()
        try:
            return scheduling.run_due_jobs()
        except Exception:  # the database may be away for a moment; try again at the next tick
            log.exception("scheduler: could not check the periodic jobs")
            return []
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run the background task worker and the scheduler of periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", help="Queue to work on (repeatable).")
        parser.add_argument(
            "--batch", action="store_true", help="Start the due periodic jobs, run the tasks waiting now, then exit."
        )
        parser.add_argument("--no-scheduler", action="store_true", help="Do not start periodic jobs from this worker.")
        parser.add_argument(
            "--scheduler-only",
            action="store_true",
            help="Only start periodic jobs (for task backends whose workers run elsewhere, such as Redis).",
        )
        parser.add_argument(
            "--scheduler-interval", type=float, default=30.0, help="Seconds between checks for due jobs (default 30)."
        )
        parser.add_argument(
            "--rq-worker",
            choices=["fork", "in-process"],
            default="fork",
            help="With the Redis queue (RARE_TASK_BACKEND=rq): run each job in a forked child (default) or in-process.",
        )
        parser.add_argument("--name", help="With the Redis queue: the worker's name in RQ (default: a random one).")

    def handle(
        self,
        *args,
        queues=None,
        batch=False,
        no_scheduler=False,
        scheduler_only=False,
        scheduler_interval=30.0,
        **options,
    ):
        if no_scheduler and scheduler_only:
            raise CommandError("--no-scheduler and --scheduler-only exclude each other.")
        if scheduler_interval <= 0:
            raise CommandError("--scheduler-interval must be positive.")
        if scheduler_only:
            self._scheduler_in_foreground(scheduler_interval, once=batch)
            return
        backend = settings.TASKS["default"]["BACKEND"]
        redis_queue = backend.startswith("django_tasks_rq")
        if not backend.startswith("django_tasks_db") and not redis_queue:
            raise CommandError(f"No worker is known for the task backend {backend!r}.")
        queue_names = queues or settings.TASKS["default"].get("QUEUES", ["default"])
        if redis_queue:
            unknown = sorted(set(queue_names) - set(settings.RQ_QUEUES))
            if unknown:
                raise CommandError(f"Unknown queue(s): {', '.join(unknown)}.")
        if batch and not no_scheduler:
            started = tick()
            if started and options["verbosity"]:
                self.stdout.write(f"Started periodic jobs: {', '.join(started)}")
        stop = threading.Event()
        loop = None
        if not batch and not no_scheduler:
            loop = SchedulerLoop(interval=scheduler_interval, stop=stop)
            loop.start()
        handlers = _signal_handlers()
        try:
            if redis_queue:
                self._rq_worker(
                    queue_names,
                    batch=batch,
                    kind=options["rq_worker"],
                    name=options["name"],
                    verbosity=options["verbosity"],
                )
                return
            call_command(
                "db_worker",
                queue_name=",".join(queue_names),
                batch=batch,
                reload=False,
                interval=1.0,
                startup_delay=not batch,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
            if loop is not None:
                loop.join(timeout=10)
            _restore(handlers)

    def _rq_worker(self, queue_names, *, batch, kind, name, verbosity) -> None:
        """Work on the Redis queues until SIGINT/SIGTERM (RQ lets the job in hand finish first)."""
        from redis.exceptions import ConnectionError as RedisConnectionError

        from rare.core.rq_workers import make_worker

        level = "DEBUG" if verbosity >= 2 else "WARNING" if verbosity == 0 else "INFO"
        try:
            worker = make_worker(queue_names, kind=kind, name=name)
            # with_scheduler: RQ's own scheduler moves deferred tasks (run_after) to their queue.
            worker.work(burst=batch, with_scheduler=True, logging_level=level)
        except RedisConnectionError as error:
            raise CommandError(f"The task queue in Redis cannot be reached: {error}") from error

    def _scheduler_in_foreground(self, interval: float, *, once: bool) -> None:
        stop = threading.Event()

        def shutdown(signum, frame):
            stop.set()

        previous = _signal_handlers()
        for sig in previous:
            signal.signal(sig, shutdown)
        try:
            while not stop.is_set():
                started = tick()
                if started:
                    self.stdout.write(f"Started periodic jobs: {', '.join(started)}")
                if once:
                    break
                stop.wait(interval)
        finally:
            _restore(previous)


def _signal_handlers() -> dict:
    signals = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGQUIT"):
        signals.append(signal.SIGQUIT)
    return {sig: signal.getsignal(sig) for sig in signals}


def _restore(handlers: dict) -> None:
    for sig, handler in handlers.items():
        signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
