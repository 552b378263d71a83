"""`rare backup`: write an encrypted backup of the database and the uploaded files (see rare.core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rare.core import audit, backup


class Command(BaseCommand):
    help = "Write an encrypted backup of every table and uploaded file to one file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (never overwritten). Default: RARE_DATA_DIR/backups/rare-<time>.rarebackup",
        )

    def handle(self, *args, output=None, **options):
        if output:
            path = Path(output)
        else:
            folder = Path(settings.DATA_DIR) / "backups"
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = folder / f"rare-{timezone.now():%Y%m%d-%H%M%S}.rarebackup"
        if path.exists():
            raise CommandError(f"{path} exists already; choose another file.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        verbose = options.get("verbosity", 1) > 1
        report = backup.backup_to(path, progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None)
        audit.record("backup.created", rows=report.total_rows, files=report.files)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {report.total_rows} rows and {report.files} uploaded files to {path}")
        )
