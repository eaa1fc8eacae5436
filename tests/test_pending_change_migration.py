"""Pending changes become changes to any content (issue 24): every row saved before the
migration is kept, pointing at its article, and one open change per article remains."""

import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles import review
from articles.models import Article, ChangeStatus, CitedSource, PendingChange, SentBackEmail

# The migration just before review-rule's first (0013_pending_change_content_columns).
BEFORE = [("articles", "0012_seed_patients_own_words")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_pending_change_is_kept_and_points_at_its_article():
    old = migrate(BEFORE)
    OldArticle = old.get_model("articles", "Article")
    OldChange = old.get_model("articles", "PendingChange")
    User = old.get_model("auth", "User")
    editor = User.objects.create(username="editor")
    common = {"summary": "S.", "status": "published", "publish_at": timezone.now()}
    one = OldArticle.objects.create(title="One", slug="one", body="A.", **common)
    two = OldArticle.objects.create(title="Two", slug="two", body="B.", **common)
    then = timezone.now() - datetime.timedelta(days=3)
    rows = [
        # A History revert while a change waited left two open changes for one article.
        (one, "waiting", then, {"title": "Older"}),
        (one, "waiting", then + datetime.timedelta(hours=1), {"title": "Newer"}),
        (one, "approved", then - datetime.timedelta(days=1), {"title": "Earlier"}),
        (two, "sent_back", then, {"title": "Sent back"}),
        # review-edges: a sent-back change the editor revised, and its queued e-mail.
        (two, "revised", then - datetime.timedelta(days=2), {"title": "Revised"}),
    ]
    for article, status, submitted_at, values in rows:
        OldChange.objects.create(
            article_id=article.pk,
            values=values,
            status=status,
            submitted_by_id=editor.pk,
            submitted_at=submitted_at,
            comment="Fix it." if status in ("sent_back", "revised") else "",
        )
    OldEmail = old.get_model("articles", "SentBackEmail")
    sent_back = OldChange.objects.get(status="sent_back")
    OldEmail.objects.create(change_id=sent_back.pk)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert PendingChange.objects.count() == 5
    article_one = Article.objects.get(slug="one")
    by_title = {change.values["title"]: change for change in PendingChange.objects.all()}
    assert all(change.article_id for change in by_title.values())
    assert by_title["Newer"].object_id == article_one.pk
    assert by_title["Newer"].status == ChangeStatus.WAITING
    assert by_title["Older"].status == ChangeStatus.WITHDRAWN  # kept, no longer open
    assert "one open change per article" in by_title["Older"].events[0]
    assert by_title["Earlier"].status == ChangeStatus.APPROVED
    assert by_title["Sent back"].comment == "Fix it."
    assert by_title["Sent back"].submitted_by.username == "editor"
    assert by_title["Revised"].status == ChangeStatus.REVISED
    assert by_title["Revised"].object_id == Article.objects.get(slug="two").pk
    email = SentBackEmail.objects.get()
    assert email.change == by_title["Sent back"] and email.sent_at is None
    assert review.open_change(article_one) == by_title["Newer"]
    assert review.open_change(Article.objects.get(slug="two")) == by_title["Sent back"]


@pytest.mark.django_db(transaction=True)
def test_a_review_current_before_sources_moved_stays_current_and_covers_them():
    old = migrate(BEFORE)
    OldArticle = old.get_model("articles", "Article")
    Clinician = old.get_model("clinic", "Clinician")
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    fields = {"title": "Cited", "summary": "S.", "body": "Ketamine can help.[^berman2000]"}
    then = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
    OldArticle.objects.create(
        slug="cited",
        status="published",
        publish_at=timezone.now(),
        reviewer_id=ada.pk,
        reviewed_on=datetime.date(2026, 3, 1),
        reviewed_hash=then,
        **fields,
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    article = Article.objects.get(slug="cited")
    assert article.review_is_current and article.reviewed_hash != then
    source = CitedSource.objects.get(key="berman2000")
    source.text = "Another paper."
    source.save()
    assert not Article.objects.get(slug="cited").review_is_current
