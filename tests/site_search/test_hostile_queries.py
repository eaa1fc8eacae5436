"""Hostile queries are answered with a page and touch no data."""

import pytest

from articles.models import Article, FAQEntry
from tests.site_search.results import search_page

# --- Hostile queries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"""',
        'spray"',
        "*",
        "spray*",
        "NEAR(spray infusion)",
        "NEAR(",
        "OR",
        "spray OR",
        "OR OR OR",
        "AND NOT",
        "-",
        "--",
        "-spray",
        "^spray",
        "title:spray",
        "{title}: spray",
        "spray:*",
        "(spray",
        "spray) OR (1=1",
        "'; DROP TABLE articles_article; --",
        "\\",
        "spray\x00infusion",
        "\x00",
        "spray " * 600,
        "x" * 3000,
        "é" * 3000,
        "ketamine & | ! <-> :A",
        "ſpray ﬁne ＩＶ",
        "🙂 spray",
    ],
)
def test_hostile_queries_are_answered_with_a_page(client, site, query):
    html = search_page(client, query)
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.parametrize("raw", ["q=%FF%FE%FD", "q=spray%C3", "q=%00spray", "q=%E2%80%AE"])
def test_invalid_utf8_and_control_characters_in_the_address_are_answered(client, site, raw):
    response = client.get(f"/search/?{raw}")
    assert response.status_code == 200


def test_hostile_queries_do_not_touch_the_data(client, site):
    before = Article.objects.count(), FAQEntry.objects.count()
    search_page(client, "'; DELETE FROM articles_article; --")
    search_page(client, '" OR 1=1 --')
    assert (Article.objects.count(), FAQEntry.objects.count()) == before
