"""Review reminders and the content report."""

import datetime
from io import StringIO

from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from articles.models import Status
from clinic.models import Clinician
from tests.reviewing import sign_off

# --- Reminders -------------------------------------------------------------------------


def test_review_reminders_go_to_each_reviewer_and_overdue_ones_to_escalation(
    reviewer, make_article, settings
):
    settings.REVIEW_ESCALATION_EMAILS = ["director@example.com"]
    grace = reviewer.clinician
    other_user = User.objects.create_user("ben", email="ben@example.com")
    ben = Clinician.objects.create(name="Dr Ben Other", credentials="DO", user=other_user)
    today = timezone.localdate()
    body = "A secret sentence from the body.\n"
    sign_off(
        make_article(title="Overdue A", body=body), grace, next_due=today - datetime.timedelta(1)
    )
    sign_off(
        make_article(title="Soon B", body=body), grace, next_due=today + datetime.timedelta(30)
    )
    sign_off(
        make_article(title="Later C", body=body), grace, next_due=today + datetime.timedelta(31)
    )
    sign_off(make_article(title="Soon D", body=body), ben, next_due=today + datetime.timedelta(3))
    draft = sign_off(make_article(title="Draft E", status=Status.DRAFT), grace, next_due=today)
    assert draft.status == Status.DRAFT

    call_command("review_reminders", stdout=StringIO())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"grace@example.com", "ben@example.com", "director@example.com"}
    grace_mail = by_recipient["grace@example.com"].body
    assert "Overdue A" in grace_mail and "Soon B" in grace_mail
    assert (
        "Later C" not in grace_mail and "Soon D" not in grace_mail and "Draft E" not in grace_mail
    )
    assert "/admin/articles/article/" in grace_mail
    assert "Soon D" in by_recipient["ben@example.com"].body
    escalation = by_recipient["director@example.com"].body
    assert "Overdue A" in escalation and "Soon B" not in escalation
    for message in mail.outbox:
        assert "secret sentence" not in message.body
        assert "@" not in message.body.replace(settings.SITE_URL, "")  # no one's address

    # Safe from cron: a second run the same day sends nothing again.
    call_command("review_reminders", stdout=StringIO())
    assert len(mail.outbox) == 3


def test_content_report_flags_never_reviewed_articles(make_article, live_article):
    make_article(slug="unreviewed-one")
    out = StringIO()
    call_command("content_report", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.strip()}
    assert "never reviewed" in lines["unreviewed-one"]
    assert "never reviewed" not in lines["after-treatment"]
