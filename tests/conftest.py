import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone

from articles.models import Article, FAQEntry, Status
from tests.contact_form import CONTACT
from tests.staff import staff_in_group


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages or rate-limit counts from the one before."""
    for alias in ("default", "content_version"):
        caches[alias].clear()
    yield
    for alias in ("default", "content_version"):
        caches[alias].clear()


@pytest.fixture
def make_article(db):
    """Build a saved article; published and visible unless told otherwise."""

    def make(**fields) -> Article:
        values = {
            "title": "A test article",
            "slug": f"test-article-{Article.objects.count() + 1}",
            "summary": "A short summary.",
            "body": "## First part\n\nSome words.\n",
            "status": Status.PUBLISHED,
            "publish_at": timezone.now() - datetime.timedelta(hours=1),
        }
        values.update(fields)
        return Article.objects.create(**values)

    return make


@pytest.fixture
def make_faq(db):
    def make(**fields) -> FAQEntry:
        values = {"question": f"Question {FAQEntry.objects.count() + 1}?", "answer": "An answer."}
        values.update(fields)
        return FAQEntry.objects.create(**values)

    return make


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor_client(client, db):
    client.force_login(staff_in_group("editor", "Editor"))
    return client


@pytest.fixture
def post_committed(client, django_capture_on_commit_callbacks):
    """POST the form and run its on-commit hooks (the staff notification), as a real commit
    would; tests run inside a transaction that is never committed."""

    def post(data: dict[str, str], **extra: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CONTACT, data, **extra)

    return post
