"""The one ranking, described once and computed the same way for both databases.

The engine finds the candidates of one kind ("article" or "faq") and gives its own score
(matching.py, one term at a time);
the engines' scores differ (bm25 weighs how rare a word is, ts_rank does not, and on a site
of a few dozen pages bm25 gives every word on more than half of them a score of about zero),
so they only choose and pre-order the candidates. The best RESCORED of each kind are then
scored here from their text (`score`):

  score = reading-order prior x phrase boost x the sum over the query's terms of the best
          of its names: weight x rarity x saturation(10 x title + 4 x key terms + 1 x text)

where a count is how often the name's words appear in that part (a title is an FAQ
entry's question), saturation(n) = n / (n + 2), rarity = log((N + 1) / (documents + 0.5)),
at least 0.1 (N: pages searched; documents: pages using the word, from SearchWord), and
weight is 1 for what was typed, SYNONYM_WEIGHT for a synonym's other names. `rank` then
orders the list (promoted, coverage, title, score: see there). The phrase boost is for a
page holding the typed words next to each other, in order, in one part (`Counts.holds`).

What visitors may see comes from Article.objects.published() only (`listings`); every FAQ
entry is visible.
"""

import logging
import math
from dataclasses import dataclass
from itertools import pairwise

from django.db import DatabaseError

from articles.models import Article, FAQEntry
from foundation.content_version import ContentMemo, per_content_version

from .hits import Hit
from .matching import matches
from .models import SearchWord
from .query import (
    SUBJECT_WORDS,
    SYNONYM_WEIGHT,
    ParsedQuery,
    content_stems,
    typed_words,
)
from .text import PAGES_KEPT, WORD, article_fields, faq_fields, fold, stem

logger = logging.getLogger(__name__)

MAX_MATCHES = 2000  # of each kind, ranked (far more than this site will ever have)
# A page holding the search words as one phrase ranks this much higher (both databases).
PHRASE_BOOST = 1.25
# When two pages match about as well, the one earlier in the reading order (the general
# page, e.g. "Side effects and safety") comes before the specific one (e.g. "Spravato"):
# each reading-order position takes READING_ORDER_PRIOR off the score, up to
# READING_ORDER_PRIOR_CAP positions. Small enough that a clearly better match still wins.
READING_ORDER_PRIOR = 0.015
READING_ORDER_PRIOR_CAP = 30
# The best this many of each kind, by the engine's score, are scored the one way: five pages
# of results. More than any clinic's page count; on a site of thousands, what comes later
# keeps the engine's order (the scale rows of bench/run: each one scored costs ~3 us).
RESCORED = 50
FIELD_WEIGHTS = (10, 4, 1)  # title (question), summary and key terms, text
SATURATION = 2.0
MIN_RARITY = 0.1


@dataclass(frozen=True)
class Listing:
    """What the ranking needs of a visible page, for every page: kept per worker until the
    next save (a title each, not the text)."""

    order: int  # place in the reading order
    title_stems: frozenset[str]  # the title's (question's) words that carry meaning
    prior: float = 1.0  # reading_order_prior(order), worked out once


@per_content_version
def listings() -> dict[str, dict[int, Listing]]:
    """Every page visitors may see, by kind and id. Articles come from
    Article.objects.published(), the one definition of what visitors may see: a draft or a
    scheduled article is in the index, and left out here."""

    def listing(order: int, title: str) -> Listing:
        return Listing(order, content_stems(title), reading_order_prior(order))

    articles = Article.objects.published().values_list("pk", "order", "title")
    entries = FAQEntry.objects.values_list("pk", "order", "question")
    return {
        "article": {pk: listing(order, title) for pk, order, title in articles},
        "faq": {pk: listing(order, question) for pk, order, question in entries},
    }


def reading_order_prior(order: int) -> float:
    """What a page's place in the reading order multiplies its score by (both databases)."""
    return 1 - READING_ORDER_PRIOR * min(READING_ORDER_PRIOR_CAP, order)


