"""Search on the Spanish pages (issue 28 item 5): /es/search/ searches the Spanish
translations patients may see, with Spanish stemming and without caring about accents,
links to /es/articles/<slug>/ (and to Spanish FAQ answers: test_spanish_faq_search.py),
speaks Spanish, and still puts the emergency card first
for a search that reads like a crisis. The same on SQLite and PostgreSQL (the suite runs
on both); the English search and its index are untouched."""

import re

import pytest
from django.utils import timezone

from articles.models import Article, ArticleTranslation, Status
from search import spanish
from search.spanish_text import stemmed
from tests.reviewing import a_clinician
from tests.site_search.results import results_of

SIDE_EFFECTS = "/es/articles/side-effects-and-safety/"


def spanish_search(client, query: str) -> str:
    response = client.get("/es/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)">', results_of(html))


def translation_of(slug: str) -> ArticleTranslation:
    return ArticleTranslation.objects.select_related("article").get(article__slug=slug)


# --- Words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, written",
    [
        ("efectos secundarios", "efecto secundario"),
        ("nausea", "Náuseas"),
        ("náusea", "nauseas"),
        ("ansiedad", "Ansiedad"),
        ("medicacion", "medicaciones"),
        ("sesion", "sesiones"),
        ("psicosis", "Psicosis"),
    ],
)
def test_spanish_forms_and_accents_meet_in_one_stem(typed, written):
    assert stemmed(typed) == stemmed(written)


def test_dosis_is_not_dos():
    assert stemmed("dosis") != stemmed("dos")


def test_the_query_drops_spanish_words_that_carry_no_meaning():
    parsed = spanish.parse("¿Cuáles son los efectos secundarios de la ketamina?")
    assert [term[0] for term in parsed.terms] == [("efect",), ("secundari",), ("ketamin",)]
    quoted = spanish.parse('"efectos de la ketamina" -spravato')
    assert quoted.terms == ((("efect", "de", "la", "ketamin"),),)
    assert quoted.excluded == (("spravat",),)


# --- The real Spanish pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["efectos secundarios", "efecto secundario", "nausea", "náuseas", "ansiedad"]
)
def test_spanish_search_finds_the_spanish_pages_and_links_to_them(client, site, query):
    found = links(spanish_search(client, query))
    assert SIDE_EFFECTS in found
    assert all(link.startswith(("/es/articles/", "/es/faq/#faq-")) for link in found)


def test_the_page_about_the_words_comes_first(client, site):
    assert links(spanish_search(client, "efectos secundarios"))[0] == SIDE_EFFECTS
    assert links(spanish_search(client, "spravato"))[0] == (
        "/es/articles/spravato-esketamine-nasal-spray/"
    )


def test_a_quoted_phrase_and_a_left_out_word(client, site):
    phrase = links(spanish_search(client, '"efectos secundarios"'))
    assert SIDE_EFFECTS in phrase
    without = links(spanish_search(client, "efectos secundarios -psicosis"))
    assert SIDE_EFFECTS not in without  # it speaks of psicosis
    assert "/es/articles/what-is-ketamine-therapy/" in without


def test_the_words_are_marked_in_the_spanish_snippet(client, site):
    html = spanish_search(client, "nausea")
    assert re.search(r"<mark>[Nn]áuseas</mark>", results_of(html))


def test_the_results_page_speaks_spanish(client, site):
    html = spanish_search(client, "ansiedad")
    assert "Resultados de la búsqueda de “ansiedad”" in html
    assert re.search(r"Encontramos \d+ resultados?: \d+ artículos? y \d+ respuestas?\.", html)
    assert "Buscar en los artículos y las respuestas" in html
    for english in (
        "Search results for",
        "Found ",
        "Search articles and answers",
        ">Article<",
        ">Answer<",
    ):
        assert english not in html


def test_nothing_found_offers_spanish_pages_to_start_with(client, site):
    html = spanish_search(client, "zzzzqx")
    assert "No encontramos nada para “zzzzqx”." in html
    cards = re.findall(r'<h3><a href="([^"]+)">', html)
    assert cards and all(card.startswith("/es/articles/") for card in cards)


def test_english_search_does_not_find_spanish_text(client, site):
    response = client.get("/search/", {"q": "ansiedad náuseas"})
    html = response.content.decode()
    assert "/es/articles/" not in results_of(html)
    assert "Search results for" in html


