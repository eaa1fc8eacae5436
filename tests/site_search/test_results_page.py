"""The results page: snippets and highlighting, the search box, the count, the report of
each search."""

import re

from search.signals import search_done
from tests.site_search.results import results_of, search_page

# --- Snippets and highlighting ----------------------------------------------------------------


def test_highlighting_marks_the_word_and_leaves_punctuation_outside(client, make_article):
    make_article(
        title="Forms",
        body="You may get an infusion, an injection (a shot), or a nasal spray: all work.",
    )
    html = search_page(client, "infusion injection spray")
    assert "<mark>infusion</mark>, an <mark>injection</mark> (a <mark>shot</mark>)," in html
    assert "nasal <mark>spray</mark>: all work" in html


def test_highlighting_marks_other_forms_and_synonyms_of_the_words(client, make_article):
    make_article(title="Costs", body="What it costs, and the prices people pay.")
    html = search_page(client, "cost")
    assert (
        "What it <mark>costs</mark>, and the <mark>prices</mark> people <mark>pay</mark>." in html
    )


def test_snippets_are_escaped(client, make_article):
    make_article(title="Symbols", body="Use 5 &lt; 6 & <b>bold</b> spray.")
    html = search_page(client, "spray")
    assert "<b>bold</b>" not in results_of(html)


# --- The results page -------------------------------------------------------------------------


def test_the_results_page_has_one_labelled_search_box(client, site):
    html = search_page(client, "spray")
    assert html.count('role="search"') == 1
    assert 'id="site-search-q"' not in html  # the header's box is left out here
    assert 'aria-label="Articles and answers"' in html
    assert 'value="spray"' in html
    # Every other page keeps the header's box.
    assert search_page(client, "").count('role="search"') == 1
    assert 'id="site-search-q"' in client.get("/faq/").content.decode()


def test_the_result_count_is_announced(client, site):
    html = search_page(client, "nasal spray")
    status = re.search(r'<div class="search-status" role="status">(.*?)</div>', html, re.S)
    found = re.search(r"Found (\d+) results: (\d+) articles? and (\d+) answers?\.", status.group(1))
    assert int(found.group(1)) == int(found.group(2)) + int(found.group(3)) > 10


def test_each_search_is_reported_with_its_result_count(client, site):
    heard = []

    def listener(sender, query, result_count, **kwargs):
        heard.append((query, result_count))

    search_done.connect(listener)
    try:
        search_page(client, "xylophone")
        search_page(client, "spravado")
        search_page(client, "")
    finally:
        search_done.disconnect(listener)
    assert heard[0] == ("xylophone", 0)
    assert heard[1][0] == "spravado" and heard[1][1] > 0
    assert len(heard) == 2
