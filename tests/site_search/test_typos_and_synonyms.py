"""The words patients type: typos corrected from the site's own words, synonyms both ways."""

import re

import pytest

from articles.models import Status
from search.models import SearchSynonym, SearchWord
from tests.site_search.results import article_slugs, first_article, search_page, showing_results_for

# --- Typos ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,shown,expected_first",
    [
        ("spravado", "spravato", "spravato-esketamine-nasal-spray"),
        ("sprovato", "spravato", "spravato-esketamine-nasal-spray"),
        ("spravatto", "spravato", "spravato-esketamine-nasal-spray"),
        ("ketamene infusion", "ketamine infusion", "ways-ketamine-is-given"),
        ("infussion", "infusion", "ways-ketamine-is-given"),
        ("infusoin", "infusion", "ways-ketamine-is-given"),
        ("injecton", "injection", "ways-ketamine-is-given"),
        ("lozenjes", "lozenges", "ways-ketamine-is-given"),
        ("nasel spray", "nasal spray", "spravato-esketamine-nasal-spray"),
        ("dissociaton", "dissociation", "side-effects-and-safety"),
        ("nausia", "nausea", "side-effects-and-safety"),
        ("addictve", "addictive", "side-effects-and-safety"),
        ("depresion", "depression", "what-is-ketamine-therapy"),
        ("insurnace", "insurance", "costs-and-insurance"),
        ("psychoterapy", "psychotherapy", "ketamine-assisted-psychotherapy"),
        ("drivng", "driving", "a-treatment-day"),
        ("anestetic", "anesthetic", None),
        ("blod pressure", "blood pressure", None),
        ("tretment", "treatment", None),
        ("theraphy", "therapy", None),
    ],
)
def test_misspelled_words_are_searched_as_the_closest_word_the_site_uses(
    client, site, typed, shown, expected_first
):
    html = search_page(client, typed)
    assert showing_results_for(html) == shown
    if expected_first:
        assert first_article(html) == expected_first


@pytest.mark.parametrize(
    "typed,expected_first",
    [("esketamin", "spravato-esketamine-nasal-spray"), ("insurence", "costs-and-insurance")],
)
def test_a_misspelling_with_the_same_stem_needs_no_correction(client, site, typed, expected_first):
    html = search_page(client, typed)
    assert showing_results_for(html) is None  # the engines' stemmers already match it
    assert first_article(html) == expected_first


def test_the_correction_is_announced_with_a_link_to_search_exactly_what_was_typed(client, site):
    html = search_page(client, "spravado")
    status = re.search(r'<div class="search-status" role="status">(.*?)</div>', html, re.S)
    assert "Showing results for <strong>spravato</strong>" in status.group(1)
    assert 'href="/search/?q=spravado&amp;exact=1"' in status.group(1)

    exact = search_page(client, "spravado", exact="1")
    assert showing_results_for(exact) is None
    assert "We found nothing for “spravado”" in exact
    assert re.search(r'Did you mean <a href="/search/\?q=spravato">spravato</a>\?', exact)


def test_words_that_are_nothing_like_the_sites_are_not_corrected(client, site):
    html = search_page(client, "xylophone")
    assert showing_results_for(html) is None and "Did you mean" not in html
    assert "We found nothing for “xylophone”" in html


def test_typos_are_corrected_only_from_published_words(client, make_article):
    make_article(title="Tinnitus", body="Ringing in the ears.", status=Status.DRAFT)
    make_article(title="Ears", body="About hearing.")
    assert not SearchWord.objects.filter(word="tinnitus").exists()
    assert showing_results_for(search_page(client, "tinitus")) is None


def test_the_vocabulary_follows_saves_and_deletes(client, make_article):
    article = make_article(title="Hearing", body="Some people notice tinnitus.")
    assert showing_results_for(search_page(client, "tinitus")) == "tinnitus"
    article.delete()
    assert not SearchWord.objects.filter(word="tinnitus").exists()


# --- Synonyms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,only_says",
    [
        ("Spravato", "esketamine"),
        ("IV", "infusion"),
        ("shot", "injection"),
        ("IM", "injection"),
        ("price", "cost"),
        ("KAP", "ketamine-assisted psychotherapy"),
    ],
)
def test_seeded_synonyms_find_pages_that_use_another_name(client, make_article, query, only_says):
    make_article(title="A page", slug="target", body=f"This page talks about {only_says} only.")
    make_article(title="Another page", slug="other", body="Nothing to do with it.")
    assert article_slugs(search_page(client, query)) == ["target"]


def test_synonyms_work_both_ways_and_for_phrases(client, make_article):
    make_article(title="Therapy", slug="kap", body="We offer KAP sessions.")
    assert article_slugs(search_page(client, "ketamine-assisted psychotherapy")) == ["kap"]
    assert article_slugs(search_page(client, "ketamine assisted psychotherapy")) == ["kap"]


def test_staff_synonyms_from_the_admin_apply_at_once(client, make_article):
    make_article(title="Spray", slug="spray", body="The nasal spray is used at the clinic.")
    assert article_slugs(search_page(client, "inhaler")) == []
    SearchSynonym.objects.create(terms="inhaler = nasal spray")
    assert article_slugs(search_page(client, "inhaler")) == ["spray"]


def test_the_synonym_admin_refuses_a_single_term(admin_client):
    response = admin_client.post("/admin/search/searchsynonym/add/", {"terms": "Spravato"})
    assert response.status_code == 200
    assert "Give at least two words or phrases" in response.content.decode()
    assert not SearchSynonym.objects.filter(terms="Spravato").exists()
