"""The data migrations for clinical review, run on rows saved before it existed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, FAQEntry, reviewed_text_fingerprint
from clinic.models import Page

BEFORE = [("articles", "0004_rerender_for_image_sizes"), ("clinic", "0003_pages_and_opening_hours")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_newlines_and_keep_only_reviews_that_cover_their_text():
    old = migrate(BEFORE)
    Clinician = old.get_model("clinic", "Clinician")
    OldArticle = old.get_model("articles", "Article")
    OldHistory = old.get_model("articles", "HistoricalArticle")
    OldPage = old.get_model("clinic", "Page")
    OldFAQ = old.get_model("articles", "FAQEntry")
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    reviewed_on = datetime.date(2026, 3, 1)
    common = {
        "summary": "A summary.",
        "topic": "basics",
        "status": "published",
        "publish_at": timezone.now(),
        "reviewer_id": ada.pk,
        "reviewed_on": reviewed_on,
        "next_review_due": datetime.date(2027, 3, 1),
    }
    still = OldArticle.objects.create(title="Still", slug="still", body="A.\r\nB.", **common)
    changed = OldArticle.objects.create(title="Changed", slug="changed", body="New.", **common)
    for article, body_then in [(still, "A.\nB."), (changed, "Old.")]:
        OldHistory.objects.create(
            id=article.pk,
            title=article.title,
            slug=article.slug,
            summary=article.summary,
            body=body_then,
            topic="basics",
            order=100,
            status="published",
            publish_at=article.publish_at,
            created_at=timezone.now(),
            updated_at=timezone.now(),
            reviewer_id=ada.pk,
            reviewed_on=reviewed_on,
            history_date=timezone.now(),
            history_type="~",
        )
    OldPage.objects.create(title="Privacy", slug="privacy", summary="s", body="One.\r\nTwo.")
    OldPage.objects.create(title="About", slug="about-our-content", summary="s", body="x")
    OldFAQ.objects.create(question="Q?", answer="Yes.\r\nReally.")

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    still_now, changed_now = Article.objects.get(slug="still"), Article.objects.get(slug="changed")
    assert still_now.body == "A.\nB."
    assert still_now.reviewed_hash == reviewed_text_fingerprint(still_now)
    assert still_now.review_is_current  # the text is the one that was reviewed
    assert changed_now.reviewed_hash == ""  # changed after its review: not reviewed now
    assert not changed_now.review_is_current
    assert Page.objects.get(slug="privacy").body == "One.\nTwo."
    assert not Page.objects.filter(slug="about-our-content").exists()
    assert FAQEntry.objects.get().answer == "Yes.\nReally."
