"""Search, SEO tags, sitemap, robots.txt, feed, structured data, trust pages and caching."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import clear_script_prefix
from django.utils import timezone

from articles.models import Article, Status
from clinic.models import Clinician
from tests.reviewing import sign_off
from tests.wsgi_client import WsgiClient


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def jsonld_blocks(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


# --- Search -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,expected_first",
    [
        ("can I drive after", "a-treatment-day"),
        ("nasal spray", "spravato-esketamine-nasal-spray"),  # the article all about it
        ("is it addictive", "side-effects-and-safety"),
        ("cost", "costs-and-insurance"),
        ("insurance", "costs-and-insurance"),
        ("how does ketamine work", "how-ketamine-works"),
    ],
)
def test_patient_queries_find_the_right_article_first(client, site, query, expected_first):
    html = html_of(client, f"/search/?q={query}")
    first = re.search(r'id="search-results".*?<h3><a href="/articles/([^/]+)/"', html, re.S)
    assert first and first.group(1) == expected_first


def test_a_title_match_ranks_first(client, site):
    html = html_of(client, "/search/?q=psychotherapy")
    first = re.search(r'id="search-results".*?<h3><a href="/articles/([^/]+)/"', html, re.S)
    assert first.group(1) == "ketamine-assisted-psychotherapy"


def test_results_have_snippets_with_highlighted_words(client, site):
    html = html_of(client, "/search/?q=nasal+spray")
    assert re.search(r"<mark>[Nn]asal</mark>", html)
    assert "Questions and answers" in html  # the FAQ is searched too


def test_search_never_shows_unpublished_articles(client, site):
    Article.objects.create(
        title="Secret draft about spray",
        slug="secret",
        summary="s",
        body="spray",
        status=Status.DRAFT,
    )
    assert "Secret draft" not in html_of(client, "/search/?q=spray")


def test_no_results_offers_useful_articles_and_the_faq(client, site):
    html = html_of(client, "/search/?q=xylophone")
    assert "We found nothing for “xylophone”" in html
    assert 'href="/articles/what-is-ketamine-therapy/"' in html and 'href="/faq/"' in html


@pytest.mark.parametrize(
    "query",
    ["", "   ", "a" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "%00\x00", "&amp; \" '",
     "the and of", "spray" * 1000, "!!!***:::"],
)  # fmt: skip
def test_hostile_or_odd_queries_are_answered_cleanly(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert len(html) < 200_000


# --- SEO ----------------------------------------------------------------------------

PUBLIC_PAGES = ["/", "/articles/", "/articles/how-ketamine-works/", "/articles/a-treatment-day/",
                "/faq/", "/contact/", "/privacy/", "/accessibility/", "/about-our-content/",
                "/search/?q=spray"]  # fmt: skip


def test_every_page_has_a_unique_title_and_a_description(client, site):
    titles = []
    for url in PUBLIC_PAGES:
        html = html_of(client, url)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert title and description.strip(), url
        titles.append(title)
    assert len(set(titles)) == len(titles)


def test_pages_have_canonical_open_graph_and_twitter_tags(client, site):
    html = html_of(client, "/articles/how-ketamine-works/")
    assert '<link rel="canonical" href="http://testserver/articles/how-ketamine-works/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="How ketamine works">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<html lang="en">' in html
    assert 'rel="icon"' in html and 'rel="manifest"' in html


def test_sitemap_lists_exactly_the_published_articles_and_main_pages(client, site):
    Article.objects.create(
        title="Draft", slug="a-draft", summary="s", body="b", status=Status.DRAFT
    )
    Article.objects.create(
        title="Later", slug="later", summary="s", body="b", status=Status.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(response.content)
    locations = [
        loc.text.replace("http://testserver", "") for loc in root.findall(".//s:loc", namespace)
    ]
    article_urls = {u for u in locations if u.startswith("/articles/") and u != "/articles/"}
    assert article_urls == {a.get_absolute_url() for a in Article.objects.published()}
    for url in ["/", "/faq/", "/contact/", "/privacy/"]:
        assert url in locations
    for entry in root.findall("s:url", namespace):
        if entry.findtext("s:loc", namespaces=namespace).endswith(tuple(article_urls)):
            assert entry.findtext("s:lastmod", namespaces=namespace)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_feed_parses_and_lists_the_published_articles(client, site):
    response = client.get("/feed/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    links = {item.findtext("link").replace("http://testserver", "") for item in root.iter("item")}
    assert links == {a.get_absolute_url() for a in Article.objects.published()}


def test_feed_links_follow_the_script_prefix(site):
    """Served below a path (SCRIPT_NAME), the feed's own link and its items' carry it."""
    try:
        response = WsgiClient().get("/feed/", script_name="/clinic")
    finally:
        clear_script_prefix()  # the request set it for this thread; later tests expect none
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    item_links = [item.findtext("link") for item in root.iter("item")]
    assert root.find("channel").findtext("link") == "http://testserver/clinic/articles/"
    assert item_links
    assert all(link.startswith("http://testserver/clinic/articles/") for link in item_links)


# --- Structured data -----------------------------------------------------------------


def test_article_has_medical_web_page_and_breadcrumbs(client, site):
    reviewer = Clinician.objects.create(name="Dr. Real Reviewer", credentials="MD")
    article = Article.objects.get(slug="how-ketamine-works")
    sign_off(article, reviewer, datetime.date(2026, 3, 1))
    blocks = {b["@type"]: b for b in jsonld_blocks(html_of(client, article.get_absolute_url()))}
    page = blocks["MedicalWebPage"]
    assert page["about"]["@type"] == "MedicalTherapy"
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"]["name"] == "Dr. Real Reviewer"
    for key in ("author", "datePublished", "dateModified", "headline", "description"):
        assert page[key]
    crumbs = blocks["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Articles", "How ketamine works"]


def test_home_has_medical_clinic_with_address_phone_and_hours(client, site):
    (clinic,) = jsonld_blocks(html_of(client, "/"))
    assert clinic["@type"] == "MedicalClinic"
    assert clinic["telephone"] and clinic["address"]["streetAddress"] and clinic["openingHours"]


def test_faq_has_faqpage(client, site):
    (faq,) = jsonld_blocks(html_of(client, "/faq/"))
    assert faq["@type"] == "FAQPage" and len(faq["mainEntity"]) >= 20


def test_structured_data_cannot_be_broken_out_of(client, db):
    Article.objects.create(
        title="</script><script>alert(1)</script>", slug="x", summary="s", body="b",
        status=Status.PUBLISHED, publish_at=timezone.now() - datetime.timedelta(minutes=1),
    )  # fmt: skip
    html = html_of(client, "/articles/x/")
    assert "<script>alert(1)" not in html
    assert jsonld_blocks(html)[0]["name"] == "</script><script>alert(1)</script>"


# --- Navigation and trust pages --------------------------------------------------------


def test_article_has_related_articles_and_reading_order_links(client, site):
    html = html_of(client, "/articles/how-ketamine-works/")
    assert "Related articles" in html
    assert 'rel="prev"' in html and 'href="/articles/what-is-ketamine-therapy/"' in html
    assert 'rel="next"' in html
    assert 'aria-label="Breadcrumb"' in html


def test_footer_links_to_the_trust_pages(client, site):
    html = html_of(client, "/")
    for url in ["/privacy/", "/accessibility/", "/about-our-content/"]:
        assert f'href="{url}"' in html
        html_of(client, url)


def test_privacy_notice_states_the_real_retention_period(client, site, settings):
    settings.INQUIRY_RETENTION_DAYS = 180
    html = html_of(client, "/privacy/")
    assert "180 days" in html and "{retention_days}" not in html


# --- Cache-friendly pages ----------------------------------------------------------------

CACHEABLE = ["/", "/articles/", "/articles/how-ketamine-works/", "/faq/", "/privacy/",
             "/when-to-get-help/"]  # fmt: skip


@pytest.mark.parametrize("url", CACHEABLE)
def test_public_pages_set_no_cookie_and_may_be_cached(client, site, url):
    response = client.get(url)
    assert not response.cookies, f"{url} set {list(response.cookies)}"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response.has_header("ETag")


def test_search_pages_set_no_cookie_and_are_never_kept_by_a_shared_cache(client, site):
    """A query is health information: a search page may be kept by the browser, never by a
    shared cache (issue 25: Cache-Control private)."""
    response = client.get("/search/?q=spray")
    assert not response.cookies
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_conditional_get_gives_304_until_the_article_changes(client, site):
    url = "/articles/how-ketamine-works/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    article = Article.objects.get(slug="how-ketamine-works")
    article.summary = "A new summary."
    article.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_draft_preview_is_never_cached_publicly(admin_client, db):
    Article.objects.create(title="D", slug="d", summary="s", body="b", status=Status.DRAFT)
    response = admin_client.get("/articles/d/")
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_snippet_running_from_a_heading_into_the_text_keeps_the_sentence_break(client, db):
    Article.objects.create(
        title="Visit day", slug="visit-day", summary="What happens.", status=Status.PUBLISHED,
        publish_at=timezone.now() - datetime.timedelta(hours=1),
        body="## If you have the nasal spray\n\nAn esketamine visit takes longer.\n\n"
        "## Is it safe?\n\nYes, with nasal spray checks.\n",
    )  # fmt: skip
    html = html_of(client, "/search/?q=nasal+spray")
    # the full stop stays outside the highlight
    assert "the <mark>nasal</mark> <mark>spray</mark>. An esketamine visit" in html
    assert "Is it safe? Yes" in html  # a heading that ends a sentence gets no extra stop
