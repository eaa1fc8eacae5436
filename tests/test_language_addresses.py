"""The address alone says the language: English at today's addresses, Spanish under /es/,
never a cookie or the browser's Accept-Language (issue 28)."""

from django.urls import reverse

from tests.wsgi_client import WsgiClient


def test_english_address_stays_english_for_a_spanish_browser_and_cookie(client, db):
    client.cookies["django_language"] = "es"
    response = client.get("/articles/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="en">' in response.content.decode()


def test_spanish_address_is_spanish_for_an_english_browser(client, db):
    response = client.get("/es/articles/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    html = response.content.decode()
    assert '<html lang="es">' in html and 'content="es_US"' in html


def test_addresses_shared_by_both_languages_have_no_spanish_copy(client, db):
    assert client.get("/healthz").status_code == 200
    for path in ("/es/healthz", "/es/sitemap.xml", "/es/robots.txt", "/es/feed/"):
        assert client.get(path, follow=True).status_code == 404, path


def test_a_spanish_page_leaves_the_next_reverse_in_english(client, db):
    client.get("/es/articles/")
    assert reverse("articles:index") == "/articles/"


def test_the_page_cache_keeps_the_english_and_spanish_pages_apart(db, django_assert_num_queries):
    site = WsgiClient()  # through the page cache, as gunicorn serves it
    for _ in range(2):
        english, spanish = site.get("/articles/"), site.get("/es/articles/")
        assert '<html lang="en">' in english.text() and "In crisis" in english.text()
        assert '<html lang="es">' in spanish.text() and "marque 2" in spanish.text()
    with django_assert_num_queries(0):  # both were stored, each under its own address
        assert site.get("/es/articles/").text() == spanish.text()
