"""The article page's one query (articles/page_query.py) reads an article exactly as the ORM
does: every value converted the same way, the search document left deferred."""

import datetime

from django.db import connections

from articles.models import Article
from articles.page_query import article_for_page, page_query


def test_the_page_query_reads_what_the_orm_reads(make_article):
    stored = make_article(slug="a-page", body="## First\n\nText.\n\n## Second\n\nMore.", order=7)
    Article.objects.filter(pk=stored.pk).update(
        reviewed_on=datetime.date(2026, 2, 1), text_updated_on=datetime.date(2026, 3, 4)
    )
    orm = Article.objects.get(slug="a-page")
    page = article_for_page("a-page")
    fields = [f.attname for f in Article._meta.concrete_fields if f.name != "search_document"]
    for name in fields:
        assert getattr(page, name) == getattr(orm, name), name
        assert type(getattr(page, name)) is type(getattr(orm, name)), name
    assert len(page.headings) == 2  # JSON read back as a list, as the ORM gives it
    assert page.get_deferred_fields() == {"search_document"}
    assert page._state.adding is False and page._state.db == "default"


def test_an_unknown_slug_is_none(db):
    assert article_for_page("no-such-article") is None


def test_the_query_is_worked_out_once_per_connection(db):
    connection = connections["default"]
    assert page_query(connection) is page_query(connection)
