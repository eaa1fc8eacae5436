from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries.services import NotifyResult, notify_staff, pending_notifications


class Command(BaseCommand):
    help = (
        "E-mail staff about new inquiries they have not been told about yet (for example "
        "because the mail server was down). Safe to run from cron, even overlapping: each "
        "inquiry is claimed before sending, so nobody gets the same e-mail twice."
    )

    def handle(self, *args, **options) -> None:
        pending_ids = list(pending_notifications().order_by("pk").values_list("pk", flat=True))
        if not settings.INQUIRY_NOTIFY_EMAILS:
            self.stdout.write(
                f"INQUIRY_NOTIFY_EMAILS is empty: nobody to e-mail. "
                f"{len(pending_ids)} new inquiries have not been e-mailed."
            )
            return
        results = Counter(notify_staff(pk) for pk in pending_ids)
        sent, failed = results[NotifyResult.SENT], results[NotifyResult.FAILED]
        self.stdout.write(f"Sent {sent} notifications, {failed} failed.")
        if failed:
            # A non-zero exit makes cron report it; the failed ones are retried next run.
            raise CommandError(f"{failed} notifications could not be sent; see the log.")
