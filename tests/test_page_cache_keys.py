"""What the page cache keys pages by (issue 16): a query string cannot flood it, and a
request mounted under another script prefix cannot leave that prefix in everyone's links."""

from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command

from .wsgi_client import WsgiClient


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())


def stored_pages() -> int:
    """Entries in the page cache: local memory, or Redis when REDIS_URL is set."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return sum(1 for _ in backend._cache.get_client().scan_iter("*page-cache:page:*"))
    return sum(1 for key in backend._cache if "page-cache:page:" in key)


def test_a_flood_of_distinct_queries_stores_nothing(site):
    client = WsgiClient()
    for number in range(30):
        assert client.get(f"/?utm={number}").status_code == 200
        assert client.get(f"/articles/?page={number}&x=1").status_code == 200
    assert stored_pages() == 0


def test_tracking_parameters_share_the_query_less_page(site):
    client = WsgiClient()
    first = client.get("/")
    assert stored_pages() == 1
    for query in ("utm_source=news&utm_medium=email", "gclid=abc", "fbclid=x&utm_campaign=y",
                  "msclkid=1"):  # fmt: skip
        response = client.get(f"/?{query}")
        assert response.status_code == 200
        assert response.content == first.content
    assert stored_pages() == 1


@pytest.mark.parametrize(
    "query,tracking",
    [("", True), ("utm_source=a", True), ("UTM_TERM=b&gclid=c", True), ("&", True),
     ("utm=1", False), ("q=x", False), ("utm_source=a&page=2", False)],
)  # fmt: skip
def test_only_known_tracking_parameters_are_ignored(query, tracking):
    from foundation.page_cache import only_tracking_parameters

    assert only_tracking_parameters(query) is tracking


def test_a_request_under_another_script_prefix_never_changes_other_visitors_links(site):
    client = WsgiClient()
    poisoned = client.get("/", script_name="/evil")
    assert poisoned.status_code == 200
    assert "/evil/articles/" in poisoned.text()  # links of that request are its own
    for path in ("/", "/articles/", "/articles/how-ketamine-works/"):
        page = client.get(path)
        assert page.status_code == 200
        assert "/evil" not in page.text(), path
    cache.clear()
    for path in ("/", "/articles/"):
        assert "/evil" not in client.get(path).text(), path
