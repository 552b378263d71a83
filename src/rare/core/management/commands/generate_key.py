"""`rare generate-key`: prints a new random key for RARE_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from rare.core.config import new_encryption_key


class Command(BaseCommand):
    help = "Print a new random 256-bit key for RARE_ENCRYPTION_KEYS (URL-safe base64)."

    def handle(self, *args, **options):
        self.stdout.write(new_encryption_key())
