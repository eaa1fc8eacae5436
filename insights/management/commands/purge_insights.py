from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from insights.models import FeedbackComment, FeedbackRateLimitHit, SearchDay


class Command(BaseCommand):
    help = (
        "Delete page comments and search texts older than INSIGHTS_RETENTION_DAYS (daily "
        "page-view and yes/no counts, which hold no text, are kept). Run it daily from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.INSIGHTS_RETENTION_DAYS
        cutoff = timezone.localdate() - timedelta(days=days)
        comments = FeedbackComment.objects.filter(day__lt=cutoff)
        search_rows = SearchDay.objects.filter(day__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"Would delete {comments.count()} comments and {search_rows.count()} "
                f"daily search counts older than {days} days."
            )
            return
        deleted_comments, _ = comments.delete()
        deleted_searches, _ = search_rows.delete()
        # Rate-limit counts are only needed for the current window; a day is plenty.
        FeedbackRateLimitHit.objects.filter(
            window_start__lt=timezone.now() - timedelta(days=1)
        ).delete()
        self.stdout.write(
            f"Deleted {deleted_comments} comments and {deleted_searches} daily search counts "
            f"older than {days} days."
        )
