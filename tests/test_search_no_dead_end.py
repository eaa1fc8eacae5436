"""Search that never leaves a patient at a dead end (issue 25): words that carry no
meaning, partial matches, patients' own words, one ranked list with a direct answer, a
truthful count with every match reachable, and typo correction only for misspellings.
The suite runs on both databases (DATABASE_URL)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insights.models import SearchDay
from search import engine as site_search
from search import typos
from search.models import SearchSynonym
from search.signals import search_done
from tests.site_search.results import (
    article_slugs,
    result_links,
    results_of,
    search_page,
    showing_results_for,
)

PARTIAL = "No page has all of your words. These have some of them."


def engine_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "_fts" in q["sql"] or "@@" in q["sql"]]


# --- Words that carry no meaning ------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["spray vs", "my spray", "spray for me", "can the spray", "does spray", "spray pls"]
)
def test_words_that_carry_no_meaning_never_make_a_search_fail(client, make_article, query):
    make_article(title="Nasal spray", slug="spray", body="How the nasal spray is used.")
    html = search_page(client, query)
    assert article_slugs(html) == ["spray"]
    assert PARTIAL not in html


# --- Partial matches ------------------------------------------------------------------------


def test_when_no_page_has_every_word_the_pages_with_most_of_them_are_shown(client, make_article):
    make_article(title="Three", slug="three", body="Spray, infusion and lozenge.")
    make_article(title="Two", slug="two", body="Spray and infusion.")
    make_article(title="One", slug="one", body="Spray only.")
    html = search_page(client, "spray infusion lozenge tablet")  # no page says "tablet"
    assert PARTIAL in html
    # Ranked by how many words each holds; one word of four is not "most of them".
    assert article_slugs(html) == ["three", "two"]


def test_a_partial_match_is_counted_as_a_gap(client, make_article):
    make_article(title="Spray", slug="spray", body="The nasal spray.")
    search_page(client, "spray xylophone")
    search_page(client, "spray xylophone")  # a text is kept from its second time in a day
    assert SearchDay.objects.get(query="spray xylophone").found is False
    search_page(client, "nasal spray")
    search_page(client, "nasal spray")  # a text is kept from its second time in a day
    assert SearchDay.objects.get(query="nasal spray").found is True


def test_the_partial_search_asks_the_engine_once_per_word_and_kind_whatever_the_pages(
    client, make_article
):
    """The engine is asked about each word once per kind of page (search/matching.py), and
    the words' answers are put together in memory: never one query per word per page, nor
    more queries for more pages; the same words again ask nothing until the next save."""
    query = "spray infusion lozenge qqqz zzzq yyyq"
    counts = []
    for pages in (2, 12):
        for n in range(pages):
            make_article(title=f"Page {n}", body="Spray, infusion and lozenge.")
        site_search.search("warm up")  # the per-worker tables, read once after a save
        with CaptureQueriesContext(connection) as captured:
            assert site_search.search(query).partial
        counts.append(len(engine_queries(captured.captured_queries)))
    assert counts[0] == counts[1]
    # Articles and FAQ, once per word and once per correction tried for a made-up word.
    assert counts[0] <= 2 * 2 * len(query.split())
    with CaptureQueriesContext(connection) as captured:
        assert site_search.search("zzzq lozenge spray").partial
    assert not engine_queries(captured.captured_queries)


# --- Patients' own words --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,site_says",
    [
        ("will I trip", "dissociation"),
        ("zoned out", "dissociation"),
        ("does it make you high", "dissociation"),
        ("feel weird", "dissociation"),
        ("xanax", "benzodiazepines"),
        ("klonopin", "benzodiazepines"),
        ("oxycodone", "opioid pain medicines"),
        ("percocet", "opioids"),
        ("adderall", "stimulants"),
        ("vyvanse", "stimulants"),
        ("nardil", "MAOIs"),
        ("ambien", "sleep medicines"),
        ("meds", "medicines"),
        ("teenager", "teens"),
        ("my teen", "young people"),
        ("crash", "mood drops"),
        ("price", "cost"),
        ("vs", "compared"),
        ("versus", "compared"),
        ("zoloft", "antidepressant"),
    ],
)
def test_patients_own_words_find_the_sites_words(client, make_article, typed, site_says):
    make_article(title="A page", slug="target", body=f"This page talks about {site_says}.")
    make_article(title="Another page", slug="other", body="Nothing to do with it.")
    html = search_page(client, typed)
    assert article_slugs(html) == ["target"] and PARTIAL not in html


def test_the_seeded_synonyms_are_staff_editable_rows(admin_client, db):
    assert SearchSynonym.objects.filter(terms__contains="xanax").exists()
    page = admin_client.get("/admin/search/searchsynonym/?q=adderall").content.decode()
    assert "adderall" in page


def test_the_typed_word_counts_more_than_its_synonyms(client, make_article):
    """A page naming the typed word ranks above one naming a synonym as often, or twice."""
    make_article(title="Feelings", slug="detached", body="You may feel detached, or dreamlike.")
    make_article(title="Effects", slug="named", body="Dissociation is common.")
    assert article_slugs(search_page(client, "dissociation"))[0] == "named"


# --- One ranked list, the best answer first --------------------------------------------------


def test_an_faq_answer_whose_question_matches_comes_first_as_a_direct_answer(
    client, make_article, make_faq
):
    make_article(title="Staying well between sessions", body="Sessions, sessions, sessions.")
    make_faq(question="How many sessions will I need?", answer="Most people have **six**.")
    make_faq(question="What should I bring?", answer="Bring a friend to your sessions.")
    html = search_page(client, "how many sessions")
    first = re.search(r"<li class=\"([^\"]*)\" data-kind=\"(\w+)\">(.*?)</li>", html, re.S)
    assert first.group(2) == "faq" and "direct-answer" in first.group(1)
    assert "How many sessions will I need?" in first.group(3)
    assert "Most people have <strong>six</strong>." in first.group(3)  # the whole answer
    assert len(result_links(html)) == 3  # articles and answers in one list


def test_an_faq_answer_need_not_say_ketamine(client, make_article, make_faq):
    make_article(title="A treatment day", body="After ketamine, do not drive until tomorrow.")
    make_faq(question="Can I drive home after a treatment?", answer="No. Ask someone to.")
    links = result_links(search_page(client, "can i drive after ketamine"))
    assert links[0].startswith("/faq/#faq-") and len(links) == 2


def test_the_same_results_on_both_databases_come_from_one_ranking(make_article, make_faq):
    """The order is the one ranking's (search.ranking: rank and score), not the engine's."""
    make_article(title="Spray", slug="a", body="Nasal spray. " * 3)
    make_article(title="Other", slug="b", body="A nasal spray, once.")
    outcome = site_search.search("nasal spray")
    scores = [hit.score for hit in outcome.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


# --- A truthful count, every match reachable ------------------------------------------------


def test_the_count_is_true_and_every_match_is_reachable_page_by_page(client, make_article):
    for n in range(23):
        make_article(title=f"Page {n}", slug=f"page-{n}", body="About the spray.")
    first = search_page(client, "spray")
    assert "Found 23 results: 23 articles and 0 answers. Showing 1 to 10." in first
    seen = []
    for page in (1, 2, 3):
        html = search_page(client, "spray", page=str(page))
        seen += article_slugs(html)
        assert f"Page {page} of 3" in html
        assert ('rel="next"' in html) == (page < 3) and ('rel="prev"' in html) == (page > 1)
    assert sorted(seen) == sorted(f"page-{n}" for n in range(23))
    assert 'href="/search/?q=spray&amp;page=2" rel="next"' in first
    # A page past the last, or not a number, is answered with a page of results.
    assert article_slugs(search_page(client, "spray", page="99")) == article_slugs(
        search_page(client, "spray", page="3")
    )
    assert article_slugs(search_page(client, "spray", page="x")) == article_slugs(first)


# --- Correct only what is misspelt -----------------------------------------------------------


@pytest.mark.parametrize("typed", ["parking", "where do I park", "paying", "teenager"])
def test_a_real_word_is_never_corrected_into_another(client, make_article, typed):
    make_article(title="Money", body="Paying for a party at a part of town.")
    html = search_page(client, typed)
    assert showing_results_for(html) is None and "Did you mean" not in html


def test_the_dictionary_is_read_from_the_installed_package(settings):
    """pyspellchecker's word lists ship with it: nothing is downloaded."""
    words = typos.real_words()
    assert {"parking", "park", "teenager", "embarazo"} <= words  # English and Spanish
    assert "spravado" not in words and "infussion" not in words