def for_kind(kind: str, parsed: ParsedQuery, scoring: bool = False) -> ParsedQuery:
    """What a page of this kind must hold (with `scoring`, what raises its score): terms
    named only by words that carry no meaning are never required, and an FAQ answer need
    not say "ketamine" (unless nothing else is asked)."""
    terms = parsed.terms
    if not scoring:
        terms = [t for t in terms if not t.optional] or terms
    if kind == "faq":
        terms = [t for t in terms if not all(set(p) <= SUBJECT_WORDS for p in t.phrases)] or terms
    return ParsedQuery(terms=terms, excluded=parsed.excluded)


# (-engine score x reading-order prior, order, page id, terms held): sorted, the engine's order.
Row = tuple[float, int, int, int]
KINDS = ("article", "faq")


def find_rows(kind: str, parsed: ParsedQuery, any_term: bool = False) -> list[Row]:
    """The visible matches of one kind, best first by the engine's score, as rows (a `Hit`
    is made only for a match the ranking reads: search.ranked). With `any_term`, a match
    needs only one of the terms."""
    parsed = for_kind(kind, parsed)
    if not parsed.terms:
        return []
    visible = listings()[kind]
    try:
        matched = matches(kind, parsed, any_term, among=visible.keys())
    except DatabaseError:
        # Never expected (every word is quoted); the query itself is not logged: it may
        # say something about the visitor's health.
        logger.exception("Search failed in the database")
        return []
    rows = [
        (-score * listing.prior, listing.order, pk, covered)
        for pk, covered, score in matched
        for listing in (visible[pk],)
    ]
    rows.sort()
    return rows[:MAX_MATCHES]


def hits_of(kind: str, rows: list[Row], start: int = 0) -> list[Hit]:
    """Hits for rows of the engine's order, the first at position `start`. Past the best
    RESCORED the engine's order is the order (`rescore` scores the ones before): score -1."""
    return [
        Hit(kind, pk, covered, -score if position < RESCORED else -1.0, False, position)
        for position, (score, _, pk, covered) in enumerate(rows, start)
    ]


def find_each(parsed: ParsedQuery) -> dict[str, list[Row]]:
    """`find_rows` for each kind of page."""
    return {kind: find_rows(kind, parsed) for kind in KINDS}


def finds_anything(parsed: ParsedQuery) -> bool:
    return bool(find_rows("article", parsed) or find_rows("faq", parsed))


# --- The one score ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """How often each stem appears in a page's title, summary and key terms, and text; and
    the stems in their order, to tell whether the page holds a phrase."""

    fields: tuple[dict[str, int], dict[str, int], dict[str, int]]
    # " stem stem ... | stem ... " part after part: a phrase never runs from one to the next.
    in_order: str = ""
    # One bit per pair of stems next to each other (a hash of the pair picks the bit): a
    # pair whose bit is clear is not in the page, told without reading its text. 2 kB.
    pairs: bytes = b""

    @classmethod
    def of(cls, *texts: str) -> "Counts":
        fields, parts = [], []
        pairs = bytearray(PAIR_BITS // 8)
        for text in texts:
            counts, stems = {}, []
            for word in WORD.findall(fold(text)):
                word_stem = stem(word)
                counts[word_stem] = counts.get(word_stem, 0) + 1
                stems.append(word_stem)
            for pair in pairwise(stems):
                bit = pair_bit(pair)
                pairs[bit >> 3] |= 1 << (bit & 7)
            fields.append(counts)
            parts.append(" ".join(stems))
        return cls(tuple(fields), " " + " | ".join(parts) + " ", bytes(pairs))

    def holds(self, phrase_stems: tuple[str, ...]) -> bool:
        """The phrase's words next to each other, in this order, in one part of the page."""
        for pair in pairwise(phrase_stems):
            bit = pair_bit(pair)
            if not self.pairs[bit >> 3] & (1 << (bit & 7)):
                return False  # most pages without the phrase: no need to read the text
        return f" {' '.join(phrase_stems)} " in self.in_order

    def weighted(self, phrase_stems: tuple[str, ...]) -> float:
        """The weighted count of a name: of its rarest word in each part."""
        if len(phrase_stems) == 1:  # most names: the same sum, without a min() per part
            title, key_terms, text = self.fields
            word_stem = phrase_stems[0]
            title_weight, key_terms_weight, text_weight = FIELD_WEIGHTS
            return (
                title_weight * title.get(word_stem, 0)
                + key_terms_weight * key_terms.get(word_stem, 0)
                + text_weight * text.get(word_stem, 0)
            )
        return sum(
            weight * min(counts.get(s, 0) for s in phrase_stems)
            for weight, counts in zip(FIELD_WEIGHTS, self.fields, strict=True)
        )


