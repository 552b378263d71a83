"""`rare demo`: load the demo programme (cohort 1) once; `--reset` loads it afresh."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rare.demo import loader


class Command(BaseCommand):
    help = "Load the demo programme modelled on RARE's first cohort. Does nothing if it is already loaded."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo programme, its people, organisations and accounts, then load them again "
            "(the public pages are kept, with any edits made to them).",
        )

    def handle(self, *args, reset: bool, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo creates accounts with a published password and does not run with RARE_ENV=production."
            )
        if not reset and loader.demo_loaded():
            self.stdout.write("Demo already loaded.")
            return
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                loader.remove_demo()
            summary = loader.load_demo(password=settings.RARE_DEMO_PASSWORD)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))