def test_a_corrected_search_that_still_finds_nothing_useful_is_a_gap(client, make_article):
    make_article(title="Spray", slug="spray", body="The Spravato nasal spray.")
    heard = []

    def listener(sender, query, result_count, answered, **kwargs):
        heard.append((result_count, answered))

    search_done.connect(listener)
    try:
        html = search_page(client, "spravado xylophone")
    finally:
        search_done.disconnect(listener)
    assert showing_results_for(html) == "spravato xylophone" and PARTIAL in html
    assert heard == [(1, False)]
    search_page(client, "spravado xylophone")  # a text is kept from its second time in a day
    assert SearchDay.objects.get(query="spravado xylophone").found is False


def test_a_misspelling_is_still_corrected_and_counted_as_found(client, make_article):
    make_article(title="Spray", slug="spray", body="The Spravato nasal spray.")
    assert showing_results_for(search_page(client, "spravado")) == "spravato"
    search_page(client, "spravado")  # a text is kept from its second time in a day
    assert SearchDay.objects.get(query="spravado").found is True


def test_results_are_shown_in_one_labelled_list(client, make_article, make_faq):
    make_article(title="Spray", slug="spray", body="The nasal spray.")
    make_faq(question="Is the spray safe?", answer="Mostly, with checks.")
    section = results_of(search_page(client, "spray"))
    assert section.count('data-kind="article"') == 1 and section.count('data-kind="faq"') == 1
    assert '<p class="result-kind">Article</p>' in section


def test_a_scheduled_articles_words_are_never_suggested(client, make_article):
    later = timezone.now() + datetime.timedelta(days=1)
    make_article(title="Soon", body="Tinnitus is a ringing.", publish_at=later)
    make_article(title="Ears", body="About hearing.")
    assert showing_results_for(search_page(client, "tinitus")) is None
    assert "Did you mean" not in search_page(client, "tinitus", exact="1")
