from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries.services import (
    NotifyResult,
    claimable_notifications,
    notify_staff,
    pending_notifications,
)


class Command(BaseCommand):
    help = (
        "E-mail staff about new inquiries (and urgent ones flagged as spam) they have not been "
        "told about yet. Run it every minute (deploy/clinic-notify.timer): the web request "
        "never sends mail itself. Safe "
        "to run overlapping: each inquiry is claimed for a lease before sending, and a claim "
        "left by a sender that died expires and is retried."
    )

    def handle(self, *args, **options) -> None:
        if not settings.INQUIRY_NOTIFY_EMAILS:
            self.stdout.write(
                f"INQUIRY_NOTIFY_EMAILS is empty: nobody to e-mail. "
                f"{pending_notifications().count()} new inquiries have not been e-mailed."
            )
            return
        # Urgent ones first (a possible crisis), then oldest first.
        pending = claimable_notifications().order_by("-urgent", "pk")
        pending_ids = list(pending.values_list("pk", flat=True))
        results = Counter(notify_staff(pk) for pk in pending_ids)
        sent, failed = results[NotifyResult.SENT], results[NotifyResult.FAILED]
        self.stdout.write(f"Sent {sent} notifications, {failed} failed.")
        if failed:
            # A non-zero exit makes cron report it; the failed ones are retried next run.
            raise CommandError(f"{failed} notifications could not be sent; see the log.")
