from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles.review import notices as editor_notices


class Command(BaseCommand):
    help = (
        "E-mail editors whose changes a clinical reviewer sent back (article title, the "
        "reviewer's comment, a link to the admin). Run it every minute "
        "(deploy/clinic-notify-editors.timer): the reviewer's request never sends mail. Safe "
        "to run overlapping: each e-mail is claimed for a lease before sending."
    )

    def handle(self, *args, **options) -> None:
        pending = list(editor_notices.claimable().order_by("pk").values_list("pk", flat=True))
        results = Counter(editor_notices.send_sent_back_email(pk) for pk in pending)
        sent, failed = results[editor_notices.SENT], results[editor_notices.FAILED]
        self.stdout.write(f"Sent {sent} e-mails about changes sent back, {failed} failed.")
        if results[editor_notices.NO_ADDRESS]:
            self.stdout.write(
                self.style.WARNING(
                    f"{results[editor_notices.NO_ADDRESS]} editor(s) could not be told by "
                    "e-mail: their staff account has no e-mail address (they still see it "
                    "on their admin home page). Add one under Users."
                )
            )
        if failed:
            # A non-zero exit makes the timer report it; the failed ones are retried next run.
            raise CommandError(f"{failed} e-mails could not be sent; see the log.")
