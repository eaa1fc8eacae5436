"""Articles with a clinical review on record, for tests of labels, lists and reminders."""

import datetime
from pathlib import Path

from django.utils import timezone

from articles.content_files import parse_article
from articles.models import REVIEWED_FIELDS, Article
from clinic.models import Clinician


def a_clinician(name: str = "Dr Ada Example", credentials: str = "MD", user=None) -> Clinician:
    clinician, _ = Clinician.objects.get_or_create(
        name=name, defaults={"credentials": credentials, "user": user}
    )
    return clinician


def sign_off(
    article: Article,
    clinician: Clinician | None = None,
    day: datetime.date | None = None,
    next_due: datetime.date | None = None,
) -> Article:
    """Record a review of the article's current text, as a reviewer's approval does."""
    article.record_review(clinician or a_clinician(), day or timezone.localdate())
    if next_due is not None:
        article.next_review_due = next_due
    article.save()
    return article


def fingerprint_of_file(path: Path) -> str:
    """The review fingerprint of a content/ file's text (what export_content writes as
    review_fingerprint for a review of exactly that text)."""
    state = parse_article(path)
    return Article(**{name: state[name] for name in REVIEWED_FIELDS}).text_fingerprint