def test_a_spanish_crisis_search_shows_the_emergency_card_first(client, site):
    html = spanish_search(client, "quiero morir")
    assert 'id="care-card-search"' in html
    assert html.index('id="care-card-search"') < html.index("<h1")
    assert "/es/when-to-get-help/" in html


# --- Which translations, as they change ------------------------------------------------------


def test_with_review_required_only_a_reviewed_translation_is_found(client, site, settings):
    settings.REQUIRE_MEDICAL_REVIEW = True
    assert links(spanish_search(client, "ansiedad")) == []
    translation = translation_of("side-effects-and-safety")
    translation.record_review(a_clinician())
    translation.save()
    assert links(spanish_search(client, "ansiedad")) == [SIDE_EFFECTS]


def test_a_translation_of_an_article_not_on_the_site_is_not_found(client, site):
    Article.objects.filter(slug="side-effects-and-safety").update(status=Status.DRAFT)
    Article.objects.get(slug="a-treatment-day").save()  # a save: the kept answers go
    assert SIDE_EFFECTS not in links(spanish_search(client, "efectos secundarios"))


def test_the_index_follows_saves_and_deletes(client, site):
    translation = translation_of("a-treatment-day")
    translation.body += "\n\nLa palabra ornitorrinco aparece aquí.\n"
    translation.save()
    assert links(spanish_search(client, "ornitorrincos")) == ["/es/articles/a-treatment-day/"]
    translation.delete()
    assert links(spanish_search(client, "ornitorrinco")) == []


def test_a_page_published_later_is_found_once_it_is_live(client, site):
    article = Article.objects.get(slug="a-treatment-day")
    article.publish_at = timezone.now() + timezone.timedelta(days=1)
    article.save()
    assert "/es/articles/a-treatment-day/" not in links(spanish_search(client, "tratamiento"))


# --- Every interface string of the results page has its Spanish -------------------------------

_GETTEXT = re.compile(r"""\b_\(\s*(["'])(.+?)(?<!\\)\1""", re.S)
_NGETTEXT = re.compile(r"""\bngettext\(\s*"(.+?)",\s*"(.+?)",""")


def interface_strings() -> set[tuple[str, ...]]:
    from pathlib import Path

    from django.conf import settings

    strings = set()
    for path in ("templates/search/results.html", "search/views.py"):
        text = (Path(settings.BASE_DIR) / path).read_text(encoding="utf-8")
        strings |= {(m.group(2).replace('\\"', '"'),) for m in _GETTEXT.finditer(text)}
        strings |= {(m.group(1), m.group(2)) for m in _NGETTEXT.finditer(text)}
    return strings


def test_every_interface_string_of_the_results_page_is_translated():
    from django.utils import translation

    strings = interface_strings()
    assert len(strings) > 25  # the extraction still finds them
    with translation.override("es"):
        untranslated = [
            s
            for s in strings
            if (translation.gettext(s[0]) if len(s) == 1 else translation.ngettext(*s, 2))
            == (s[0] if len(s) == 1 else s[1])
        ]
    assert untranslated == []


@pytest.mark.parametrize("heading", ["References", "Referencias"])
def test_the_list_of_sources_is_not_searched(heading):
    from search.spanish_text import translation_fields

    page = ArticleTranslation(
        title="Título",
        summary="Resumen.",
        body_html=f'<p>Texto.</p><h2 id="{heading.lower()}">{heading}</h2><ol><li>Zarate CA. '
        "Ketamine trial.</li></ol>",
    )
    assert translation_fields(page) == ("Título", "Resumen.", "Texto.")


def test_nothing_found_with_nothing_to_show_offers_no_empty_list(client, db):
    html = spanish_search(client, "zzzzqx")
    assert "Pruebe con menos palabras o con palabras más sencillas." in html
    assert "empiece por uno de estos" not in html


def test_rebuild_search_index_writes_the_spanish_index_again(client, site):
    from io import StringIO

    from django.core.management import call_command

    from search import backends

    backend = backends.current()
    backend.clear_spanish()
    assert backend.spanish_term_matches([("ansied",)]) == set()
    call_command("rebuild_search_index", stdout=StringIO())
    assert translation_of("side-effects-and-safety").pk in backend.spanish_term_matches(
        [("ansied",)]
    )
    assert SIDE_EFFECTS in links(spanish_search(client, "ansiedad mareo"))
