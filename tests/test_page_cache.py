"""The whole-page cache: public pages answered without the database, never stale, never
shared with staff, never holding a visitor's CSRF token.

The cache sits in front of Django (clinic_site/wsgi.py), so these tests call the real WSGI
application through `WsgiClient` rather than Django's test client.
"""

import datetime
import gzip
import re
import socket
from io import StringIO

import brotli
import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FAQEntry, Status
from clinic.models import Clinician, ClinicProfile, Page
from foundation import content_version as versioning
from foundation import page_cache

from .wsgi_client import WsgiClient

ARTICLE = "/articles/how-ketamine-works/"
CACHED = ["/", "/articles/", ARTICLE, "/faq/", "/privacy/"]


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())
    article = Article.objects.get(slug="how-ketamine-works")
    article.author = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article.save()


@pytest.fixture
def client():
    """A visitor without cookies, going through the page cache."""
    return WsgiClient()


def queries_for(client: WsgiClient, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context), response.text()


def rendered_by_django(client: WsgiClient, url: str) -> bool:
    """Whether Django handled the request (a miss) rather than the cache answering (a hit):
    Django sends request_started for every request it handles, and only for those."""
    handled = []

    def record(sender, **kwargs):
        handled.append(sender)

    request_started.connect(record)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        request_started.disconnect(record)
    return bool(handled)


@pytest.mark.parametrize("url", CACHED)
def test_a_repeat_visit_is_served_without_any_query(client, site, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=" in second["Cache-Control"]
    assert not second.has_header("Set-Cookie")


def test_a_hit_carries_the_same_security_headers_as_the_page_django_made(client, site):
    first, second = client.get(ARTICLE), client.get(ARTICLE)
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options",
                 "Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Frame-Options",
                 "Content-Type", "Cache-Control"):  # fmt: skip
        assert second[name] == first[name], name
    assert second.headers.keys() == first.headers.keys()


def test_a_cached_page_still_answers_304_to_a_browser_that_has_it(client, site):
    etag = client.get(ARTICLE)["ETag"]
    not_modified = client.get(ARTICLE, if_none_match=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(ARTICLE, if_none_match='"something-else"').status_code == 200


@pytest.mark.parametrize(
    "coding,decompress", [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, site, coding, decompress):
    plain = client.get(ARTICLE)
    for visit in ("miss", "hit"):
        if visit == "miss":
            caches["default"].clear()
        packed = client.get(ARTICLE, accept_encoding=f"{coding}, deflate")
        assert packed["Content-Encoding"] == coding, visit
        assert decompress(packed.content) == plain.content, visit
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
        assert "Accept-Encoding" in packed["Vary"]
    # Another representation of the same page: a weak ETag, still answered with 304.
    assert packed["ETag"] == "W/" + plain["ETag"]
    assert client.get(ARTICLE, if_none_match=packed["ETag"]).status_code == 304
    assert not client.get(ARTICLE, accept_encoding=f"{coding};q=0").has_header("Content-Encoding")


def test_head_gets_the_headers_without_the_page(client, site):
    client.get(ARTICLE)
    head = client.get(ARTICLE, method="HEAD")
    assert head.status_code == 200 and head.content == b""
    assert int(head["Content-Length"]) == len(client.get(ARTICLE).content)


def test_a_host_django_refuses_is_refused_not_cached(client, site):
    response = client.get(ARTICLE, host="evil.example.com")
    assert response.status_code == 400


def test_tracking_parameters_get_the_stored_page_and_other_queries_go_to_django(client, site):
    client.get("/articles/")
    assert not rendered_by_django(client, "/articles/")
    assert not rendered_by_django(client, "/articles/?utm_source=newsletter")
    assert rendered_by_django(client, "/articles/?topic=safety")
    assert rendered_by_django(client, "/articles/?topic=safety")  # and never stored


# --- Fresh after every save --------------------------------------------------------------


def rename_article():
    article = Article.objects.get(slug="how-ketamine-works")
    article.title = "FRESH article title"
    article.save()


def rename_faq():
    entry = FAQEntry.objects.first()
    entry.question = "FRESH question?"
    entry.save()


def rename_clinic():
    profile = ClinicProfile.load()
    profile.name = "FRESH Clinic"
    profile.save()


def rename_page():
    page = Page.objects.get(slug="privacy")
    page.title = "FRESH privacy notice"
    page.save()


def rename_author():
    author = Article.objects.get(slug="how-ketamine-works").author
    author.name = "FRESH Author"
    author.save()


@pytest.mark.parametrize(
    "change,url,fresh",
    [
        (rename_article, ARTICLE, "FRESH article title"),
        (rename_article, "/", "FRESH article title"),
        (rename_faq, "/faq/", "FRESH question?"),
        (rename_clinic, "/privacy/", "FRESH Clinic"),
        (rename_page, "/privacy/", "FRESH privacy notice"),
        (rename_author, ARTICLE, "FRESH Author"),
    ],
)
def test_a_save_shows_on_the_next_visit(client, site, change, url, fresh):
    assert fresh not in client.get(url).text()
    change()
    assert fresh in client.get(url).text()


def test_a_deleted_article_or_answer_disappears_at_once(client, site):
    entry = FAQEntry.objects.first()
    assert entry.question in client.get("/faq/").text()
    assert "How ketamine works" in client.get("/articles/").text()
    entry.delete()
    Article.objects.get(slug="how-ketamine-works").delete()
    assert entry.question not in client.get("/faq/").text()
    assert client.get(ARTICLE).status_code == 404


def test_a_deleted_clinician_disappears_at_once(client, site):
    author = Article.objects.get(slug="how-ketamine-works").author
    assert author.name in client.get(ARTICLE).text()
    Clinician.objects.filter(pk=author.pk).delete()  # queryset delete still sends post_delete
    assert author.name not in client.get(ARTICLE).text()


# --- Staff, forms, search ---------------------------------------------------------------


@pytest.fixture
def staff(admin_client) -> WsgiClient:
    """A signed-in clinician: the admin client's session cookie, through the page cache."""
    admin_client.get("/admin/")
    return WsgiClient(cookies={k: v.value for k, v in admin_client.cookies.items()})


def test_staff_always_see_the_page_as_it_is_and_never_fill_the_cache(client, staff, site):
    client.get(ARTICLE)
    # Changed without a signal, so the visitors' cached copy is now out of date.
    Article.objects.filter(slug="how-ketamine-works").update(title="Changed quietly")
    assert "Changed quietly" not in client.get(ARTICLE).text()
    assert "Changed quietly" in staff.get(ARTICLE).text()

    staff.get("/faq/")
    assert rendered_by_django(client, "/faq/"), "a staff member's visit must not store the page"


def test_a_staff_draft_preview_is_never_stored(client, staff, site):
    Article.objects.create(title="Draft", slug="draft", summary="s", body="b", status=Status.DRAFT)
    assert staff.get("/articles/draft/").status_code == 200
    assert client.get("/articles/draft/").status_code == 404
    # A visitor who sends a stale session cookie is still not given the draft.
    assert (
        WsgiClient(cookies={"__Host-sessionid": "stale", "sessionid": "stale"})
        .get("/articles/draft/")
        .status_code
        == 404
    )


def test_the_contact_form_is_never_cached_so_every_visitor_gets_their_own_token(db):
    tokens = set()
    for _ in range(2):
        response = WsgiClient().get("/contact/")
        assert response.has_header("Set-Cookie")
        html = response.text()
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert len(tokens) == 2
    assert rendered_by_django(WsgiClient(), "/contact/")


def test_search_is_never_cached(client, site):
    client.get("/search/?q=nasal+spray")
    assert rendered_by_django(client, "/search/?q=nasal+spray")
    assert "Ways ketamine is given" in client.get("/search/?q=nasal+spray").text()


# --- Scheduled articles -----------------------------------------------------------------


def test_cached_pages_expire_when_the_next_scheduled_article_goes_live(client, site):
    publish_at = timezone.now() + datetime.timedelta(seconds=2)
    Article.objects.create(
        title="Scheduled piece", slug="scheduled", summary="s", body="b",
        status=Status.PUBLISHED, publish_at=publish_at,
    )  # fmt: skip
    assert 1 <= page_cache.entry_timeout() <= 2
    assert "Scheduled piece" not in client.get("/articles/").text()

    # The moment passes: the clock moves on (no real waiting), cached entries and the
    # per-worker lists expire, and the article is there without anyone saving anything.
    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        assert "Scheduled piece" in client.get("/articles/").text()


def test_without_scheduled_articles_entries_live_page_cache_seconds(site, settings):
    settings.PAGE_CACHE_SECONDS = 1234
    assert page_cache.entry_timeout() == 1234


# --- Redis --------------------------------------------------------------------------------

REDIS_DB = 13


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI starts one; see .ci/run)")
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DB}",
    }
    settings.CACHES = {"default": redis, "content_version": redis}
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_with_redis_hits_make_no_query_and_saves_invalidate(client, site, redis_cache):
    client.get(ARTICLE)
    count, _ = queries_for(client, ARTICLE)
    assert count == 0
    rename_article()
    assert "FRESH article title" in client.get(ARTICLE).text()


