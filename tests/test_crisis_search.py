"""Search (issue 25, items 6 and 7): a query that reads like a crisis gets the emergency care
card above any result and is counted without its words; search pages are never kept by a
shared cache."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from insights.models import CrisisSearchDay, SearchDay
from tests.staff import staff_with_permissions

from .wsgi_client import WsgiClient

CRISIS_QUERIES = ["suicidal", "I want to die", "kms", "i dont want to be here anymore", "su1cide",
                  "quiero morir", "Quiero hacerme daño", "hacerme dano"]  # fmt: skip
ORDINARY_QUERIES = ["suicide prevention research", "side effects", "dying to know the cost",
                    "prevención del suicidio", "¿Cuánto cuesta una sesión?"]  # fmt: skip


@pytest.fixture
def site(db, settings):
    """The real articles and FAQ from the repository's content/ folder."""
    settings.REQUIRE_MEDICAL_REVIEW = False
    call_command("import_content", stdout=StringIO())


def main_of(html: str) -> str:
    return html[html.index('<main id="main-content"') :]


@pytest.mark.parametrize("query", CRISIS_QUERIES)
def test_a_crisis_query_shows_the_emergency_card_above_any_result(client, site, query):
    main = main_of(client.get("/search/", {"q": query}).content.decode())
    card_at = main.index('<div class="care-card care-card--emergency" id="care-card-search"')
    card = main[card_at : main.index("</div>", card_at)]
    for needed in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', "nearest emergency room"):
        assert needed in card
    assert "hidden" not in card[: card.index(">")]
    assert "contact form" not in card  # the search page's own wording
    assert card_at < main.index("<h1>")
    for results in ('id="article-results"', 'id="faq-results"', 'id="suggestions-heading"'):
        if results in main:
            assert card_at < main.index(results)


def test_a_crisis_query_gets_no_pages_that_share_only_some_of_its_words(client, site):
    """ "I want to die" shares only "want" with a few pages: no partial results under the card,
    no "articles many people start with", but the page on when to get help."""
    main = main_of(client.get("/search/", {"q": "I want to die"}).content.decode())
    assert 'id="care-card-search"' in main
    assert "No page has all of your words" not in main
    assert 'class="results"' not in main
    assert 'id="suggestions-heading"' not in main
    assert 'href="/when-to-get-help/"' in main[main.index('class="search-status"') :]


def test_a_crisis_query_that_a_page_answers_keeps_its_results(client, site):
    main = main_of(client.get("/search/", {"q": "suicidal thoughts"}).content.decode())
    assert 'id="care-card-search"' in main
    assert 'class="results"' in main
    assert "No page has all of your words" not in main


def test_the_card_also_shows_when_the_page_is_kept_for_the_next_searcher(client, site):
    """Search pages are kept in memory per worker; the second visitor gets the card too."""
    for _ in range(2):
        html = client.get("/search/", {"q": "want to die"}).content.decode()
        assert 'id="care-card-search"' in html


@pytest.mark.parametrize("query", ORDINARY_QUERIES)
def test_an_ordinary_query_shows_no_card(client, site, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert "care-card--emergency" not in html
    assert 'href="tel:988"' in html  # the crisis notice every page has


def test_a_crisis_search_is_counted_without_its_words(client, site):
    client.get("/search/", {"q": "I want to die"})
    client.get("/search/", {"q": "I want to die"})
    client.get("/search/", {"q": "Suicidal"})
    client.get("/search/", {"q": "side effects"})
    assert CrisisSearchDay.objects.get(day=timezone.localdate()).count == 3
    # Only the ordinary search is counted as a search (its text is kept from its second
    # time in a day, so today it is in the "other searches" row).
    rows = list(SearchDay.objects.values_list("query", "count"))
    assert rows == [("", 1)]

    client.force_login(staff_with_permissions("manager", "view_insights"))
    html = client.get("/admin/insights/").content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert "3 searches read like a crisis" in text
    for private in ("want to die", "uicidal"):
        assert private not in html


def test_a_spanish_crisis_search_gets_help_only_and_is_counted_without_its_words(client, site):
    """ "quiero morir" (issue 28): the card and the page on when to get help, no pages that
    share a word with it; counted as a crisis search, its words kept nowhere."""
    main = main_of(client.get("/search/", {"q": "quiero morir"}).content.decode())
    assert 'id="care-card-search"' in main
    assert 'class="results"' not in main
    assert 'href="/when-to-get-help/"' in main[main.index('class="search-status"') :]
    assert CrisisSearchDay.objects.get(day=timezone.localdate()).count == 1
    assert not SearchDay.objects.exists()


@pytest.mark.parametrize("query", ["", "side effects", "I want to die"])
def test_search_pages_are_private_never_public(site, query):
    """Through the whole WSGI application (page cache included), as a proxy would see it."""
    wsgi = WsgiClient()
    url = "/search/" + (f"?q={query.replace(' ', '+')}" if query else "")
    for _ in range(2):  # the second time too (never stored by the page cache)
        response = wsgi.get(url)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "public" not in cache_control


def test_nginx_never_keeps_search_pages():
    """deploy/nginx-site.conf sends /search/ to the site without its micro-cache, and any
    response marked private is never stored anywhere else either."""
    conf = (settings.BASE_DIR / "deploy" / "nginx-site.conf").read_text()
    blocks = re.finditer(r"location ~ \^/\(([^)]*)\)\(/\|\$\) \{(.*?)\}", conf, re.S)
    block = next(b for b in blocks if "search" in b.group(1).split("|"))
    assert "proxy_cache " not in block.group(2)
    not_public = re.search(r"map \$upstream_http_cache_control \$clinic_not_public \{(.*?)\}",
                           conf, re.S)  # fmt: skip
    assert "private" in not_public.group(1)
    assert "$clinic_not_public" in conf[conf.index("proxy_no_cache") :].splitlines()[0]


@pytest.mark.parametrize("query", ["quiero morir", "I want to die"])
def test_the_emergency_card_tells_spanish_speakers_how_to_reach_988_in_spanish(client, site, query):
    """988 answers in Spanish after pressing 2, and by text with the word AYUDA: said in
    Spanish, marked as Spanish, on the card whatever words brought it up."""
    main = main_of(client.get("/search/", {"q": query}).content.decode())
    card_at = main.index('id="care-card-search"')
    card = main[card_at : main.index("</div>", card_at)]
    spanish = card[card.index('lang="es"') :]
    assert "marque 2 para español" in spanish and "AYUDA" in spanish
    for needed in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"'):
        assert needed in spanish
