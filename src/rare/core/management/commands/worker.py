"""`rare worker`: runs background tasks (notifications, fan-out, exports) until stopped."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background task worker for the configured task backend."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", help="Queue to work on (repeatable).")
        parser.add_argument("--batch", action="store_true", help="Run the tasks waiting now, then exit.")

    def handle(self, *args, queues=None, batch=False, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        queue_names = queues or settings.TASKS["default"].get("QUEUES", ["default"])
        if backend.startswith("django_tasks_db"):
            call_command(
                "db_worker",
                queue_name=",".join(queue_names),
                batch=batch,
                reload=False,
                interval=1.0,
                verbosity=options["verbosity"],
            )
            return
        raise CommandError(f"No worker is known for the task backend {backend!r}.")
