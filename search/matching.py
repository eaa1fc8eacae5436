"""Which pages hold a query's terms: worked out from the engine's answer for each term.

The database's engine (backends/) is asked about one term at a time: the pages holding any
of its names (the word typed and its synonyms' names), each with the engine's score. Each
answer is kept per worker until the next save (`kept_term_matches`), so a search made of
words searched before asks the database nothing: patients' searches are new sentences made
of a few hundred words, and a results page (search.views) is only kept for the same
sentence. A query's matches are then put together here, the same way on both databases:

- the pages holding every term (with `any_term`, at least one), minus those holding an
  excluded phrase ("-word");
- for each, how many of the terms it holds;
- the engine's score: the sum of its terms' scores, a term with synonyms counting its
  typed names' score where the page holds them, and its other names' at SYNONYM_WEIGHT
  where it does not. (bm25 of an AND query is such a sum; ts_rank's is close to one. The
  engines' scores only choose and pre-order the candidates: ranking.py scores them.)

Whether a page holds the typed words as one phrase is decided from the page's text by the
ranking (ranking.Counts.holds), for both databases alike.
"""

from collections.abc import Collection, Iterable, Set

from foundation.content_version import ContentMemo

from . import backends
from .query import SYNONYM_WEIGHT, ParsedQuery, Phrase, Term

# Terms whose answers each worker keeps, per kind of page, until the next save. An answer
# is a page id and a number per page holding the term: at most a few kB on a site of a few
# hundred pages (docs/caching.md).
TERMS_KEPT = 4000

kept_term_matches: ContentMemo[dict[int, float]] = ContentMemo(max_entries=TERMS_KEPT)


def term_matches(kind: str, phrases: Iterable[Phrase]) -> dict[int, float]:
    """The engine's answer for one term: page id -> score, for every page holding any of
    the phrases (kept; callers must not change it)."""
    phrases = tuple(dict.fromkeys(phrases))
    return kept_term_matches.get_or_build(
        (kind, phrases), lambda: backends.current().term_matches(kind, list(phrases))
    )


def term_scores(kind: str, term: Term) -> dict[int, float]:
    """One term's pages, each with its score: the typed names' score where the page holds
    them, the other names' at SYNONYM_WEIGHT where it does not (kept; callers must not
    change it)."""
    pages = term_matches(kind, term.phrases)
    typed = tuple(dict.fromkeys(term.typed_phrases))
    if typed == tuple(dict.fromkeys(term.phrases)):
        return pages

    def combine() -> dict[int, float]:
        own = term_matches(kind, typed)
        return {pk: own.get(pk, score * SYNONYM_WEIGHT) for pk, score in pages.items()}

    key = (kind, tuple(dict.fromkeys(term.phrases)), ("typed", typed))
    return kept_term_matches.get_or_build(key, combine)


def matches(
    kind: str, parsed: ParsedQuery, any_term: bool = False, among: Collection[int] | None = None
) -> list[tuple[int, int, float]]:
    """(id, terms held, the engine's score) of every page of this kind holding all the
    terms (with `any_term`, any of them) and no excluded phrase; with `among`, only those
    pages (the ones visitors may see)."""
    scores = [term_scores(kind, term) for term in parsed.terms]
    if not scores:
        return []
    excluded = term_matches(kind, parsed.excluded).keys() if parsed.excluded else set()
    if any_term:
        totals, held = {}, {}
        for pages in scores:
            for pk, score in pages.items():
                totals[pk] = totals.get(pk, 0.0) + score
                held[pk] = held.get(pk, 0) + 1
        return [
            (pk, held[pk], total)
            for pk, total in totals.items()
            if pk not in excluded and (among is None or pk in among)
        ]
    # Every term: the pages all the terms' answers share (set operations, for the hundreds
    # a common word matches on a large site), each scored the sum of its terms' scores.
    smallest, *others = sorted(scores, key=len)
    common = smallest.keys() - excluded
    for pages in others:
        common &= pages.keys()
    if among is not None:
        common &= among if isinstance(among, Set) else set(among)
    held = len(scores)
    if len(others) == 1:  # most searches: two words
        (other,) = others
        return [(pk, held, smallest[pk] + other[pk]) for pk in common]
    return [(pk, held, sum((pages[pk] for pages in others), smallest[pk])) for pk in common]
