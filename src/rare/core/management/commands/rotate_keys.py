"""`rare rotate-keys`: re-encrypt everything encrypted at rest under the newest key.

Put a new key first in RARE_ENCRYPTION_KEYS (keep the old ones after it), restart, run this command,
and once it reports that everything is under the newest key, drop the old keys. Running it again
changes nothing; it can be interrupted and run again.
"""

from django.core.management.base import BaseCommand, CommandError

from rare.core import audit, crypto


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field, MFA secret and encrypted file under the newest key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.verbosity = options.get("verbosity", 1)
        keys = crypto.keyring()
        self.stdout.write(f"Newest key: {keys[0].key_id.hex()} ({len(keys)} key(s) configured).")
        totals = {"checked": 0, "rotated": 0}
        try:
            for model, fields in crypto.encrypted_fields():
                names = ", ".join(field.name for field in fields)
                self._run(
                    f"{model._meta.label} ({names})",
                    crypto.rotate_field_values(model, fields, batch_size=batch_size),
                    totals,
                )
            self._run("MFA secrets", crypto.rotate_mfa_secrets(batch_size=batch_size), totals)
            for storage in crypto.encrypted_storages():
                self._run(f"files in {storage.location}", self._rotate_files(storage, batch_size), totals)
        except crypto.DecryptionError as exc:
            raise CommandError(
                f"{exc} Nothing after this point was rotated; fix the keys and run the command again."
            ) from exc
        audit.record("keys.rotated", newest=keys[0].key_id.hex(), **totals)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {totals['rotated']} of {totals['checked']} re-encrypted. Everything is under the newest key; "
                "older keys can now be removed from RARE_ENCRYPTION_KEYS."
            )
        )

    def _run(self, label, batches, totals):
        checked = rotated = 0
        for batch_checked, batch_rotated in batches:
            checked += batch_checked
            rotated += batch_rotated
            if self.verbosity > 1:
                self.stdout.write(f"  {label}: {checked} checked, {rotated} re-encrypted so far")
        totals["checked"] += checked
        totals["rotated"] += rotated
        self.stdout.write(f"{label}: {checked} checked, {rotated} re-encrypted.")

    @staticmethod
    def _rotate_files(storage, batch_size):
        checked = rotated = 0
        for name in storage.sealed_names():
            checked += 1
            rotated += storage.rotate(name)
            if checked % batch_size == 0:
                yield checked, rotated
                checked = rotated = 0
        if checked:
            yield checked, rotated
