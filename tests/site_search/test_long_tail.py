"""A search matching many pages: past the rescored ones, the matches keep the engine's order
and are made into hits only when a results page reaches them (search.ranked). The order
must be exactly the one ranking's, as if every match had been placed (search.ordering).
RESCORED is made small here so a few dozen pages have a long tail."""

import pytest

from search import engine as site_search
from search import ordering, ranking
from search.models import SearchPromotion
from search.query import parse, prepare
from search.ranking import find_each, hits_of, rescore

RESCORED = 5


@pytest.fixture
def small_rescore(monkeypatch):
    monkeypatch.setattr(ranking, "RESCORED", RESCORED)
    monkeypatch.setattr(ordering, "RESCORED", RESCORED)


@pytest.fixture
def many_pages(make_article, make_faq):
    """36 articles and 12 answers about the spray, saying it more or less often; a few
    titles name it (they lift themselves out of the tail), one title is the query."""
    articles = []
    for n in range(36):
        title = f"Nasal spray note {n}" if n % 9 == 4 else f"Page {n}"
        body = "The nasal spray. " * (1 + n % 7) + "Other words about treatment. " * (n % 5)
        articles.append(make_article(title=title, slug=f"page-{n}", body=body, order=n))
    articles.append(make_article(title="Nasal spray", slug="exact", body="A nasal spray."))
    for n in range(12):
        make_faq(question=f"Question {n}?", answer="The nasal spray. " * (1 + n % 3))
    return articles


def every_match_placed(query: str, pinned: list[int]) -> list[tuple[str, int]]:
    """The reference: every match made a hit and sorted by its place (ordering.placer)."""
    searched = prepare(parse(query))
    found = find_each(searched)
    hits = []
    for kind, rows in found.items():
        hits += rescore(kind, hits_of(kind, rows[:RESCORED]), searched)
        hits += hits_of(kind, rows[RESCORED:], RESCORED)
    place = ordering.placer(searched, query, pinned, partial=False)
    return [(hit.kind, hit.pk) for hit in sorted(hits, key=place)]


@pytest.mark.usefixtures("small_rescore")
@pytest.mark.parametrize("query", ["nasal spray", "spray", "spray treatment"])
def test_the_long_tail_keeps_the_order_of_every_match_placed(many_pages, query):
    outcome = site_search.search(query)
    expected = every_match_placed(query, pinned=[])
    assert len(expected) > 3 * RESCORED  # a long tail, of both kinds
    assert [(hit.kind, hit.pk) for hit in outcome.hits] == expected
    # Each results page is the same slice of that order, and the counts are true.
    for start in range(0, len(expected), 10):
        page = outcome.hits[start : start + 10]
        assert [(hit.kind, hit.pk) for hit in page] == expected[start : start + 10]
    assert outcome.count == len(expected)
    assert outcome.article_count == sum(kind == "article" for kind, _ in expected)
    assert outcome.answer_count == sum(kind == "faq" for kind, _ in expected)


@pytest.mark.usefixtures("small_rescore")
def test_a_promoted_article_deep_in_the_tail_comes_first(many_pages):
    searched = prepare(parse("spray"))
    article_rows = find_each(searched)["article"]
    last = article_rows[-1][2]  # the engine's last article
    SearchPromotion.objects.create(query="spray", article_id=last, sort_order=1)
    outcome = site_search.search("spray")
    assert outcome.hits[0].pk == last and outcome.hits[0].kind == "article"
    assert [(hit.kind, hit.pk) for hit in outcome.hits] == every_match_placed("spray", [last])
    assert sum(hit.pk == last and hit.kind == "article" for hit in outcome.hits) == 1


@pytest.mark.usefixtures("small_rescore")
def test_the_first_page_makes_no_hit_of_the_tail(many_pages, monkeypatch):
    outcome = site_search.search("spray")
    made = []
    monkeypatch.setattr(type(outcome.hits), "tail", lambda self: made.append(1) or iter(()))
    assert len(outcome.hits[0:10]) == 10 and outcome.results(1)
    assert made == []
