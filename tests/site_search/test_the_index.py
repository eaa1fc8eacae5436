"""The search index follows saves, deletes and scheduled publishing, on either database."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.site_search.results import article_slugs, search_page

# --- Keeping the index current ----------------------------------------------------------------


def test_the_index_follows_saves_and_deletes(client, make_article, make_faq):
    article = make_article(title="Visit", slug="visit", body="Bring a friend.")
    entry = make_faq(question="What should I bring?", answer="A friend and a snack.")
    assert article_slugs(search_page(client, "friend")) == ["visit"]
    assert "What should I bring?" in search_page(client, "snack")

    article.body = "Bring a companion."
    article.save()
    assert article_slugs(search_page(client, "friend")) == []
    assert article_slugs(search_page(client, "companion")) == ["visit"]

    article.delete()
    entry.delete()
    assert article_slugs(search_page(client, "companion")) == []
    assert "We found nothing" in search_page(client, "snack")


def test_an_article_scheduled_for_later_is_not_found_until_it_goes_live(client, make_article):
    later = timezone.now() + datetime.timedelta(days=1)
    make_article(title="Coming soon", slug="soon", body="Lozenges", publish_at=later)
    assert article_slugs(search_page(client, "lozenges")) == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_stores_a_weighted_search_document(make_article):
    article = make_article(title="Spray", summary="Short", body="Long text")
    document = Article.objects.values_list("search_document", flat=True).get(pk=article.pk)
    assert "'spray':1A" in document and "'short':2B" in document and "'long':3C" in document


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_keeps_an_fts5_row_per_article_and_entry(make_article, make_faq):
    article = make_article(title="Spray", summary="Short", body="Long text")
    entry = make_faq(question="Why?", answer="Because.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, body FROM articles_article_fts WHERE rowid = %s", [article.pk]
        )
        assert cursor.fetchone() == ("Spray", "Long text")
        cursor.execute("SELECT question FROM articles_faqentry_fts WHERE rowid = %s", [entry.pk])
        assert cursor.fetchone() == ("Why?",)


def test_rebuild_search_index_restores_rows_changed_without_a_save(client, make_article):
    article = make_article(title="Visit", slug="visit", body="Bring a friend.")
    Article.objects.filter(pk=article.pk).update(title="Lozenges")  # sends no signal
    assert article_slugs(search_page(client, "lozenges")) == []
    call_command("rebuild_search_index", stdout=StringIO())
    assert article_slugs(search_page(client, "lozenges")) == ["visit"]
