"""`rare up` (what `make run` calls): migrate, load the demo once, serve it with a task worker.

Ctrl-C stops the web server and the worker together. Running it again keeps the data.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the demo programme if it is not there, and serve it with a task worker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port to serve on.")
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo programme.")

    def handle(self, *args, addr: str, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        if not no_demo:
            call_command("demo", verbosity=1, stdout=self.stdout)
        rare = [sys.executable, "-m", "rare"]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        # Installed before the children start: a signal our parent ignored (a shell's background job
        # ignores Ctrl-C) would otherwise stay ignored in them, and Ctrl-C could not stop the server.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        children = [
            subprocess.Popen([*rare, "worker"]),  # noqa: S603 - our own command
            subprocess.Popen([*rare, "runserver", addr, "--noreload", "--skip-checks"]),  # noqa: S603
        ]
        self.stdout.write(
            self.style.SUCCESS(f"\nRARE is running on http://{addr}/ (task worker started). Press Ctrl-C to stop.")
        )
        if not settings.PRODUCTION:
            self.stdout.write("Demo accounts (password from RARE_DEMO_PASSWORD):")
            from rare.demo.data import DEMO_ACCOUNTS

            for email, role in DEMO_ACCOUNTS:
                self.stdout.write(f"  {email:<28} {role}")
            self.stdout.write(f"  password: {settings.RARE_DEMO_PASSWORD}")
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.3)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Stopped the web server and the task worker.")
        failed = [c for c in children if c.returncode not in (0, -signal.SIGINT, None) and not stopping]
        if failed:
            sys.exit(1)
