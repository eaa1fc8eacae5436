"""Who may put which text in front of patients: the rules the workflow applies.

Defined once, read by the workflow, the admin, the views and the management commands.
"""

from django.conf import settings
from django.utils import timezone

from clinic.models import Clinician
from foundation.review_state import review_allows_showing

from ..models import Article, ArticleTranslation, Status
from . import registry

PUBLISH_PERMISSION = "articles.publish_article"

# What only a clinical reviewer may set: whether the article is public, and when its next
# review is due.
PUBLISHER_ONLY_FIELDS = ("status", "next_review_due")
# Recorded by the site when a clinical reviewer signs the text off, never typed in or
# carried in by a form, an old revision or a file.
RECORDED_REVIEW_FIELDS = ("reviewer", "reviewed_on", "reviewed_hash", "text_updated_on")

NO_CLINICIAN_MESSAGE = (
    "Your account is not linked to a clinician, so a review cannot be recorded in your name. "
    "Ask an administrator to choose your account as the “staff account” of your entry "
    "under Clinic details › Clinicians."
)


class ReviewRefused(Exception):
    """A review action that cannot be done, with a message for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_publish(user) -> bool:
    """The one test of whether someone may publish and record clinical reviews."""
    return user is not None and user.has_perm(PUBLISH_PERMISSION)


def clinician_for(user) -> Clinician | None:
    """The clinician whose name a review by this account is recorded under."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Clinician.objects.filter(user=user).first()


def display_name(user) -> str:
    """A person's name as staff know it; who saved a revision made outside the admin."""
    if user is None:
        return "Imported from content/"
    try:
        return user.clinician.name
    except Clinician.DoesNotExist:
        return user.get_full_name() or user.get_username()


differs = registry.differs


def text_differs(stored, candidate) -> bool:
    """Whether the text a review covers differs (an article's or a translation's)."""
    if stored is None:
        return True
    if isinstance(candidate, Article):
        return stored.text_fingerprint != candidate.text_fingerprint
    return stored.own_fingerprint() != candidate.own_fingerprint()


def keep_stored_values(item, stored, names) -> None:
    """Set these fields, where the model has them, to their stored values (a new item:
    their defaults)."""
    present = {field.name for field in item._meta.get_fields()}
    for name in names:
        if name not in present:
            continue
        field = item._meta.get_field(name)
        value = getattr(stored, field.attname) if stored else field.get_default()
        setattr(item, field.attname, value)


def keep_what_this_user_may_not_set(user, item, stored) -> None:
    """Whatever a form or an old revision carried in: a review is only recorded by signing
    off, and only a publisher sets what only a publisher may (checked on the server)."""
    keep_stored_values(item, stored, RECORDED_REVIEW_FIELDS)
    if not can_publish(user):
        keep_stored_values(item, stored, PUBLISHER_ONLY_FIELDS)


def must_wait_for_review(user, stored, candidate, signs_off: bool) -> bool:
    """Whether this edit is held as a pending change instead of going live.

    Content without drafts (FAQ answers, glossary entries, pages) is live once saved: an
    Editor's new item or change always waits; a clinical reviewer's save is her review.
    An article: only edits to a published one wait (drafts are edited freely and cannot
    be published without a review), and taking it offline is never held up.

    A translation is live while patients may read it (spec.shown): an Editor's change to
    a shown one waits, as does a new one that would be shown at once (the rule off); one
    not shown is edited freely, as a draft is, and shown once a reviewer signs it off.
    """
    spec = registry.spec_for(candidate)
    if spec is None:
        return False
    if not spec.may_be_offline:
        return not can_publish(user) and (stored is None or differs(stored, candidate))
    if stored is None:
        return spec.shown is not None and not can_publish(user) and spec.shown(candidate)
    if not spec.is_live(stored):
        return False
    if spec.drafts and candidate.status != Status.PUBLISHED:
        return False
    if not can_publish(user):
        return differs(stored, candidate)
    if signs_off:
        return False
    return settings.REQUIRE_MEDICAL_REVIEW and text_differs(stored, candidate)


def publishing_refusal(stored, candidate, signs_off: bool) -> str | None:
    """Why this save may not publish or schedule the article, or None.

    With REQUIRE_MEDICAL_REVIEW on, an article becomes published (now or at a scheduled
    publish_at) only with a review of exactly this text on record.
    """
    if not isinstance(candidate, Article):
        return None
    if candidate.status != Status.PUBLISHED:
        return None
    if stored is not None and stored.status == Status.PUBLISHED:
        return None  # already published: its edits wait for review instead
    if signs_off or review_allows_showing(candidate):
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


def translation_may_be_shown(translation: ArticleTranslation) -> bool:
    """Whether patients may read this translation: its English article is on the site, and
    the translation's own review satisfies the rule English articles follow. A stale
    translation may still be shown, saying so at the top (issue 28): staleness is told,
    not hidden."""
    return translation.article.is_visible_to_visitors and review_allows_showing(translation)
