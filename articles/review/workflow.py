"""The steps of clinical review, as plain functions that return what happened.

- `submit`: an edit saved by someone. It goes live, or (an edit to a published article
  by an Editor, or with REQUIRE_MEDICAL_REVIEW on an unsigned text edit by a reviewer)
  it waits as the item's one open PendingChange; the public page keeps the live text.
- `approve`: a clinical reviewer puts a waiting change live. The review recorded covers
  exactly what was read: the change when the live text had a current review, else the
  whole text, which the reviewer must confirm she read.
- `send_back`: back to the editor with a comment. `withdraw`: the editor takes it back.

Each returns an `Outcome` whose `message` is written for the person who acted; a step
that may not be done raises `ReviewRefused` with the reason. Every state change of a
pending change is written into its `events`, in plain words.
"""

import copy
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from foundation import content_rendering

from ..models import Article, ChangeStatus, PendingChange, Status
from . import notices as editor_notices
from .registry import apply_values, content_type_of, pending_values, spec_for
from .rules import (
    NO_CLINICIAN_MESSAGE,
    ReviewRefused,
    can_publish,
    clinician_for,
    differs,
    display_name,
    keep_what_this_user_may_not_set,
    must_wait_for_review,
    publishing_refusal,
    text_differs,
)

# Outcome.result values.
SAVED = "saved"  # the save went through as it was (live, or a draft)
WAITING = "waiting"  # kept as a change waiting for clinical review
UNCHANGED = "unchanged"  # nothing differs from the live item
APPROVED = "approved"
SENT_BACK = "sent_back"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Outcome:
    """What a step did, and what to tell the person who did it."""

    result: str
    message: str
    item: object | None = None
    change: PendingChange | None = None
    warning: bool = False  # say it as a warning (the site does not show what they did)


def changes_to(item) -> "models.QuerySet[PendingChange]":
    """Every change ever made to this item, newest first."""
    return PendingChange.objects.filter(
        content_type=content_type_of(item), object_id=item.pk
    ).order_by("-submitted_at", "-pk")


def open_change(item) -> PendingChange | None:
    """The item's change that waits or was sent back (there is at most one)."""
    if item is None or item.pk is None:
        return None
    return changes_to(item).filter(status__in=OPEN_STATUSES).first()


def proposed(change: PendingChange):
    """The item as it would be if this change went live (not saved), rendered by its own
    model's renderer as its save renders it (foundation/content_rendering.py: an article
    with its References list and glossary links, an FAQ answer, a glossary entry, a page),
    so the preview and the comparison show exactly the HTML approval publishes."""
    item = change.live_item() or change.model()
    apply_values(item, change.values)
    content_rendering.render_item(item)
    return item


OPEN_STATUSES = (ChangeStatus.WAITING, ChangeStatus.SENT_BACK)


def continues(user, change: PendingChange) -> bool:
    """Whether this person's form starts from the open change rather than the live item:
    an Editor always (Editors share the waiting version), a reviewer only her own."""
    return not can_publish(user) or change.submitted_by_id == user.pk


def version_to_edit(item, user) -> PendingChange | None:
    """Put the open change's values on `item` if this person edits from it; the change.

    A reviewer opening an Editor's waiting change in the editor sees the live text, so
    her own save never carries the Editor's unreviewed text with it.
    """
    change = open_change(item)
    if change is not None and continues(user, change):
        apply_values(item, change.values)
    return change


def note(change: PendingChange, user, words: str) -> None:
    """Add one plain-words line to the change's history (saved by the caller)."""
    when = date_format(timezone.localtime(), "F j, Y, g:i a")
    change.events = [*change.events, f"{when}: {words} ({display_name(user)})"]


def check_may_sign_off(user) -> None:
    """Checked on the server whatever the form showed: only a reviewer with a clinician
    entry records a review."""
    if not can_publish(user):
        raise ReviewRefused("Only a clinical reviewer can record a clinical review.")
    if clinician_for(user) is None:
        raise ReviewRefused(NO_CLINICIAN_MESSAGE)


