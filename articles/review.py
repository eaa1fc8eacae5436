"""Clinical review: who may put which text in front of patients, and when.

- A review belongs to a version of the text (REVIEWED_FIELDS): `Article.review_is_current`.
- An edit to a published article by someone without the publish permission, or (with
  REQUIRE_MEDICAL_REVIEW on) a text edit by a reviewer who does not sign it off in the
  same save, becomes a PendingChange; the public page keeps the approved text.
- A clinical reviewer approves a change (it goes live with their review recorded) or sends
  it back with a comment the editor sees on the article.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import Clinician

from . import editor_notices
from .models import (
    PENDING_FIELDS,
    REVIEW_WARNING_DAYS,
    Article,
    ChangeStatus,
    PendingChange,
    ReviewState,
    Status,
    pending_values,
)

PUBLISH_PERMISSION = "articles.publish_article"


class ReviewRefused(Exception):
    """A review action that cannot be done, with a message for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def clinician_for(user) -> Clinician | None:
    """The clinician whose name a review by this account is recorded under."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Clinician.objects.filter(user=user).first()


NO_CLINICIAN_MESSAGE = (
    "Your account is not linked to a clinician, so a review cannot be recorded in your name. "
    "Ask an administrator to choose your account as the “staff account” of your entry "
    "under Clinic details › Clinicians."
)


def open_change(article: Article) -> PendingChange | None:
    """The change an editor is working on or waiting with: waiting, or sent back and not
    yet replaced by a newer version."""
    if article.pk is None:
        return None
    latest = article.changes.order_by("-submitted_at", "-pk").first()
    return latest if latest is not None and latest.is_open else None


def differs(stored: Article, candidate: Article, names=PENDING_FIELDS) -> bool:
    for name in names:
        attname = Article._meta.get_field(name).attname
        if getattr(stored, attname) != getattr(candidate, attname):
            return True
    return False


def text_differs(stored: Article | None, candidate: Article) -> bool:
    return stored is None or stored.text_fingerprint != candidate.text_fingerprint


def must_wait_for_review(user, stored: Article | None, candidate: Article, signs_off: bool) -> bool:
    """Whether this edit is held as a pending change instead of going live.

    Only edits to a published article wait (drafts are edited freely and cannot be
    published without a review). Taking an article offline is never held up.
    """
    if stored is None or stored.status != Status.PUBLISHED:
        return False
    if candidate.status != Status.PUBLISHED:
        return False
    if not can_publish(user):
        return differs(stored, candidate)
    if signs_off:
        return False
    return settings.REQUIRE_MEDICAL_REVIEW and text_differs(stored, candidate)


def publishing_refusal(stored: Article | None, candidate: Article, signs_off: bool) -> str | None:
    """Why this save may not publish or schedule the article, or None.

    With REQUIRE_MEDICAL_REVIEW on, an article becomes published (now or at a scheduled
    publish_at) only with a review of exactly this text on record.
    """
    if not settings.REQUIRE_MEDICAL_REVIEW or candidate.status != Status.PUBLISHED:
        return None
    if stored is not None and stored.status == Status.PUBLISHED:
        return None  # already published: its edits wait for review instead
    if signs_off or candidate.review_is_current:
        return None
    when = (
        "scheduled"
        if candidate.publish_at and candidate.publish_at > timezone.now()
        else "published"
    )
    return (
        f"This article cannot be {when} yet: no clinician has reviewed this text. "
        "Tick “Record my clinical review of this text” if you have checked it, "
        "or keep it as a draft until a clinical reviewer has."
    )


def save_as_pending(candidate: Article, user, change: PendingChange | None) -> PendingChange:
    """Keep the edited values as a change waiting for review (the live row is untouched).

    An editor who saves again while their change waits updates that change; a change
    that was sent back stays on record and the new version waits as a new one.
    """
    values = pending_values(candidate)
    if change is not None and change.status == ChangeStatus.WAITING:
        change.values = values
        change.submitted_by = user
        change.submitted_at = timezone.now()
        change.save(update_fields=["values", "submitted_by", "submitted_at"])
        return change
    if change is not None and change.status == ChangeStatus.SENT_BACK:
        change.status = ChangeStatus.REVISED  # replaced by the revised version below
        change.save(update_fields=["status"])
    return PendingChange.objects.create(
        article_id=candidate.pk, values=values, submitted_by=user, status=ChangeStatus.WAITING
    )


def close_change(change: PendingChange | None, user, status: str, comment: str = "") -> None:
    if change is None:
        return
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    if comment:
        change.comment = comment
    change.save(update_fields=["status", "decided_by", "decided_at", "comment"])


def approve(change: PendingChange, user) -> Article:
    """Put a waiting change live with the approver's review recorded."""
    if not can_publish(user):
        raise ReviewRefused("Only a clinical reviewer can approve a change.")
    clinician = clinician_for(user)
    if clinician is None:
        raise ReviewRefused(NO_CLINICIAN_MESSAGE)
    with transaction.atomic():
        # Locked, so two reviewers deciding at once cannot both act on it.
        change = PendingChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ChangeStatus.WAITING:
            raise ReviewRefused("This change is no longer waiting for review.")
        stored = Article.objects.get(pk=change.article_id)
        article = change.as_article()
        try:
            article.validate_unique()
        except ValidationError:
            raise ReviewRefused(
                f"The new web address “{article.slug}” is already used by another article. "
                "Send the change back so the editor can choose another."
            ) from None
        if text_differs(stored, article):
            article.text_updated_on = timezone.localdate()
        article.record_review(clinician)
        article._change_reason = f"Approved change by {display_name(change.submitted_by)}"
        article.save()
        close_change(change, user, ChangeStatus.APPROVED)
    return article


