"""Clinical review: who may put which text in front of patients, and when.

- `rules`: who may publish (`can_publish`, the one definition), what a save must keep,
  when an edit waits and when publishing is refused.
- `workflow`: plain functions that do one step and return an `Outcome` (what happened,
  in words for the person who did it): `submit`, `approve`, `send_back`, `withdraw`.
  The admin calls them and reports the outcome; it holds no workflow state.
- `counts`: where review stands across the site.
- `registry` and `content`: which models follow the rule (one `register` call each).
- `admin`: `ReviewedContentAdmin` (every admin save goes through `submit`) and the
  reviewers' list and review screen (`PendingChangeAdmin`).

A review belongs to a version of the text (REVIEWED_FIELDS): `Article.review_is_current`.
"""

from . import content  # noqa: F401  (registers the content that follows the rule)
from .counts import ReviewCounts, due_soon, published_by_review_state, review_counts
from .rules import (
    NO_CLINICIAN_MESSAGE,
    PUBLISH_PERMISSION,
    ReviewRefused,
    can_publish,
    clinician_for,
    display_name,
    review_allows_showing,
    translation_may_be_shown,
)
from .workflow import (
    Outcome,
    approve,
    changes_to,
    is_held,
    needs_whole_text_review,
    open_change,
    proposed,
    refusal,
    send_back,
    submit,
    version_to_edit,
    withdraw,
)

__all__ = [
    "NO_CLINICIAN_MESSAGE",
    "PUBLISH_PERMISSION",
    "Outcome",
    "ReviewCounts",
    "ReviewRefused",
    "approve",
    "can_publish",
    "changes_to",
    "clinician_for",
    "display_name",
    "due_soon",
    "is_held",
    "needs_whole_text_review",
    "open_change",
    "proposed",
    "published_by_review_state",
    "refusal",
    "review_allows_showing",
    "review_counts",
    "send_back",
    "submit",
    "translation_may_be_shown",
    "version_to_edit",
    "withdraw",
]
