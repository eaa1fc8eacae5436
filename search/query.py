"""Reading a query: what it asks for, the same on both databases.

1. The query is read as PostgreSQL's `websearch` syntax reads it: words (all must match),
   "a quoted phrase", `or` between two words, `-word` to leave out. Words that carry no
   meaning in a query ("can", "the", "my", "vs") never have to match. Nothing a visitor
   types reaches an engine as syntax: every word is quoted by the backend.
2. Synonyms staff keep in the admin (`SearchSynonym`) widen a word or phrase to all its
   names: "Spravato" also finds "esketamine", "xanax" finds "benzodiazepines".
"""

import re
from dataclasses import dataclass, field

from foundation.content_version import per_content_version

from .models import SearchSynonym
from .text import STOPWORDS, WORD, fold, stem

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # words and phrases read from one query; the rest is ignored
# A page found only through a synonym's other names scores this share of its score: the
# words the visitor typed count first ("dissociation" finds the page about dissociation
# before a page that says "detached" ten times). Pages holding the typed words are scored
# on those words alone. (Both backends and the one score use it.)
SYNONYM_WEIGHT = 0.5
# The longest run of query words one synonym name can stand for.
MAX_SYNONYM_WORDS = 4

# Words that say nothing about what a patient is looking for, on top of PostgreSQL's English
# stop words: never required to match (a synonym may still name them: "vs" = "versus").
QUERY_FILLER = frozenset(
    "vs v im ive id ill youre dont doesnt cant wont isnt please make makes making get gets "
    "getting got really much many also still even ever thing things something anything "
    "okay ok like yes instead pls plz".split()
)
IGNORED = STOPWORDS | QUERY_FILLER
# The site's subject: every FAQ answer is about ketamine treatment, even one that never says
# "ketamine" ("Can I drive home after a treatment?"). Not required of an FAQ answer, and
# not counted when comparing a title with the query.
SUBJECT_WORDS = frozenset({"ketamine", "therapy", "treatment", "treatments"})
SUBJECT_STEMS = frozenset({"ketamin", "therapi", "treatment"})

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

Phrase = tuple[str, ...]  # one or more words, next to each other


@dataclass
class Term:
    """One thing the query asks for: any of these phrases."""

    phrases: list[Phrase]
    typed: bool = True  # a single word as the visitor typed it (may be corrected)
    ignored: bool = False  # carries no meaning ("my", "vs"): dropped once synonyms are found
    # The phrases the visitor typed, when synonyms added others (None: all were typed).
    own: list[Phrase] | None = None
    # Named only by words that carry no meaning ("vs" → compared or versus): raises a
    # page's score, never required.
    optional: bool = False

    @property
    def typed_phrases(self) -> list[Phrase]:
        return self.own or self.phrases


@dataclass
class ParsedQuery:
    terms: list[Term]
    excluded: list[Phrase] = field(default_factory=list)


def clean_query(raw: str) -> str:
    """A query safe to work with: printable, single-spaced, at most 200 characters."""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def parse(query: str) -> ParsedQuery:
    """The query's terms, the words that carry no meaning still in (synonyms may name them:
    "zoned out", "vs"); `meaningful` takes them out."""
    parsed = ParsedQuery(terms=[])
    join_next = False
    counted = 0
    for negative, quoted, bare in _TOKEN.findall(fold(query)):
        if bare == "or" and parsed.terms:
            join_next = True
            continue
        text = quoted if not bare else bare
        negative = negative or (bare.startswith("-") and len(bare) > 1)
        words = tuple(WORD.findall(text))
        if not words:
            continue
        ignored = all(w in IGNORED for w in words)
        if negative:
            words = _trim_stopwords(words)
            if words:
                parsed.excluded.append(words)
        elif join_next:
            parsed.terms[-1].phrases.append(words)
            parsed.terms[-1].typed = False
            parsed.terms[-1].ignored = parsed.terms[-1].ignored and ignored
        else:
            parsed.terms.append(
                Term([words], typed=len(words) == 1 and not quoted, ignored=ignored)
            )
        join_next = False
        counted += not ignored
        if counted + len(parsed.excluded) >= MAX_TERMS or len(parsed.terms) >= 4 * MAX_TERMS:
            break
    return parsed


def _trim_stopwords(words: Phrase) -> Phrase:
    start, end = 0, len(words)
    while start < end and words[start] in IGNORED:
        start += 1
    while end > start and words[end - 1] in IGNORED:
        end -= 1
    return words[start:end]