def test_a_lost_version_key_never_brings_old_pages_back(client, site):
    client.get(ARTICLE)
    old = versioning.content_version()
    caches["content_version"].delete(versioning.VERSION_KEY)
    assert versioning.content_version() > old
    assert rendered_by_django(client, ARTICLE)


def test_the_content_version_is_shared_by_every_worker(settings):
    """Local memory belongs to one worker: a save seen by one would leave the others
    serving old pages. Without Redis the version is kept in files (see settings.py)."""
    backend = settings.CACHES["content_version"]["BACKEND"]
    assert not backend.endswith("LocMemCache")


def count_version_reads(monkeypatch) -> list[str]:
    """Each time the stored number is asked for (a Redis round trip, or a look at the
    version file), its key."""
    reads = []
    original = versioning.stored_version

    def stored_version():
        reads.append(versioning.VERSION_KEY)
        return original()

    monkeypatch.setattr(versioning, "stored_version", stored_version)
    return reads


def test_a_page_django_renders_reads_the_content_version_once(client, site, monkeypatch):
    """With Redis each read is a round trip: the page cache, the clinic profile, the
    article list and the search index all ask, and one answer per request serves them all."""
    client.get(ARTICLE)  # builds what is kept per content version
    caches["default"].clear()  # the next visit is a miss again
    versioning.content_version()  # with REDIS_URL the version shares that cache: set it again
    reads = count_version_reads(monkeypatch)
    assert rendered_by_django(client, ARTICLE)
    # Read by the page cache in front of Django, which hands it on to Django's request.
    assert reads.count(versioning.VERSION_KEY) == 1
    reads.clear()
    assert client.get("/search/?q=nasal+spray").status_code == 200
    assert reads.count(versioning.VERSION_KEY) == 1


def test_a_save_within_a_request_moves_that_request_to_the_new_version(site):
    versioning.start_request_memo()
    try:
        before = versioning.content_version()
        rename_article()
        assert versioning.content_version() > before
    finally:
        versioning.end_request_memo()
    # Outside a request nothing is remembered: each call reads the shared number.
    versioning.bump_content_version()
    first = versioning.content_version()
    versioning.bump_content_version()
    assert versioning.content_version() == first + 1
