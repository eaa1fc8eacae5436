"""E-mail each medical reviewer the articles whose review is overdue or due soon, and the
overdue ones to REVIEW_ESCALATION_EMAILS.

Safe to run from cron at any time: each recipient gets at most one reminder a day (claimed
in the database before sending, so two overlapping runs do not both send). The e-mails
name articles and dates and link to the admin; they never carry an article's text, and
nothing about patients.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import REVIEW_WARNING_DAYS, Article, ReviewReminder, ReviewState, Status
from articles.review import published_by_review_state

DATE_STYLE = "F j, Y"


class Command(BaseCommand):
    help = (
        f"E-mail reviewers the articles whose medical review is overdue or due within "
        f"{REVIEW_WARNING_DAYS} days, and the overdue ones to REVIEW_ESCALATION_EMAILS. "
        "At most one e-mail per recipient a day."
    )

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        due = reviews_due(today)
        overdue = [a for a in due if a.next_review_due < today]
        failed = 0
        by_reviewer: dict = defaultdict(list)
        for article in due:
            by_reviewer[article.reviewer].append(article)
        for clinician, articles in sorted(by_reviewer.items(), key=lambda item: item[0].name):
            address = clinician.user.email if clinician.user_id and clinician.user else ""
            if not address:
                self.stdout.write(
                    self.style.WARNING(
                        f"{clinician.name} has {len(articles)} review(s) due but no staff "
                        "account with an e-mail address: link one under Clinicians."
                    )
                )
                continue
            failed += not self.send(
                address, "reviewer", articles, reviewer_message(clinician, articles, today)
            )
        for address in settings.REVIEW_ESCALATION_EMAILS:
            if overdue:
                failed += not self.send(
                    address, "escalation", overdue, escalation_message(overdue, today)
                )
        never = len(published_by_review_state(today)[ReviewState.NOT_REVIEWED])
        self.stdout.write(
            f"{len(due)} article(s) due for review within {REVIEW_WARNING_DAYS} days "
            f"({len(overdue)} overdue); {never} published article(s) not yet reviewed."
        )
        if failed:
            raise CommandError(f"{failed} reminder(s) could not be sent; see the log.")

    def send(self, address: str, kind: str, articles: list, message: tuple[str, str]) -> bool:
        """Claim today's reminder for this address, then send it; False if sending failed."""
        try:
            with transaction.atomic():
                claim = ReviewReminder.objects.create(
                    recipient=address,
                    kind=kind,
                    sent_on=timezone.localdate(),
                    article_count=len(articles),
                )
        except IntegrityError:
            self.stdout.write(f"Already reminded {address} today ({kind}).")
            return True
        subject, body = message
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # the mail server is down: free the claim so the next run retries
            claim.delete()
            self.stderr.write(f"Could not send the {kind} reminder to {address}.")
            return False
        self.stdout.write(f"Sent the {kind} reminder to {address} ({len(articles)} article(s)).")
        return True


def reviews_due(today: datetime.date) -> list[Article]:
    """Published articles whose current text was reviewed and whose next review is overdue
    or due within REVIEW_WARNING_DAYS days, soonest first."""
    horizon = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    candidates = (
        Article.objects.filter(status=Status.PUBLISHED, next_review_due__lte=horizon)
        .with_review_on_record()
        .select_related("reviewer", "reviewer__user")
        .order_by("next_review_due", "title")
    )
    return [article for article in candidates if article.review_is_current]


def admin_link(article: Article) -> str:
    return settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])


def when(article: Article, today: datetime.date) -> str:
    due = date_format(article.next_review_due, DATE_STYLE)
    return f"overdue since {due}" if article.next_review_due < today else f"due {due}"


def reviewer_message(clinician, articles: list[Article], today: datetime.date) -> tuple[str, str]:
    lines = [f"- {a.title} ({when(a, today)})\n  {admin_link(a)}" for a in articles]
    body = (
        f"Hello {clinician.name},\n\n"
        f"These articles you reviewed are overdue for their medical review or due within "
        f"{REVIEW_WARNING_DAYS} days:\n\n" + "\n".join(lines) + "\n\n"
        "Open each one in the admin, check the text, and tick “Record my clinical review "
        "of this text” when you save it.\n"
    )
    return f"Medical review due for {len(articles)} article(s)", body


def escalation_message(overdue: list[Article], today: datetime.date) -> tuple[str, str]:
    lines = [
        f"- {a.title}: reviewed by {a.reviewer.name}, {when(a, today)}\n  {admin_link(a)}"
        for a in overdue
    ]
    body = (
        "These published articles are overdue for their medical review. Each one says "
        "“This article is due for review.” on the site until a clinician reviews it.\n\n"
        + "\n".join(lines)
        + "\n"
    )
    return f"Overdue medical reviews: {len(overdue)} article(s)", body
