from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from inquiries.models import Inquiry, RateLimitHit


class Command(BaseCommand):
    help = (
        "Delete inquiries older than INQUIRY_RETENTION_DAYS, with their access records. "
        "Run it daily from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.INQUIRY_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        expired = Inquiry.objects.filter(created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"Would delete {expired.count()} inquiries older than {days} days.")
            return
        _, per_model = expired.delete()
        deleted = per_model.get(Inquiry._meta.label, 0)
        # Rate-limit counts are only needed for the current window; a day is plenty.
        RateLimitHit.objects.filter(window_start__lt=timezone.now() - timedelta(days=1)).delete()
        self.stdout.write(f"Deleted {deleted} inquiries older than {days} days.")
