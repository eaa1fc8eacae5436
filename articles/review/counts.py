"""Where clinical review stands across the site: the counts the admin home,
/about-our-content/ and review_reminders read (the page's own label reads
Article.review_state, the same function every count uses)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from ..models import REVIEW_WARNING_DAYS, Article, ChangeStatus, PendingChange, ReviewState


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
