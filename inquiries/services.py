"""Saving an inquiry and telling staff about it.

The mail server is never part of the patient's request. The request saves the inquiry and
answers at once; staff are e-mailed afterwards, by `manage.py notify_inquiries`, which a
systemd timer (or cron) runs every minute in production. In development
(INQUIRY_NOTIFY_AFTER_RESPONSE, on with DJANGO_DEBUG) a thread started once the inquiry is
committed sends it instead, so `scripts/run` needs no second command. A slow or dead mail
server therefore never holds a web worker, and never loses or refuses an inquiry: it stays
saved with `notified_at` empty until a sender gets it through.

Each notification is sent at least once. A sender first claims the inquiry for a lease
(INQUIRY_NOTIFY_LEASE_SECONDS): only one sender can hold a claim, so overlapping runs do not
send it twice; a sender that dies holding a claim (killed, out of memory, the machine
restarted) leaves a claim that expires, and the next run sends it. The price is a rare
duplicate (a sender that was only slow, past its lease), never a lost notification.

Nothing a patient wrote goes into the e-mail or any log line: only the inquiry's number
and a link to it in the admin, where access is controlled and recorded.
"""

import logging
import threading
from datetime import timedelta
from enum import Enum
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinic.crisis import suggests_crisis

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
    language: str = Inquiry.Language.ENGLISH,
    spam_reason: str = "",
    over_rate_limit: bool = False,
) -> Inquiry:
    """Save an inquiry. Staff are e-mailed outside this request (see the module's notes).

    An urgent inquiry (the message suggests a crisis) is e-mailed whatever else is true of
    it: flagged as spam, or sent over the rate limit (`over_rate_limit`, noted for staff).
    """
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
            language=language,
            spam_reason=spam_reason,
            over_rate_limit=over_rate_limit,
            # The message itself is stored exactly as sent; only this flag is added.
            urgent=suggests_crisis(message),
            status=Inquiry.Status.SPAM if spam_reason else Inquiry.Status.NEW,
        )
        if needs_notification(inquiry) and settings.INQUIRY_NOTIFY_AFTER_RESPONSE:
            transaction.on_commit(partial(notify_in_background, inquiry.pk))
    return inquiry


def notify_in_background(inquiry_id: int) -> threading.Thread:
    """Development: send from a thread of this process, after the response has gone."""
    thread = threading.Thread(
        target=_notify_and_close, args=(inquiry_id,), name=f"notify-{inquiry_id}", daemon=True
    )
    thread.start()
    return thread


def _notify_and_close(inquiry_id: int) -> None:
    try:
        notify_staff(inquiry_id)
    finally:
        connections.close_all()  # this thread's own connections


# Which inquiries staff are e-mailed about: every new one, and an urgent one even when it
# was flagged as spam (a person in crisis may paste a message within seconds). Plain spam
# never is. The two below must agree: one for a single inquiry, one for the table.
def needs_notification(inquiry: Inquiry) -> bool:
    return inquiry.status == Inquiry.Status.NEW or (
        inquiry.urgent and inquiry.status == Inquiry.Status.SPAM
    )


NEEDS_NOTIFICATION = Q(status=Inquiry.Status.NEW) | Q(urgent=True, status=Inquiry.Status.SPAM)


def pending_notifications():
    """Inquiries staff must be e-mailed about and have not been yet (see NEEDS_NOTIFICATION)."""
    return Inquiry.objects.filter(NEEDS_NOTIFICATION, notified_at__isnull=True)


def claimable_notifications(now=None):
    """Pending notifications no sender holds a live claim on."""
    now = now or timezone.now()
    return pending_notifications().filter(
        Q(notify_claimed_until__isnull=True) | Q(notify_claimed_until__lt=now)
    )


def notify_staff(inquiry_id: int) -> NotifyResult:
    """E-mail INQUIRY_NOTIFY_EMAILS that inquiry `inquiry_id` arrived. Never raises.

    The inquiry is claimed first with one UPDATE ... WHERE (no claim, or an expired one),
    which only one sender can win, for INQUIRY_NOTIFY_LEASE_SECONDS. Sent: `notified_at` is
    set. Failed: the claim is released for the next run. Died half-way: the claim expires.
    """
    recipients = settings.INQUIRY_NOTIFY_EMAILS
    if not recipients:
        return NotifyResult.SKIPPED
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.INQUIRY_NOTIFY_LEASE_SECONDS)
    claimed = (
        claimable_notifications(now).filter(pk=inquiry_id).update(notify_claimed_until=lease_until)
    )
    if not claimed:
        return NotifyResult.SKIPPED
    inquiry = Inquiry.objects.only("urgent", "status", "over_rate_limit").filter(pk=inquiry_id)
    inquiry = inquiry.first()
    if inquiry is None:  # deleted a moment ago (purge_inquiries)
        return NotifyResult.SKIPPED
    try:
        send_mail(
            subject=notification_subject(inquiry.urgent),
            message=notification_body(
                inquiry_id,
                inquiry.urgent,
                flagged_as_spam=inquiry.status == Inquiry.Status.SPAM,
                over_rate_limit=inquiry.over_rate_limit,
            ),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:
        # Any failure (SMTP down or slow, DNS, a bad address...): released for the next run.
        Inquiry.objects.filter(pk=inquiry_id, notify_claimed_until=lease_until).update(
            notify_claimed_until=None
        )
        logger.warning(
            "Could not e-mail staff about inquiry %s; notify_inquiries will retry.",
            inquiry_id,
            exc_info=True,
        )
        return NotifyResult.FAILED
    Inquiry.objects.filter(pk=inquiry_id).update(
        notified_at=timezone.now(), notify_claimed_until=None
    )
    logger.info("E-mailed staff about inquiry %s.", inquiry_id)
    return NotifyResult.SENT


def notification_subject(urgent: bool) -> str:
    """The e-mail's subject: says whether it is urgent, never what the person wrote."""
    if urgent:
        return "URGENT: new inquiry from the website may be about a crisis"
    return "New inquiry from the website"


def notification_body(
    inquiry_id: int,
    urgent: bool = False,
    *,
    flagged_as_spam: bool = False,
    over_rate_limit: bool = False,
) -> str:
    """What the e-mail says: the inquiry's number, its flags and a link; never its text."""
    link = settings.SITE_URL + reverse("admin:inquiries_inquiry_change", args=[inquiry_id])
    flags = []
    if urgent:
        flags.append(
            "The website flagged it as URGENT: the message may be about a crisis or thoughts "
            "of self-harm. Please read it and reach out to the person first."
        )
    if flagged_as_spam:
        flags.append(
            "The website also thought it might be automated (spam). It is e-mailed because "
            "it may be urgent, and it shows in the list of inquiries."
        )
    if over_rate_limit:
        flags.append(
            "It was sent when the person's connection had already sent the most messages "
            "the form accepts in a short time. It was kept because it may be urgent."
        )
    flag = "".join(f"{text}\n\n" for text in flags)
    return (
        "A new inquiry arrived through the website's contact form.\n\n"
        f"{flag}"
        f"Open it here (staff sign-in required):\n{link}\n\n"
        "For privacy, this e-mail does not include what the person wrote.\n"
    )