def send_back(change: PendingChange, user, comment: str) -> None:
    if not can_publish(user):
        raise ReviewRefused("Only a clinical reviewer can send a change back.")
    comment = comment.strip()
    if not comment:
        raise ReviewRefused("Please say what needs to change, so the editor knows what to fix.")
    with transaction.atomic():
        change = PendingChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ChangeStatus.WAITING:
            raise ReviewRefused("This change is no longer waiting for review.")
        close_change(change, user, ChangeStatus.SENT_BACK, comment)
        editor_notices.queue_sent_back_email(change)  # sent once this is committed


def display_name(user) -> str:
    """A person's name as staff know it; who saved a revision made outside the admin."""
    if user is None:
        return "Imported from content/"
    try:
        return user.clinician.name
    except Clinician.DoesNotExist:
        return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class ReviewCounts:
    published: int
    reviewed: int
    not_reviewed: int
    overdue: int
    due_soon: int
    waiting: int


def published_by_review_state(today: datetime.date | None = None) -> dict[str, list[Article]]:
    """Published articles grouped by ReviewState (a few dozen: counted in Python, where
    "this exact text was reviewed" is checked)."""
    today = today or timezone.localdate()
    groups: dict[str, list[Article]] = {
        ReviewState.REVIEWED: [],
        ReviewState.OVERDUE: [],
        ReviewState.NOT_REVIEWED: [],
    }
    articles = Article.objects.published().select_related("reviewer").order_by("order", "title")
    for article in articles:
        groups[article.review_state(today)].append(article)
    return groups


def due_soon(articles: list[Article], today: datetime.date) -> list[Article]:
    horizon = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    return [a for a in articles if a.next_review_due and a.next_review_due <= horizon]


def review_counts(today: datetime.date | None = None) -> ReviewCounts:
    today = today or timezone.localdate()
    groups = published_by_review_state(today)
    return ReviewCounts(
        published=sum(len(group) for group in groups.values()),
        reviewed=len(groups[ReviewState.REVIEWED]),
        not_reviewed=len(groups[ReviewState.NOT_REVIEWED]),
        overdue=len(groups[ReviewState.OVERDUE]),
        due_soon=len(due_soon(groups[ReviewState.REVIEWED], today)),
        waiting=PendingChange.objects.filter(status=ChangeStatus.WAITING).count(),
    )