def meaningful(parsed: ParsedQuery) -> ParsedQuery:
    """Without the words that carry no meaning: they never have to match."""
    terms = []
    for term in parsed.terms:
        phrases = [p for p in (_trim_stopwords(p) for p in term.phrases) if p]
        if phrases and not term.ignored:
            own = None
            if term.own is not None:
                own = [p for p in (_trim_stopwords(p) for p in term.own) if p]
            terms.append(
                Term(
                    list(dict.fromkeys(phrases)), typed=term.typed, own=own, optional=term.optional
                )
            )
    return ParsedQuery(terms=terms, excluded=parsed.excluded)


def prepare(parsed: ParsedQuery) -> ParsedQuery:
    """What the engines are asked: synonyms found, then the empty words left out."""
    return meaningful(expand_synonyms(parsed))


def typed_words(parsed: ParsedQuery) -> Phrase:
    """The words of the query in the order typed (first name of each term)."""
    return tuple(w for term in parsed.terms for w in term.phrases[0])


def text_of(parsed: ParsedQuery) -> str:
    """The query back as text (after a correction), in the same syntax."""
    pieces = []
    for term in meaningful(parsed).terms:
        pieces.append(" or ".join(_phrase_text(p) for p in term.phrases))
    pieces += ["-" + _phrase_text(p) for p in parsed.excluded]
    return " ".join(pieces)


def _phrase_text(phrase: Phrase) -> str:
    return phrase[0] if len(phrase) == 1 else '"' + " ".join(phrase) + '"'


def promotion_key(query: str) -> str:
    """What two queries must share to be "the same" for a promotion."""
    return " ".join(w for w in WORD.findall(fold(query)) if w not in STOPWORDS)


def content_stems(text: str) -> frozenset[str]:
    """The stems of the words of `text` that carry meaning (a title, a question)."""
    return frozenset(stem(w) for w in WORD.findall(fold(text)) if w not in IGNORED)


# --- Synonyms -------------------------------------------------------------------------------


@per_content_version
def synonym_table() -> dict[tuple[str, ...], list[Phrase]]:
    """The stems of each synonym → the phrases of all the names in its group."""
    table = {}
    for synonym in SearchSynonym.objects.all():
        phrases = [tuple(WORD.findall(fold(term))) for term in synonym.term_list()]
        phrases = [p for p in phrases if p]
        for phrase in phrases:
            table.setdefault(tuple(stem(w) for w in phrase), []).extend(phrases)
    return {key: list(dict.fromkeys(value)) for key, value in table.items()}


def expand_synonyms(parsed: ParsedQuery) -> ParsedQuery:
    """Each term, or run of up to four one-phrase terms, that names a synonym also finds
    the other names: "IV cost" → (IV or infusion) and (cost or price or insurance).

    A run may hold words that carry no meaning ("zoned out", "feel weird after"). A name
    with such a word in it is only recognised, never searched for: its other names are
    (the engines treat those words differently, and "out of body" is not "body")."""
    table = synonym_table()
    if not table:
        return parsed
    terms, i = [], 0
    while i < len(parsed.terms):
        for j in range(min(len(parsed.terms), i + MAX_SYNONYM_WORDS), i, -1):
            run = parsed.terms[i:j]
            if any(len(t.phrases) != 1 for t in run):
                continue
            words = tuple(w for t in run for w in t.phrases[0])
            names = table.get(tuple(stem(w) for w in words))
            if names:
                searched = [n for n in [words, *names] if not IGNORED.intersection(n)]
                own = [words] if searched and searched[0] == words else []
                optional = all(t.ignored for t in run)
                phrases = list(dict.fromkeys(searched)) or [words]
                terms.append(Term(phrases, typed=False, own=own, optional=optional))
                i = j
                break
        else:
            terms.append(parsed.terms[i])
            i += 1
    return ParsedQuery(terms=terms, excluded=parsed.excluded)


def synonym_name(query: str) -> str:
    """The query as one synonym name that a search for it will recognise: its words, in
    lower case, without the search syntax. ValueError, with a sentence for staff, if no
    name can stand for the whole query."""
    parsed = parse(query)
    if parsed.excluded or any(len(term.phrases) != 1 for term in parsed.terms):
        raise ValueError("A synonym cannot stand for a search with “or” or “-”.")
    if not parsed.terms:
        raise ValueError("This search has no words a synonym could stand for.")
    if len(parsed.terms) > MAX_SYNONYM_WORDS:
        raise ValueError(
            f"A synonym stands for at most {MAX_SYNONYM_WORDS} words, and this search has "
            f"{len(parsed.terms)}: add one for its key words under Search synonyms instead."
        )
    return " ".join(w for term in parsed.terms for w in term.phrases[0])