PAIR_BITS = 16_384  # Counts.pairs: about one pair in ten of a long page shares a bit


def pair_bit(pair: tuple[str, str]) -> int:
    # Python's string hash changes from one process to the next, and so do the bits: they
    # are only compared within the worker that made them.
    return hash(pair) & (PAIR_BITS - 1)


# Each page's word counts, read once and kept per worker until the next save: ranking
# reads them for every match of every search. A few kB a page; the bound is far above the
# number of pages a clinic publishes (docs/caching.md).
kept_counts: ContentMemo[Counts] = ContentMemo(max_entries=PAGES_KEPT)


def counts_of(kind: str, pks: list[int]) -> dict[int, Counts]:
    """The counts of these pages, the ones not yet kept read in one query."""
    kept = kept_counts.get_many([(kind, pk) for pk in pks])
    found = {pk: kept.get((kind, pk)) for pk in pks}
    missing = [pk for pk, counts in found.items() if counts is None]
    if missing and kind == "article":
        for article in Article.objects.filter(pk__in=missing).only("title", "summary", "body_html"):
            found[article.pk] = Counts.of(*article_fields(article))
            kept_counts.put((kind, article.pk), found[article.pk])
    elif missing:
        for entry in FAQEntry.objects.filter(pk__in=missing).only("question", "answer_html"):
            question, answer = faq_fields(entry)
            found[entry.pk] = Counts.of(question, "", answer)
            kept_counts.put((kind, entry.pk), found[entry.pk])
    return {pk: counts for pk, counts in found.items() if counts is not None}


@per_content_version
def documents_by_stem() -> dict[str, int]:
    """stem → how many pages use a word with that stem (the most of its words)."""
    table = {}
    for word, documents in SearchWord.objects.values_list("word", "documents"):
        word_stem = stem(word)
        table[word_stem] = max(table.get(word_stem, 0), documents)
    return table


def rarity(phrase_stems: tuple[str, ...], pages: int) -> float:
    documents = documents_by_stem()
    used = max((documents.get(s, 1) for s in phrase_stems), default=1)
    return max(MIN_RARITY, math.log((pages + 1) / (used + 0.5)))


def rescore(kind: str, hits: list[Hit], parsed: ParsedQuery) -> list[Hit]:
    """These hits of one kind (the best RESCORED by the engine) scored the one way (above)."""
    table = listings()
    pages = len(table["article"]) + len(table["faq"])
    counts = counts_of(kind, [hit.pk for hit in hits])
    names = weighted_names(for_kind(kind, parsed, scoring=True), pages)
    phrase = phrase_stems(for_kind(kind, parsed))
    scored = []
    for hit in hits:
        page = counts.get(hit.pk)
        total = 0.0
        for term_names in names if page else []:
            best = 0.0
            for stems, weight in term_names:
                n = page.weighted(stems)
                if n:
                    best = max(best, weight * n / (n + SATURATION))
            total += best
        total *= table[kind][hit.pk].prior
        holds_phrase = bool(phrase and page and page.holds(phrase))
        total *= PHRASE_BOOST if holds_phrase else 1
        scored.append(Hit(kind, hit.pk, hit.covered, total, holds_phrase, hit.position))
    return scored


def phrase_stems(parsed: ParsedQuery) -> tuple[str, ...]:
    """The typed words' stems, in order, when there are two or more: a page holding them as
    one phrase ranks higher (PHRASE_BOOST)."""
    words = typed_words(parsed)
    return tuple(stem(w) for w in words) if len(words) > 1 else ()


def weighted_names(parsed: ParsedQuery, pages: int) -> list[list[tuple[tuple[str, ...], float]]]:
    """For each term, each of its names as stems with its weight x rarity: the same for
    every page, so worked out once per search, not once per page."""
    return [
        [
            (
                stems,
                (1.0 if p in term.typed_phrases else SYNONYM_WEIGHT) * rarity(stems, pages),
            )
            for p in term.phrases
            for stems in [tuple(stem(w) for w in p)]
        ]
        for term in parsed.terms
    ]
