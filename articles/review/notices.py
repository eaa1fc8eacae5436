"""Telling an editor that a clinical reviewer sent her change back.

She sees it on her admin home page ("Sent back to you", templatetags/sent_back.py) and
gets an e-mail. As for inquiries (inquiries/services.py), the mail server is never part
of the reviewer's request: sending a change back stores a SentBackEmail in the same
transaction, and `manage.py notify_editors` (a systemd timer, every minute) sends it. In
development (INQUIRY_NOTIFY_AFTER_RESPONSE, on with DJANGO_DEBUG) a thread started once
the send-back is committed sends it instead. Each e-mail is claimed for a lease before
sending, so overlapping senders do not both send it, and one whose sender died is retried.

The e-mail names the article, quotes the reviewer's comment (staff text about the
article, never about patients) and links to the admin. An e-mail not sent yet when the
editor has already revised or withdrawn her change is no longer sent.
"""

import logging
import threading
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..models import ChangeStatus, PendingChange, SentBackEmail
from .registry import spec_for
from .rules import display_name

logger = logging.getLogger(__name__)

SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"  # sent already, being sent by another sender, or no longer needed
NO_ADDRESS = "no address"  # the editor's account has no e-mail address


def queue_sent_back_email(change: PendingChange) -> SentBackEmail:
    """Store the e-mail in the caller's transaction; it is sent after the commit."""
    email = SentBackEmail.objects.create(change=change)
    if settings.INQUIRY_NOTIFY_AFTER_RESPONSE:
        transaction.on_commit(partial(send_in_background, email.pk))
    return email


def send_in_background(email_id: int) -> threading.Thread:
    """Development: send from a thread of this process, after the response has gone."""
    thread = threading.Thread(
        target=_send_and_close, args=(email_id,), name=f"sent-back-{email_id}", daemon=True
    )
    thread.start()
    return thread


def _send_and_close(email_id: int) -> None:
    try:
        send_sent_back_email(email_id)
    finally:
        connections.close_all()  # this thread's own connections


def unsent():
    """E-mails not sent yet about changes that are still sent back (not yet revised)."""
    return SentBackEmail.objects.filter(sent_at__isnull=True, change__status=ChangeStatus.SENT_BACK)


def claimable(now=None):
    now = now or timezone.now()
    return unsent().filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def send_sent_back_email(email_id: int) -> str:
    """Send one e-mail (SENT, FAILED, SKIPPED or NO_ADDRESS). Never raises.

    Claimed first with one UPDATE ... WHERE (no claim, or an expired one), which only one
    sender can win. Sent: `sent_at` is set. Failed: the claim is released for the next run.
    """
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.INQUIRY_NOTIFY_LEASE_SECONDS)
    if not claimable(now).filter(pk=email_id).update(claimed_until=lease_until):
        return SKIPPED
    email = SentBackEmail.objects.select_related(
        "change__content_type", "change__submitted_by", "change__decided_by"
    ).get(pk=email_id)
    address = email.change.submitted_by.email if email.change.submitted_by else ""
    if not address:
        # Nobody to write to: she still sees it on her admin home page. Left unclaimed, so
        # an address added later (the next run) gets it.
        release(email_id, lease_until)
        return NO_ADDRESS
    subject, body = message(email.change)
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
    except Exception:
        release(email_id, lease_until)
        logger.warning(
            "Could not e-mail the editor about sent-back change %s; notify_editors will retry.",
            email.change_id,
            exc_info=True,
        )
        return FAILED
    SentBackEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), claimed_until=None)
    logger.info("E-mailed the editor about sent-back change %s.", email.change_id)
    return SENT


def release(email_id: int, lease_until) -> None:
    SentBackEmail.objects.filter(pk=email_id, claimed_until=lease_until).update(claimed_until=None)


def message(change: PendingChange) -> tuple[str, str]:
    """The e-mail's subject and text: the item's title, who sent it back, their
    comment and a link to the item in the admin."""

    title = change.title
    noun = spec_for(change.model).noun
    link = settings.SITE_URL + where_to_revise(change)
    reviewer = display_name(change.decided_by) if change.decided_by else "A clinical reviewer"
    subject = f"Your change to “{title}” was sent back"
    body = (
        f"{reviewer} sent back your change to the {noun} “{title}”, with this comment:\n\n"
        f"{indented(change.comment)}\n\n"
        f"Open the {noun} to revise your change and send it for review again "
        f"(staff sign-in required):\n{link}\n\n"
        "Until a clinical reviewer approves a change, visitors see the approved text.\n"
    )
    return subject, body


def where_to_revise(change: PendingChange) -> str:
    """The admin page where the editor revises a sent-back change: the item's own page
    (it opens with her waiting version), or the change itself for a new item not added
    yet."""
    if change.object_id is None:
        return reverse("admin:articles_pendingchange_change", args=[change.pk])
    opts = change.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[change.object_id])


def sent_back_confirmation(change: PendingChange) -> str:
    """What the reviewer is told once she has sent a change back: how the editor hears."""

    editor = change.submitted_by
    name = display_name(editor) if editor else "The editor"
    noun = spec_for(change.model).noun
    where = f"Sent back. {name} sees your comment on their admin home page and on the {noun}"
    if editor is not None and editor.email:
        return f"{where}, and is e-mailed about it."
    return (
        f"{where}. Their account has no e-mail address, so they are not e-mailed: "
        "please let them know."
    )


def indented(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.strip().splitlines())
