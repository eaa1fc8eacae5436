"""Correcting only what is misspelt.

When a search finds nothing, a typed word that is neither a word the site uses nor a real
English or Spanish word (pyspellchecker's word lists) is replaced by the closest word the
site uses (`SearchWord`): the backend's look-alike candidates (trigram similarity), then
fewest edits. A real word is never "corrected" into another: "parking" is not "paying".
"""

from functools import lru_cache

from django.conf import settings

from foundation.content_version import ContentMemo

from . import backends
from .query import ParsedQuery, Term, prepare
from .ranking import finds_anything
from .text import similarity

# Typo correction: pg_trgm's default threshold, then at most this many edits.
TRIGRAM_THRESHOLD = 0.3
CORRECTION_CANDIDATES = 30
# The cost bound of typo correction (issue 26): each word checked costs a query and a
# scan of the look-alike words, so 12 garbled words took 146 ms against 16 ms for a normal
# search. Only the first few typed words are checked, and none longer than any real word.
MAX_WORDS_CORRECTED = 4
MAX_CORRECTABLE_LENGTH = 20
# Corrections each worker keeps until the next save: the same misspellings come back
# ("spravado", "infussion"), and on PostgreSQL each costs a query (docs/caching.md).
CORRECTIONS_KEPT = 2000

kept_corrections: ContentMemo[str] = ContentMemo(max_entries=CORRECTIONS_KEPT)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (a swap of two letters next to each other is one edit)."""
    previous2, previous = [], list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3


def candidates(word: str) -> list[tuple[str, int]]:
    """(word, documents) the site uses that look like `word`, most alike first."""
    return backends.current().candidates(
        word, max_edits(word), TRIGRAM_THRESHOLD, CORRECTION_CANDIDATES
    )


def closest_word(word: str) -> str:
    """The word the site uses that `word` was most likely meant to be, or ""."""
    if len(word) < 4 or word.isdigit():
        return ""
    return kept_corrections.get_or_build(word, lambda: find_closest_word(word))


def find_closest_word(word: str) -> str:
    best = None
    for candidate, documents in candidates(word):
        distance = edit_distance(word, candidate)
        if distance <= max_edits(word):
            key = (distance, -similarity(word, candidate), -documents, candidate)
            best = min(best, key) if best else key
    return best[-1] if best else ""


@lru_cache(maxsize=1)
def real_words() -> frozenset[str]:
    """Every word of pyspellchecker's word lists (English and Spanish, bundled with the
    package: nothing is downloaded). Read on the first typo check of a worker (under a
    second, about 25 MB), then kept."""
    from spellchecker import SpellChecker

    words = set()
    for language in settings.SEARCH_DICTIONARY_LANGUAGES:
        words.update(SpellChecker(language=language, distance=1).word_frequency.keys())
    return frozenset(words)


def is_real_word(word: str) -> bool:
    """A real word is never "corrected" into another: "parking" is not a typo of "paying"."""
    return word in real_words()


def corrected(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query with each typed word that finds nothing, and is no real word, replaced by
    the closest word the site uses; None if no word needed (or found) a replacement."""
    terms, changed, checked = [], False, 0
    for term in parsed.terms:
        word = term.phrases[0][0]
        # Only a word that may be a typo costs a look-up, and only the first few of them.
        worth_checking = (
            term.typed
            and not term.ignored
            and len(word) <= MAX_CORRECTABLE_LENGTH
            and not is_real_word(word)
            and checked < MAX_WORDS_CORRECTED
        )
        checked += worth_checking
        if worth_checking and not finds_anything(prepare(ParsedQuery([term]))):
            replacement = closest_word(term.phrases[0][0])
            if replacement:
                terms.append(Term([(replacement,)]))
                changed = True
                continue
        terms.append(term)
    return ParsedQuery(terms=terms, excluded=parsed.excluded) if changed else None
