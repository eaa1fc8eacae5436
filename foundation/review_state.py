"""Where a clinical review stands, for any reviewed text (an article, a translation of
any kind): the dates and the REQUIRE_MEDICAL_REVIEW rule, in one place. Knows no app:
an item brings its own `review_is_current` and `next_review_due`."""

import datetime

from django.conf import settings
from django.utils import timezone


class ReviewState:
    REVIEWED = "reviewed"
    OVERDUE = "overdue"
    NOT_REVIEWED = "not_reviewed"


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def review_state_of(item, today: datetime.date | None = None) -> str:
    """Where the review of an article or a translation stands (its `review_is_current`
    and `next_review_due`): one of ReviewState's values."""
    if not item.review_is_current:
        return ReviewState.NOT_REVIEWED
    today = today or timezone.localdate()
    if item.next_review_due and item.next_review_due < today:
        return ReviewState.OVERDUE
    return ReviewState.REVIEWED


def review_allows_showing(item) -> bool:
    """The REQUIRE_MEDICAL_REVIEW rule, for an article or a translation: with it on, only
    text a clinician reviewed exactly as it is (`review_is_current`) may reach patients."""
    return not settings.REQUIRE_MEDICAL_REVIEW or item.review_is_current
