"""Results pages kept in memory until the next save, still counted, only at their own
address, bounded in number; and the engine's answer for each word, kept the same way."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import FAQEntry
from search import views
from search.matching import kept_term_matches
from search.signals import search_done
from tests.site_search.results import article_slugs, search_page
from tests.wsgi_client import WsgiClient


def test_a_repeated_search_is_answered_from_memory_until_the_next_save(client, make_article):
    make_article(title="Spray", slug="one", body="The nasal spray.")
    assert article_slugs(search_page(client, "spray")) == ["one"]
    with CaptureQueriesContext(connection) as repeat:
        assert article_slugs(search_page(client, "spray")) == ["one"]
    assert not [q for q in repeat.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]

    make_article(title="Another spray", slug="two", body="Also a spray.")
    assert sorted(article_slugs(search_page(client, "spray"))) == ["one", "two"]


def test_a_kept_results_page_still_counts_every_search(client, make_article):
    make_article(title="Spray", slug="one", body="The nasal spray.")
    counted = []

    def listener(sender, query, result_count, **kwargs):
        counted.append((query, result_count))

    search_done.connect(listener)
    try:
        for _ in range(3):
            search_page(client, "spray")
    finally:
        search_done.disconnect(listener)
    assert counted == [("spray", 1)] * 3


def test_a_kept_results_page_is_only_served_at_the_address_it_was_made_for(client, make_article):
    """The page links to itself and every link has the script prefix: a page made for a
    site mounted under /clinic must never be served to the site at the root, or back."""
    make_article(title="Spray", slug="one", body="The nasal spray.")
    FAQEntry.objects.create(question="Is the spray safe?", answer="Mostly.", order=1)
    wsgi = WsgiClient()  # the real WSGI entry, which sets the script prefix as servers do
    mounted = wsgi.get("/search/?q=spray", script_name="/clinic").text()
    assert 'href="/clinic/articles/one/"' in mounted and 'href="/clinic/faq/#faq-' in mounted
    at_root = wsgi.get("/search/?q=spray").text()
    assert 'href="/articles/one/"' in at_root and 'href="/faq/#faq-' in at_root
    assert "/clinic/" not in at_root
    other_host = wsgi.get("/search/?q=spray", host="localhost").text()
    assert '<link rel="canonical" href="http://localhost/search/">' in other_host


def rendered(client, query: str) -> bool:
    """Search; True if the results page was made for this request (not a kept one)."""
    with mock.patch.object(views, "render_search_page", wraps=views.render_search_page) as spy:
        search_page(client, query)
    return spy.called


def engine_queries(queries: CaptureQueriesContext) -> list:
    return [q for q in queries.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]


def test_only_the_last_searches_are_kept(client, make_article, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 2
    make_article(title="Spray", slug="one", body="The nasal spray, an infusion, a lozenge.")
    for query in ("spray", "infusion", "lozenge"):  # "spray" is the oldest: let go
        search_page(client, query)
    assert not rendered(client, "lozenge")
    assert not rendered(client, "infusion")
    assert rendered(client, "spray")
    assert article_slugs(search_page(client, "spray")) == ["one"]


def test_search_results_are_not_kept_with_a_cache_size_of_zero(client, make_article, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 0
    make_article(title="Spray", slug="one", body="The nasal spray.")
    search_page(client, "spray")
    assert rendered(client, "spray")
    assert article_slugs(search_page(client, "spray")) == ["one"]


def test_words_searched_before_ask_the_engine_nothing_until_the_next_save(
    client, make_article, settings
):
    """A new search made of words searched before (in any order, with others) is answered
    from the engine's kept answers; a save empties them, so a new page is found at once."""
    settings.SEARCH_RESULT_CACHE_SIZE = 0
    make_article(title="Spray", slug="one", body="The nasal spray, an infusion, a lozenge.")
    search_page(client, "spray")
    search_page(client, "lozenge")
    with CaptureQueriesContext(connection) as queries:
        assert article_slugs(search_page(client, "lozenge spray")) == ["one"]
    assert not engine_queries(queries)
    assert len(kept_term_matches) >= 2

    make_article(title="Another spray", slug="two", body="Also a spray and a lozenge.")
    with CaptureQueriesContext(connection) as queries:
        assert sorted(article_slugs(search_page(client, "lozenge spray"))) == ["one", "two"]
    assert engine_queries(queries)


def test_the_engine_answers_kept_are_bounded(client, make_article, monkeypatch):
    monkeypatch.setattr(kept_term_matches, "max_entries", lambda: 3)
    make_article(title="Spray", slug="one", body="The nasal spray, an infusion, a lozenge.")
    for query in ("spray", "infusion", "lozenge", "nasal", "one", "two"):
        search_page(client, query)
    assert len(kept_term_matches) <= 3
