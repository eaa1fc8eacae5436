"""The order of a search's results: `rank`, the one ranking for both databases and both
kinds of page (the score it reads is ranking.py's)."""

from collections.abc import Callable

from foundation.content_version import per_content_version

from .hits import Hit
from .query import SUBJECT_STEMS, ParsedQuery, content_stems
from .ranked import RankedHits, Tail
from .ranking import (
    KINDS,
    RESCORED,
    Listing,
    Row,
    for_kind,
    hits_of,
    listings,
    rescore,
)
from .text import stem

# Most pages' place starts the same (not promoted, every term, no title match): the "usual"
# lead. In a partial search it differs from page to page, and every page is placed.
USUAL_LEAD = (True, 0, -1.0, True, True, 0)


def rank(
    found: dict[str, list[Row]],
    parsed: ParsedQuery,
    query: str,
    pinned: list[int],
    partial: bool = False,
) -> RankedHits:
    """The one ranking, for both databases and both kinds of page:

    1. promoted articles, in their order;
    2. pages holding more of the terms (only differs when no page holds them all);
    3. the page whose title is the query (its words that carry meaning, in any form);
    4. pages whose title (an FAQ entry's question) holds every term, the title with the
       fewest other words first ("How many sessions will I need?" before "Staying safe
       between sessions" for "how many sessions"); for a partial match, the titles
       holding more of the terms first;
    5. then by the one score (`ranking.rescore`), articles and answers alike.

    `found` is each kind's matches in the engine's order (ranking.find_rows). The best
    RESCORED of each kind are scored and placed; past them, a match keeps the engine's
    order unless its title or a promotion lifts it, so only those few are placed, and the
    rest stay rows (search.ranked) until a results page reaches them.
    """
    place = placer(parsed, query, pinned, partial)
    placed, tails = [], {}
    for kind in KINDS:
        rows = found.get(kind, [])
        placed += rescore(kind, hits_of(kind, rows[:RESCORED]), parsed)
        tail = Tail(kind, rows[RESCORED:], RESCORED)
        if partial:  # every page's lead may differ: all placed
            placed += hits_of(kind, tail.rows, RESCORED)
            continue
        lifted = lifted_from_tail(tail, place, title_candidates(kind, parsed, query, pinned))
        placed += lifted
        tails[kind] = Tail(kind, tail.rows, RESCORED, frozenset(hit.pk for hit in lifted))
    if pinned:  # a promoted article the search did not find comes first all the same
        found_articles = {row[2] for row in found.get("article", [])}
        placed += [
            Hit("article", pk, len(parsed.terms), 0.0) for pk in pinned if pk not in found_articles
        ]
    # Each place is different (kind and id end it): hits themselves are never compared.
    ordered = sorted(((place(hit), hit) for hit in placed), key=lambda pair: pair[0])
    # The tail comes after every usual page placed (its score, -1, is below theirs) and
    # before the pages placed lower (fewer terms held).
    before = [hit for where, hit in ordered if where[0] <= USUAL_LEAD]
    after = [hit for where, hit in ordered if where[0] > USUAL_LEAD]
    return RankedHits(before, tails, after)


def lifted_from_tail(tail: Tail, place: Callable[[Hit], tuple], candidates: set[int]) -> list[Hit]:
    """The tail's pages whose title or promotion gives them a lead other than the usual
    one: the ranking places them; the others keep the engine's order."""
    if not candidates:
        return []
    rows = [(position, row) for position, row in enumerate(tail.rows, tail.start)
            if row[2] in candidates]  # fmt: skip
    lifted = []
    for position, row in rows:
        hit = hits_of(tail.kind, [row], position)[0]
        if place(hit)[0] != USUAL_LEAD:
            lifted.append(hit)
    return lifted


def title_candidates(kind: str, parsed: ParsedQuery, query: str, pinned: list[int]) -> set[int]:
    """The pages of this kind whose lead may not be the usual one: a title sharing a word
    with the query or made of the query's words, and (articles) the promoted ones."""
    by_stem, by_title = title_index()[kind]
    candidates = set(pinned) if kind == "article" else set()
    for word_stem in title_stems_of(for_kind(kind, parsed)):
        candidates.update(by_stem.get(word_stem, ()))
    candidates.update(by_title.get(content_stems(query), ()))
    return candidates


