"""The parts: query parsing, similarity, the snippet's place, the admin."""

import pytest

from articles.models import Article
from search import query as search_query
from search import typos
from search.models import SearchPromotion
from tests.site_search.results import search_page

# --- The parts ----------------------------------------------------------------------------------


def test_query_parsing_follows_websearch():
    parsed = search_query.meaningful(
        search_query.parse('Can I drive "nasal spray" or IV -lozenges')
    )
    assert [t.phrases for t in parsed.terms] == [[("drive",)], [("nasal", "spray"), ("iv",)]]
    assert parsed.excluded == [("lozenges",)]


def test_similarity_is_pg_trgm_s():
    assert typos.similarity("spravado", "spravato") == pytest.approx(0.5)
    assert typos.edit_distance("medicaiton", "medication") == 1


def test_the_snippet_shows_the_place_with_the_most_search_words(client, make_article):
    make_article(
        title="Choosing",
        body="Ketamine is a medicine. " + "Some other words come here. " * 20
        + "Ketamine may be right for you.",
    )  # fmt: skip
    html = search_page(client, "ketamine right")
    assert "<mark>Ketamine</mark> may be <mark>right</mark> for you." in html


def test_staff_find_synonyms_and_promotions_in_the_admin(admin_client, site):
    synonyms = admin_client.get("/admin/search/searchsynonym/").content.decode()
    assert "Spravato = esketamine" in synonyms and "cost = price = insurance" in synonyms
    assert admin_client.get("/admin/search/searchpromotion/add/").status_code == 200
    article = Article.objects.get(slug="costs-and-insurance")
    response = admin_client.post(
        "/admin/search/searchpromotion/add/",
        {"query": "How much?", "article": article.pk, "sort_order": 0},
    )
    assert response.status_code == 302
    assert SearchPromotion.objects.filter(query="How much?", article=article).exists()
