"""The whole-page cache: public pages answered without the database, never stale, never
shared with staff, never holding a visitor's CSRF token."""

import datetime
import re
import socket
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FAQEntry, Status
from clinic.models import Clinician, ClinicProfile, Page
from clinic_site import page_cache

ARTICLE = "/articles/how-ketamine-works/"
CACHED = ["/", "/articles/", ARTICLE, "/faq/", "/privacy/"]


@pytest.fixture
def site(db):
    call_command("import_content", stdout=StringIO())
    article = Article.objects.get(slug="how-ketamine-works")
    article.author = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article.save()


def queries_for(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context), response.content.decode()


@pytest.mark.parametrize("url", CACHED)
def test_a_repeat_visit_is_served_without_any_query(client, site, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=" in second["Cache-Control"]
    assert not second.cookies


def test_a_cached_page_still_answers_304_to_a_browser_that_has_it(client, site):
    etag = client.get(ARTICLE)["ETag"]
    assert client.get(ARTICLE, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_each_query_string_is_its_own_page(client, site):
    client.get("/articles/")
    count, _ = queries_for(client, "/articles/?utm_source=newsletter")
    assert count > 0


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
    assert fresh not in client.get(url).content.decode()
    change()
    assert fresh in client.get(url).content.decode()


def test_a_deleted_article_or_answer_disappears_at_once(client, site):
    entry = FAQEntry.objects.first()
    assert entry.question in client.get("/faq/").content.decode()
    assert "How ketamine works" in client.get("/articles/").content.decode()
    entry.delete()
    Article.objects.get(slug="how-ketamine-works").delete()
    assert entry.question not in client.get("/faq/").content.decode()
    assert client.get(ARTICLE).status_code == 404


def test_a_deleted_clinician_disappears_at_once(client, site):
    author = Article.objects.get(slug="how-ketamine-works").author
    assert author.name in client.get(ARTICLE).content.decode()
    Clinician.objects.filter(pk=author.pk).delete()  # queryset delete still sends post_delete
    assert author.name not in client.get(ARTICLE).content.decode()


# --- Staff, forms, search ---------------------------------------------------------------


def test_staff_always_see_the_page_as_it_is_and_never_fill_the_cache(admin_client, site):
    visitor = Client()
    visitor.get(ARTICLE)
    # Changed without a signal, so the visitors' cached copy is now out of date.
    Article.objects.filter(slug="how-ketamine-works").update(title="Changed quietly")
    assert "Changed quietly" not in visitor.get(ARTICLE).content.decode()
    assert "Changed quietly" in admin_client.get(ARTICLE).content.decode()

    admin_client.get("/faq/")
    count, _ = queries_for(Client(), "/faq/")
    assert count > 0, "a staff member's visit must not have stored the page"


def test_a_staff_draft_preview_is_never_stored(admin_client, site):
    Article.objects.create(title="Draft", slug="draft", summary="s", body="b", status=Status.DRAFT)
    assert admin_client.get("/articles/draft/").status_code == 200
    # A visitor who sends a stale session cookie is still not given the draft.
    assert Client().get("/articles/draft/").status_code == 404


def test_the_contact_form_is_never_cached_so_every_visitor_gets_their_own_token(db):
    tokens = set()
    for _ in range(2):
        html = Client().get("/contact/").content.decode()
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert len(tokens) == 2
    count, _ = queries_for(Client(), "/contact/")
    assert count > 0


def test_search_is_never_cached(client, site):
    client.get("/search/?q=nasal+spray")
    count, html = queries_for(client, "/search/?q=nasal+spray")
    assert count > 0 and "Ways ketamine is given" in html


# --- Scheduled articles -----------------------------------------------------------------


def test_cached_pages_expire_when_the_next_scheduled_article_goes_live(client, site):
    publish_at = timezone.now() + datetime.timedelta(seconds=2)
    Article.objects.create(
        title="Scheduled piece", slug="scheduled", summary="s", body="b",
        status=Status.PUBLISHED, publish_at=publish_at,
    )  # fmt: skip
    assert 1 <= page_cache.entry_timeout() <= 2
    assert "Scheduled piece" not in client.get("/articles/").content.decode()

    time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 0.2)
    assert "Scheduled piece" in client.get("/articles/").content.decode()


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
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DB}",
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_with_redis_hits_make_no_query_and_saves_invalidate(client, site, redis_cache):
    client.get(ARTICLE)
    count, _ = queries_for(client, ARTICLE)
    assert count == 0
    rename_article()
    assert "FRESH article title" in client.get(ARTICLE).content.decode()


def test_a_lost_version_key_never_brings_old_pages_back(client, site):
    from django.core.cache import cache

    old = page_cache.content_version()
    cache.delete(page_cache.VERSION_KEY)
    assert page_cache.content_version() > old
