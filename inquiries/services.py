"""Saving an inquiry and telling staff about it.

The order matters: the inquiry is saved first, and staff are e-mailed only after the
transaction has committed. A mail server that is down therefore never loses or refuses an
inquiry: it stays saved with `notified_at` empty, and `manage.py notify_inquiries` (cron)
sends what is still pending.

Nothing a patient wrote goes into the e-mail or any log line: only the inquiry's number
and a link to it in the admin, where access is controlled and recorded.
"""

import logging
from enum import Enum
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .crisis import suggests_crisis
from .models import Inquiry

logger = logging.getLogger(__name__)


class NotifyResult(Enum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # Already sent, being sent by another process, or not needed.


def create_inquiry(
    *,
    name: str,
    email: str,
    phone: str,
    preferred_contact: str,
    topic: str,
    message: str,
    consent: bool,
    source_page: str = "",
    spam_reason: str = "",
) -> Inquiry:
    """Save an inquiry; e-mail staff once it is safely committed (unless it looks like spam)."""
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            name=name,
            email=email,
            phone=phone,
            preferred_contact=preferred_contact,
            topic=topic,
            message=message,
            consent=consent,
            source_page=source_page,
            spam_reason=spam_reason,
            # The message itself is stored exactly as sent; only this flag is added.
            urgent=suggests_crisis(message),
            status=Inquiry.Status.SPAM if spam_reason else Inquiry.Status.NEW,
        )
        if not spam_reason:
            transaction.on_commit(partial(notify_staff, inquiry.pk))
    return inquiry


def pending_notifications():
    """New inquiries staff have not been e-mailed about (spam is never e-mailed)."""
    return Inquiry.objects.filter(notified_at__isnull=True, status=Inquiry.Status.NEW)


def notify_staff(inquiry_id: int) -> NotifyResult:
    """E-mail INQUIRY_NOTIFY_EMAILS that inquiry `inquiry_id` arrived. Never raises.

    The inquiry is claimed first with UPDATE ... WHERE notified_at IS NULL, which only one
    process can win, so the form's on-commit hook and two overlapping cron runs never send
    the same notification twice. If sending fails the claim is released for the next run.
    (A process killed between claim and send loses only the e-mail: the inquiry is still
    "New" and counted on the admin home page.)
    """
    recipients = settings.INQUIRY_NOTIFY_EMAILS
    if not recipients:
        return NotifyResult.SKIPPED
    claimed_at = timezone.now()
    claimed = pending_notifications().filter(pk=inquiry_id).update(notified_at=claimed_at)
    if not claimed:
        return NotifyResult.SKIPPED
    urgent = Inquiry.objects.filter(pk=inquiry_id, urgent=True).exists()
    try:
        send_mail(
            subject=notification_subject(urgent),
            message=notification_body(inquiry_id, urgent),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:
        # Any failure (SMTP down, DNS, a bad address...) must not reach the visitor.
        Inquiry.objects.filter(pk=inquiry_id, notified_at=claimed_at).update(notified_at=None)
        logger.warning(
            "Could not e-mail staff about inquiry %s; notify_inquiries will retry.",
            inquiry_id,
            exc_info=True,
        )
        return NotifyResult.FAILED
    logger.info("E-mailed staff about inquiry %s.", inquiry_id)
    return NotifyResult.SENT


def notification_subject(urgent: bool) -> str:
    """The e-mail's subject: says whether it is urgent, never what the person wrote."""
    if urgent:
        return "URGENT: new inquiry from the website may be about a crisis"
    return "New inquiry from the website"


def notification_body(inquiry_id: int, urgent: bool = False) -> str:
    link = settings.SITE_URL + reverse("admin:inquiries_inquiry_change", args=[inquiry_id])
    flag = (
        "The website flagged it as URGENT: the message may be about a crisis or thoughts of "
        "self-harm. Please read it and reach out to the person first.\n\n"
        if urgent
        else ""
    )
    return (
        "A new inquiry arrived through the website's contact form.\n\n"
        f"{flag}"
        f"Open it here (staff sign-in required):\n{link}\n\n"
        "For privacy, this e-mail does not include what the person wrote.\n"
    )