def submit(item, user, signs_off: bool = False) -> Outcome:
    """Save an edit of `item` (the values as the person left them) by `user`.

    Fields this person may not set are put back to their stored values first, whatever
    the form or revision carried. Raises ReviewRefused when the save may not be done.
    """
    if signs_off:
        check_may_sign_off(user)
    with transaction.atomic():
        stored = (
            type(item).objects.select_for_update().filter(pk=item.pk).first() if item.pk else None
        )
        keep_what_this_user_may_not_set(user, item, stored)
        if spec_for(item) is None:
            item.save()  # not content a patient reads: no review rule
            return Outcome(SAVED, "", item=item)
        change = open_change(stored)
        if must_wait_for_review(user, stored, item, signs_off):
            return hold(item, stored, user, change)
        refusal = publishing_refusal(stored, item, signs_off)
        if refusal:
            raise ReviewRefused(refusal)
        if isinstance(item, Article) and text_differs(stored, item):
            item.text_updated_on = timezone.localdate()
        if signs_off and hasattr(item, "record_review"):  # an article or a translation
            sign_off(item, stored, user)
        item.save()
        if change is not None and continues(user, change):
            # Their version is saved as it is: it no longer waits.
            status = ChangeStatus.APPROVED if signs_off else ChangeStatus.WITHDRAWN
            words = (
                "Saved with a clinical review by the person who made it"
                if signs_off
                else f"Saved directly to the {spec_for(item).noun} (it is not on the site)"
            )
            close(change, user, status, words)
    return Outcome(SAVED, "", item=item)


def sign_off(item, stored, user) -> None:
    due = item.next_review_due
    changed_due = stored is not None and due != stored.next_review_due
    item.record_review(clinician_for(user))
    if changed_due and due and due > timezone.localdate():
        item.next_review_due = due  # the reviewer chose a date themselves
    item._change_reason = "Clinical review recorded"


def hold(item, stored, user, change: PendingChange | None) -> Outcome:
    """Keep the edit as the item's one open change; the live row is untouched."""
    noun = spec_for(item).noun
    if stored is None:  # a new item of a model without drafts: added once approved
        change = PendingChange(content_type=content_type_of(item), values=pending_values(item))
        change.submitted_by = user
        note(change, user, f"New {noun} saved for clinical review")
        change.save()
        return Outcome(
            WAITING,
            f"Your new {noun} is saved and waiting for clinical review. Patients see it once "
            "a clinical reviewer approves it.",
            change=change,
            warning=True,
        )
    if not differs(stored, item):
        if change is not None and change.status == ChangeStatus.WAITING and continues(user, change):
            close(change, user, ChangeStatus.WITHDRAWN, "Withdrawn: put back as it is live")
        return Outcome(
            UNCHANGED,
            f"Nothing differs from the live {noun}, so no change is waiting for review.",
            item=stored,
        )
    if change is not None and not continues(user, change):
        raise ReviewRefused(
            f"A change saved by {display_name(change.submitted_by)} is waiting for review of "
            f"this {noun}. Approve it or send it back first, then make your own edit."
        )
    values = pending_values(item)
    if change is not None and change.status == ChangeStatus.WAITING:
        change.values = values
        change.submitted_by = user
        change.submitted_at = timezone.now()
        note(change, user, "Changed again while waiting for review")
        change.save(update_fields=["values", "submitted_by", "submitted_at", "events"])
    else:
        if change is not None:  # sent back: kept as it was, the revised version waits
            change.status = ChangeStatus.REVISED
            note(change, user, "Revised and sent for review again as a new change")
            change.save(update_fields=["status", "events"])
        change = PendingChange(
            content_type=content_type_of(stored), object_id=stored.pk, values=values
        )
        change.submitted_by = user
        note(change, user, "Saved for clinical review")
        change.save()
    reviewed = bool(getattr(stored, "review_is_current", False))  # an article, a translation
    live = "approved text" if reviewed else "text that is live now"
    return Outcome(
        WAITING,
        "Your change is saved and waiting for clinical review. Visitors still see the "
        f"{live} until a clinical reviewer approves it.",
        item=stored,
        change=change,
        warning=True,
    )


