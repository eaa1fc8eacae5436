"""Results pages kept in memory until the next save, still counted, only at their own
address, bounded in number."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import FAQEntry
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


def test_only_the_last_searches_are_kept(client, make_article, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 2
    make_article(title="Spray", slug="one", body="The nasal spray, an infusion, a lozenge.")
    for query in ("spray", "infusion", "lozenge"):  # "spray" is the oldest: let go
        search_page(client, query)
    with CaptureQueriesContext(connection) as repeats:
        search_page(client, "lozenge")
        search_page(client, "infusion")
    assert not [q for q in repeats.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]
    with CaptureQueriesContext(connection) as again:
        assert article_slugs(search_page(client, "spray")) == ["one"]
    assert [q for q in again.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]


def test_search_results_are_not_kept_with_a_cache_size_of_zero(client, make_article, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 0
    make_article(title="Spray", slug="one", body="The nasal spray.")
    search_page(client, "spray")
    with CaptureQueriesContext(connection) as repeat:
        assert article_slugs(search_page(client, "spray")) == ["one"]
    assert [q for q in repeat.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]
