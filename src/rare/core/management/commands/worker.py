"""`rare worker`: runs background tasks (notifications, fan-out, exports) and periodic jobs until stopped.

The task worker runs in the main thread; the scheduler (`rare.core.scheduling`) runs in a daemon
thread beside it and starts due periodic jobs about every 30 seconds. Any number of workers may run:
each periodic job still runs once per period. SIGINT or SIGTERM stop both cleanly.
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
        if not backend.startswith("django_tasks_db"):
            raise CommandError(f"No worker is known for the task backend {backend!r}.")
        queue_names = queues or settings.TASKS["default"].get("QUEUES", ["default"])
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
