"""The whole search: a query in, every match out, articles and FAQ answers in one ranked
list (`search`). How it proceeds:

1. Read the query and widen it with synonyms (query.py).
2. The database's backend finds the pages holding every term (backends/), and they are
   ranked the one way (ranking.py).
3. If none: the query with its typos corrected (typos.py), "Showing results for ...".
4. If still none: the pages holding most of the words, ranked by how many they cover ("No
   page has all of your words").
5. Promoted results ("best bets", `SearchPromotion`) first; an FAQ answer whose question
   holds every word first is shown whole, as a direct answer.

Snippets and highlighting are made in results.py, only for the page of results shown.
"""

import math
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from foundation.content_version import per_content_version

from .models import SearchPromotion
from .ordering import is_direct_answer, rank
from .query import ParsedQuery, clean_query, parse, prepare, promotion_key, text_of
from .ranked import RankedHits
from .ranking import KINDS, Row, find_each, find_rows, for_kind, listings
from .results import Result, article_document, faq_document, highlight_stems, result
from .typos import corrected

__all__ = ["PAGE_SIZE", "Outcome", "clean_query", "search"]

PAGE_SIZE = 10  # results shown per page; every match is reachable page by page


@dataclass
class Outcome:
    hits: RankedHits = field(default_factory=RankedHits)  # every match, best first
    promoted: frozenset[int] = frozenset()  # article ids pinned for this query
    stems: frozenset[str] = frozenset()  # what the snippets highlight
    partial: bool = False  # no page holds every word: these hold most of them
    direct_answer: bool = False  # the first hit is an FAQ answer whose question matches
    corrected: str = ""  # the query searched instead of the one typed
    suggestion: str = ""  # a correction offered, not applied ("Did you mean ...?")

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def article_count(self) -> int:
        return self.hits.count_of("article")

    @property
    def answer_count(self) -> int:
        return self.hits.count_of("faq")

    @property
    def answered(self) -> bool:
        """Found pages holding every word: otherwise a gap for content insights to show."""
        return bool(self.hits) and not self.partial

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / PAGE_SIZE))

    def results(self, page: int = 1) -> list[Result]:
        """The results of one page (1-based), built only for what is shown."""
        shown = self.hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        results = []
        for position, hit in enumerate(shown):
            document = article_document(hit.pk) if hit.kind == "article" else faq_document(hit.pk)
            if document is None:
                continue
            one = result(document, self.stems, promoted=hit.pk in self.promoted)
            if page == 1 and position == 0 and self.direct_answer:
                one.answer = mark_safe(document.html)  # noqa: S308 (sanitised on save)
            results.append(one)
        return results


def search(query: str, exact: bool = False) -> Outcome:
    """Every match, articles and FAQ answers in one ranked list, promoted articles first.

    1. Pages holding every word (after synonyms). 2. If none: the query with its typos
    corrected (with `exact`, a correction is only offered). 3. If still none: the pages
    holding most of the words, by how many they hold. (The search view keeps whole results
    pages: search.views.search_page.)"""
    parsed = parse(query)
    outcome = Outcome()
    searched = prepare(parsed)
    if not searched.terms:
        return outcome
    found = find_each(searched)
    fixed = None
    if not any(found.values()):
        fixed = corrected(parsed)
        if fixed is not None:
            if exact:
                outcome.suggestion = text_of(fixed)
            else:
                fixed_searched = prepare(fixed)
                found = find_each(fixed_searched)
                if any(found.values()):
                    outcome.corrected = text_of(fixed)
                    searched = fixed_searched
                elif len(fixed_searched.terms) > 1:
                    searched = fixed_searched  # the partial search below uses the fixes
    if not any(found.values()) and len(for_kind("article", searched).terms) > 1:
        found = partial_rows(searched)
        outcome.partial = any(found.values())
        if outcome.partial and fixed is not None and not exact:
            outcome.corrected = text_of(fixed)
    pinned = promoted_ids(query, outcome.corrected)
    outcome.hits = rank(found, searched, outcome.corrected or query, pinned, outcome.partial)
    outcome.promoted = frozenset(pinned)
    outcome.direct_answer = is_direct_answer(outcome.hits, searched, outcome.partial)
    outcome.stems = highlight_stems(searched)
    return outcome


def partial_rows(parsed: ParsedQuery) -> dict[str, list[Row]]:
    """Pages holding at least half of the terms (one of two), of each kind."""
    found = {}
    for kind in KINDS:
        least = math.ceil(len(for_kind(kind, parsed).terms) / 2)
        found[kind] = [row for row in find_rows(kind, parsed, any_term=True) if row[3] >= least]
    return found


@per_content_version
def promotions() -> dict[str, list[int]]:
    """promotion_key(query) → ids of the articles pinned for it, in order."""
    table = {}
    for promotion in SearchPromotion.objects.order_by("sort_order", "pk"):
        table.setdefault(promotion_key(promotion.query), []).append(promotion.article_id)
    return table


def promoted_ids(*queries: str) -> list[int]:
    table = promotions()
    visible = listings()["article"]
    ids = []
    for query in queries:
        for pk in table.get(promotion_key(query), []) if query else []:
            if pk not in ids and pk in visible:  # published ones only
                ids.append(pk)
    return ids
