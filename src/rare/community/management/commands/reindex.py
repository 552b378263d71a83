"""`rare reindex`: rebuild the directory's full-text index (after bulk imports or a restore)."""

from django.core.management.base import BaseCommand

from rare.community.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of the directory (people and organisations)."

    def handle(self, *args, **options):
        people, organisations = rebuild_index()
        self.stdout.write(f"Indexed {people} people and {organisations} organisations.")