def close(change: PendingChange, user, status: str, words: str, comment: str = "") -> None:
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    if comment:
        change.comment = comment
    note(change, user, words)
    change.save(update_fields=["status", "decided_by", "decided_at", "comment", "events"])


def locked_waiting(change: PendingChange) -> PendingChange:
    """The change again, locked, so two reviewers deciding at once cannot both act."""
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.WAITING:
        raise ReviewRefused("This change is no longer waiting for review.")
    return change


def needs_whole_text_review(change: PendingChange) -> bool:
    """The live article has no current review: approving signs off all of it, not only the
    change. (Other content is short: its screen always shows all of it, which approving
    signs off.)"""
    live = change.live_item()
    return isinstance(live, Article) and not live.review_is_current


def approve(change: PendingChange, reviewer, reviewed_whole_text: bool = False) -> Outcome:
    """Put a waiting change live with a review of exactly what was read.

    When the live text has a current review, the reviewer read the change: her review is
    recorded and the next full review stays due when it was. When it has none, approval
    needs `reviewed_whole_text` (she confirms she read all of it) and starts a new year.
    An item a reviewer took offline after the change was made stays offline.
    """
    if not can_publish(reviewer):
        raise ReviewRefused("Only a clinical reviewer can approve a change.")
    clinician = clinician_for(reviewer)
    if clinician is None:
        raise ReviewRefused(NO_CLINICIAN_MESSAGE)
    if spec_for(change.model).records_review:
        return approve_translation(change, reviewer, clinician)
    if change.model is not Article:
        return approve_content(change, reviewer)
    with transaction.atomic():
        change = locked_waiting(change)
        stored = Article.objects.select_for_update().get(pk=change.object_id)
        whole_text = not stored.review_is_current
        if whole_text and not reviewed_whole_text:
            raise ReviewRefused(
                "The text live now has no current clinical review, so approving signs off "
                "the whole text, not only this change. Read all of it below, then tick "
                "“I have reviewed the whole text”."
            )
        article = proposed(change)
        try:
            article.validate_unique()
        except ValidationError:
            raise ReviewRefused(
                f"The new web address “{article.slug}” is already used by another article. "
                "Send the change back so the editor can choose another."
            ) from None
        stays_offline = stored.status != Status.PUBLISHED and article.status == Status.PUBLISHED
        if stays_offline:
            article.status = stored.status
        new_text = text_differs(stored, article)
        if new_text:
            article.text_updated_on = timezone.localdate()
        if whole_text or new_text:
            article.record_review(clinician)
            if not whole_text:
                article.next_review_due = stored.next_review_due  # the full review's cycle
        article._change_reason = f"Approved change by {display_name(change.submitted_by)}"
        article.save()
        words = "Approved" + (" (whole text reviewed)" if whole_text else "")
        if stays_offline:
            words += "; the article stays offline"
        close(change, reviewer, ChangeStatus.APPROVED, words)
    if stays_offline:
        message = (
            f"Approved: the change is saved to “{article.title}” with your review recorded. "
            "It stays offline, as it was taken off the site after this change was made: "
            "publish it from the article when patients should see it."
        )
    else:
        message = f"Approved: “{article.title}” is live with your review recorded."
    return Outcome(APPROVED, message, item=article, change=change)


def clean_or_refuse(item, noun: str) -> None:
    try:
        item.full_clean()
    except ValidationError as error:
        problems = " ".join(
            message for messages in error.message_dict.values() for message in messages
        )
        raise ReviewRefused(
            f"This {noun} cannot be saved as it is: {problems} Send it back so the editor "
            "can fix it."
        ) from None