@per_content_version
def title_index() -> dict[str, tuple[dict[str, list[int]], dict[frozenset[str], list[int]]]]:
    """For each kind: stem -> the pages whose title holds it, and title's stems -> pages."""
    index = {}
    for kind, pages in listings().items():
        by_stem, by_title = {}, {}
        for pk, listing in pages.items():
            for word_stem in listing.title_stems:
                by_stem.setdefault(word_stem, []).append(pk)
            by_title.setdefault(listing.title_stems, []).append(pk)
        index[kind] = (by_stem, by_title)
    return index


def placer(
    parsed: ParsedQuery, query: str, pinned: list[int], partial: bool
) -> Callable[[Hit], tuple]:
    """A hit's place, what the results are sorted by: (lead, -score, engine position,
    answers after articles, reading order, id)."""
    table = listings()
    key = content_stems(query)
    kinds = {}
    for kind in KINDS:
        required = for_kind(kind, parsed)
        kinds[kind] = (len(required.terms), title_matcher(required), title_stems_of(required))
    # Most pages share the lead: one tuple for all of them, which sorting compares in one step.
    leads = {USUAL_LEAD: USUAL_LEAD}

    def place(hit: Hit) -> tuple:
        terms, match, title_words = kinds[hit.kind]
        is_article = hit.kind == "article"
        listing = table[hit.kind][hit.pk]
        pinned_at = pinned.index(hit.pk) if is_article and hit.pk in pinned else None
        if (
            hit.covered == terms
            and pinned_at is None
            and title_words.isdisjoint(listing.title_stems)
            and listing.title_stems != key
            and not partial
        ):
            lead = USUAL_LEAD  # what the lines below give such a page, without the work
        else:
            in_title, precision = match(listing)
            holds_all = in_title == terms
            lead = (
                pinned_at is None,
                pinned_at or 0,
                -hit.covered / max(1, terms),
                listing.title_stems != key,
                -in_title if partial else not holds_all,
                -precision if holds_all or partial else 0,
            )
        return (leads.setdefault(lead, lead), -hit.score, hit.position, not is_article,
                listing.order, hit.pk)  # fmt: skip

    return place


def title_match(listing: Listing, parsed: ParsedQuery) -> tuple[int, float]:
    """How many of the terms the title holds, and what share of its words the query names
    (the site's subject, "ketamine", left out of the count)."""
    return title_matcher(parsed)(listing)


def title_stems_of(parsed: ParsedQuery) -> frozenset[str]:
    """Every stem the query names: a title with none of them matches none of its terms."""
    return frozenset(stem(w) for term in parsed.terms for p in term.phrases for w in p)


def title_matcher(parsed: ParsedQuery) -> Callable[[Listing], tuple[int, float]]:
    """`title_match` for one query and many titles: the query's stems worked out once, and
    a title with none of them answered at once (most titles, when many pages match)."""
    terms = [[frozenset(stem(w) for w in p) for p in term.phrases] for term in parsed.terms]
    every_stem = title_stems_of(parsed)

    def match(listing: Listing) -> tuple[int, float]:
        if every_stem.isdisjoint(listing.title_stems):
            return 0, 0.0
        named, held = set(), 0
        for phrases in terms:
            found = [p for p in phrases if p <= listing.title_stems]
            held += bool(found)
            named.update(*found)
        words = listing.title_stems - SUBJECT_STEMS
        return held, len(named & words) / len(words) if words else 0.0

    return match


def is_direct_answer(hits: RankedHits, parsed: ParsedQuery, partial: bool) -> bool:
    """The first result is an FAQ answer whose question holds every word: shown whole."""
    if partial or not hits or hits[0].kind != "faq":
        return False
    listing = listings()["faq"][hits[0].pk]
    required = for_kind("faq", parsed)
    return title_match(listing, required)[0] == len(required.terms)
