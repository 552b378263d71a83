"""`rare restore FILE`: load an encrypted backup into a new, empty database (see rare.core.backup)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from rare.core import audit, backup


class Command(BaseCommand):
    help = "Restore a backup written by `rare backup` into a new, empty database (migrated first)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        call_command("migrate", interactive=False, verbosity=0)
        verbose = options.get("verbosity", 1) > 1
        try:
            with open(path, "rb") as source:
                report = backup.restore_from(
                    source, progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None
                )
        except backup.BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        call_command("reindex", verbosity=0)
        audit.record("backup.restored", rows=report.total_rows, files=report.files)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {report.total_rows} rows and {report.files} uploaded files from {path}")
        )