def approve_translation(change: PendingChange, reviewer, clinician) -> Outcome:
    """Put a waiting change to a translation live with the reviewer's review recorded.

    The screen showed the whole translation as it would go live, so, as for an article:
    if the live text had a current review, a changed text gets her review and the next
    full review stays due when it was; if it had none (or the translation is new), her
    review of the whole text is recorded and starts a new year. A change that leaves the
    text as reviewed (the translator, the English it translates) keeps the review."""
    noun = spec_for(change.model).noun
    with transaction.atomic():
        change = locked_waiting(change)
        stored = (
            change.model.objects.select_for_update().filter(pk=change.object_id).first()
            if change.object_id is not None
            else None
        )
        item = proposed(change)
        clean_or_refuse(item, noun)
        whole_text = stored is None or not stored.review_is_current
        if whole_text or text_differs(stored, item):
            item.record_review(clinician)
            if not whole_text:
                item.next_review_due = stored.next_review_due  # the full review's cycle
        item.save()
        if change.object_id is None:
            change.object_id = item.pk
            change.save(update_fields=["object_id"])
        close(change, reviewer, ChangeStatus.APPROVED, "Approved with a clinical review")
    return Outcome(
        APPROVED,
        f"Approved: the {noun} “{item}” is saved with your review recorded.",
        item=item,
        change=change,
    )


def approve_content(change: PendingChange, reviewer) -> Outcome:
    """Approve a change to content without drafts (the screen showed all of it)."""
    noun = spec_for(change.model).noun
    with transaction.atomic():
        change = locked_waiting(change)
        item = proposed(change)
        clean_or_refuse(item, noun)
        item._change_reason = f"Approved change by {display_name(change.submitted_by)}"
        item.save()
        if spec_for(item).after_save is not None:
            spec_for(item).after_save()
        if change.object_id is None:
            change.object_id = item.pk
            change.save(update_fields=["object_id"])
        close(change, reviewer, ChangeStatus.APPROVED, "Approved")
    return Outcome(APPROVED, f"Approved: the {noun} “{item}” is live.", item=item, change=change)


def send_back(change: PendingChange, reviewer, comment: str) -> Outcome:
    if not can_publish(reviewer):
        raise ReviewRefused("Only a clinical reviewer can send a change back.")
    comment = comment.strip()
    if not comment:
        raise ReviewRefused("Please say what needs to change, so the editor knows what to fix.")
    with transaction.atomic():
        change = locked_waiting(change)
        close(change, reviewer, ChangeStatus.SENT_BACK, "Sent back with a comment", comment)
        editor_notices.queue_sent_back_email(change)  # sent once this is committed
    return Outcome(SENT_BACK, editor_notices.sent_back_confirmation(change), change=change)


def withdraw(change: PendingChange, user) -> Outcome:
    """The editor takes a change back; the live item stays as it is."""
    with transaction.atomic():
        change = PendingChange.objects.select_for_update().get(pk=change.pk)
        if change.status not in OPEN_STATUSES:
            return Outcome(WITHDRAWN, "This change was already decided.", change=change)
        close(change, user, ChangeStatus.WITHDRAWN, "Withdrawn")
    noun = spec_for(change.model).noun
    return Outcome(
        WITHDRAWN, f"The change was withdrawn. The {noun} is as it is live.", change=change
    )


def refusal(user, item, signs_off: bool) -> str | None:
    """Why `submit` would refuse this save, for the form to show before anything is saved
    (nothing is changed: `item` is copied)."""
    candidate = copy.copy(item)
    stored = type(item).objects.filter(pk=item.pk).first() if item.pk else None
    keep_what_this_user_may_not_set(user, candidate, stored)
    if must_wait_for_review(user, stored, candidate, signs_off):
        change = open_change(stored)
        if change is not None and not continues(user, change) and differs(stored, candidate):
            return (
                f"A change saved by {display_name(change.submitted_by)} is waiting for review "
                f"of this {spec_for(item).noun}. Approve it or send it back first, then make "
                "your own edit."
            )
        return None
    return publishing_refusal(stored, candidate, signs_off)


def is_held(item) -> bool:
    """After `submit`: whether what this person saved waits rather than being live (a new
    item was not added, or the stored row differs from the values they saved)."""
    if spec_for(item) is None:
        return False
    if item.pk is None:
        return True
    stored = type(item).objects.filter(pk=item.pk).first()
    return stored is not None and differs(stored, item)
