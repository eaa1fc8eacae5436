"""Index every article and FAQ entry for search afresh, and rebuild the typo vocabulary.

Saves keep the index current on their own; this is for rows changed without a save
(QuerySet.update(), bulk_create(), a restored backup from another database)."""

from django.core.management.base import BaseCommand

from foundation import content_version
from search.index import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the search index and the vocabulary typos are corrected from."

    def handle(self, *args, **options) -> None:
        rebuild_all()
        content_version.invalidate()  # workers drop the search results they kept
        self.stdout.write("Search index rebuilt.")
