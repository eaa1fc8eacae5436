import datetime

import pytest
from django.core.cache import caches
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered
from django.utils import timezone

from articles.models import Article, FAQEntry, Status


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_report_their_context():
    """Django's test client fills response.context and response.templates from the
    template_rendered signal, which only Django's own engine sends in tests. The site's
    pages are Jinja2 (clinic_site/templating.py): send it for them too."""
    original_render = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        html = original_render(self, context, request)
        template_rendered.send(sender=self, template=self.template, context=context or {})
        return html

    jinja2_backend.Template.render = render
    yield
    jinja2_backend.Template.render = original_render


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
