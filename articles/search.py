"""Site search over published articles and the FAQ, with each database's own engine.

What a query means is decided here, once, for both databases:

1. The query is read as PostgreSQL's `websearch` syntax reads it: words (all must match),
   "a quoted phrase", `or` between two words, `-word` to leave out. Words that carry no
   meaning in a query ("can", "the", "my", "vs") never have to match. Nothing a visitor
   types reaches an engine as syntax: every word is quoted.
2. Synonyms staff keep in the admin (`SearchSynonym`) widen a word or phrase to all its
   names: "Spravato" also finds "esketamine", "xanax" finds "benzodiazepines".
3. The engine finds the matches: PostgreSQL's full-text search on the stored, GIN-indexed
   `search_document`; on SQLite, FTS5. Each scores them (title above summary and key terms
   above the text: `ts_rank` and `bm25`); everything after that is the one ranking below,
   computed in Python the same way for both (`rank`).
4. If nothing is found, a word that is neither a word the site uses nor a real English or
   Spanish word (pyspellchecker's word lists) is replaced by the closest word the site uses
   (`SearchWord`: trigram similarity, then edit distance): "Showing results for ...".
5. If still no page has every word, the pages with most of them are shown, ranked by how
   many they cover ("No page has all of your words").
6. FAQ answers and articles are ranked in one list; promoted results ("best bets") first.

Snippets and highlighting are made here too, the same way for both.
"""

import logging
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import snowballstemmer
from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from clinic_site.page_cache import per_content_version

from .models import (
    Article,
    FAQEntry,
    SearchPromotion,
    SearchSynonym,
    SearchWord,
    article_path,
)
from .search_index import ARTICLE_FTS, FAQ_FTS, STOPWORDS, article_fields, faq_fields, fold

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # words and phrases read from one query; the rest is ignored
PAGE_SIZE = 10  # results shown per page; every match is reachable page by page
MAX_MATCHES = 2000  # of each kind, ranked (far more than this site will ever have)
SNIPPET_WORDS = 30
SNIPPET_LEAD = 10  # words shown before the first match
SNIPPETS_KEPT = 50  # per document, until the next save
# Title 10 : summary and key terms 4 : body 1, as bm25 column weights on SQLite and
# ts_rank weights {D, C, B, A} on PostgreSQL.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
TS_RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"
# A page holding the search words as one phrase ranks this much higher (both databases).
PHRASE_BOOST = 1.25
# A page found only through a synonym's other names scores this share of its score: the
# words the visitor typed count first ("dissociation" finds the page about dissociation
# before a page that says "detached" ten times). Pages holding the typed words are scored
# on those words alone.
SYNONYM_WEIGHT = 0.5
# When two pages match about as well, the one earlier in the reading order (the general
# page, e.g. "Side effects and safety") comes before the specific one (e.g. "Spravato"):
# each reading-order position takes READING_ORDER_PRIOR off the score, up to
# READING_ORDER_PRIOR_CAP positions. Small enough that a clearly better match still wins.
READING_ORDER_PRIOR = 0.015
READING_ORDER_PRIOR_CAP = 30
# Typo correction: pg_trgm's default threshold, then at most this many edits.
TRIGRAM_THRESHOLD = 0.3
CORRECTION_CANDIDATES = 30
# The cost bound of typo correction (issue 26): each word checked costs a query and a
# scan of the look-alike words, so 12 garbled words took 146 ms against 16 ms for a normal
# search. Only the first few typed words are checked, and none longer than any real word.
MAX_WORDS_CORRECTED = 4
MAX_CORRECTABLE_LENGTH = 20

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

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_stemmer = snowballstemmer.stemmer("english")  # the same Snowball stemmer as PostgreSQL's
# The stemmer keeps the word it works on in itself: one word at a time (threaded servers).
_stemmer_lock = threading.Lock()

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


@dataclass
class Result:
    title: str
    url: str
    snippet: SafeString
    kind: str  # "article" or "faq"
    promoted: bool = False
    answer: SafeString | None = None  # the whole answer, for a direct answer shown first


@dataclass(slots=True)  # not frozen: hundreds are made per search, five times as fast
class Hit:
    """One match as the ranking sees it (never changed once made)."""

    kind: str  # "article" or "faq"
    pk: int
    covered: int  # how many of the query's terms it holds
    score: float  # higher is better: the engine's, then the one ranking's (`score`)
    phrase: bool = False  # holds the typed words as one phrase
    position: int = 0  # place among its kind by the engine's score


@dataclass
class Outcome:
    hits: list[Hit] = field(default_factory=list)  # every match, best first
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
        return sum(hit.kind == "article" for hit in self.hits)

    @property
    def answer_count(self) -> int:
        return sum(hit.kind == "faq" for hit in self.hits)

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
            result = _result(document, self.stems, promoted=hit.pk in self.promoted)
            if page == 1 and position == 0 and self.direct_answer:
                result.answer = mark_safe(document.html)  # noqa: S308 (sanitised on save)
            results.append(result)
        return results


def clean_query(raw: str) -> str:
    """A query safe to work with: printable, single-spaced, at most 200 characters."""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@lru_cache(maxsize=100_000)  # the site's words and visitors' words: each stemmed once
def stem(word: str) -> str:
    with _stemmer_lock:
        return _stemmer.stemWord(word)


# --- 1. Reading the query -------------------------------------------------------------------


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
        words = tuple(_WORD.findall(text))
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


def typed_only(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query without the names synonyms added, or None if it has none."""
    if all(term.own is None or term.own == term.phrases for term in parsed.terms):
        return None
    terms = [Term(term.typed_phrases, typed=term.typed) for term in parsed.terms]
    return ParsedQuery(terms=terms, excluded=parsed.excluded)


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
    return " ".join(w for w in _WORD.findall(fold(query)) if w not in STOPWORDS)


def content_stems(text: str) -> frozenset[str]:
    """The stems of the words of `text` that carry meaning (a title, a question)."""
    return frozenset(stem(w) for w in _WORD.findall(fold(text)) if w not in IGNORED)


# --- 2. Synonyms ----------------------------------------------------------------------------


@per_content_version
def synonym_table() -> dict[tuple[str, ...], list[Phrase]]:
    """The stems of each synonym → the phrases of all the names in its group."""
    table = {}
    for synonym in SearchSynonym.objects.all():
        phrases = [tuple(_WORD.findall(fold(term))) for term in synonym.term_list()]
        phrases = [p for p in phrases if p]
        for phrase in phrases:
            table.setdefault(tuple(stem(w) for w in phrase), []).extend(phrases)
    return {key: list(dict.fromkeys(value)) for key, value in table.items()}


MAX_SYNONYM_WORDS = 4


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


# --- 3. The engines -------------------------------------------------------------------------
#
# Each engine finds the matches of one kind and scores them, higher is better; the ranking
# after that (rank) is the same for both. With `any_term`, a match needs only one of the
# terms, and the engine says how many each holds.


class SQLiteEngine:
    """FTS5 (Porter stemmer), scored by bm25 with column weights title > summary > body."""

    def matches(self, kind: str, parsed: ParsedQuery, any_term: bool) -> list[tuple]:
        rows = self._query(kind, parsed, any_term, covered=any_term)
        typed = typed_only(parsed)
        if typed is None:
            return rows
        # One more query: bm25 scores a MATCH expression, and the typed words are another.
        own = {row[0]: row[2] for row in self._query(kind, typed, any_term, covered=False)}
        return [
            (pk, n, own.get(pk, score * SYNONYM_WEIGHT), phrase) for pk, n, score, phrase in rows
        ]

    def _query(self, kind: str, parsed: ParsedQuery, any_term: bool, covered: bool) -> list:
        fts = ARTICLE_FTS if kind == "article" else FAQ_FTS
        weights = ", ".join(str(w) for w in BM25_WEIGHTS[-self._columns(kind) :])
        params = []
        count = str(len(parsed.terms))
        if covered:
            # One subquery per term, each run once by SQLite: still a single query.
            count = " + ".join(
                f"(rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s))" for _ in parsed.terms
            )
            params += [self._term(term) for term in parsed.terms]
        in_phrase = "0"
        phrase = self._phrase(parsed)
        if phrase:
            in_phrase = f"rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
            params.append(phrase)
        params.append(self._expression(parsed, any_term))
        # bm25 is negative, lower is better.
        sql = f"""
            SELECT rowid, {count}, -bm25({fts}, {weights}), {in_phrase}
            FROM {fts}
            WHERE {fts} MATCH %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _columns(kind: str) -> int:
        return 3 if kind == "article" else 2

    @staticmethod
    def _quoted(phrase: Phrase) -> str:
        return '"' + " ".join(phrase) + '"'  # words are letters and digits only

    def _term(self, term: Term) -> str:
        return "(" + " OR ".join(self._quoted(p) for p in term.phrases) + ")"

    def _expression(self, parsed: ParsedQuery, any_term: bool) -> str:
        expression = (" OR " if any_term else " AND ").join(self._term(t) for t in parsed.terms)
        if parsed.excluded:
            excluded = " OR ".join(self._quoted(p) for p in parsed.excluded)
            expression = f"({expression}) NOT ({excluded})"
        return expression

    def _phrase(self, parsed: ParsedQuery) -> str:
        words = _typed_words(parsed)
        return self._quoted(words) if len(words) > 1 else ""


class PostgresEngine:
    """Full-text search on the stored search_document, scored by ts_rank (A > B > C)."""

    def matches(self, kind: str, parsed: ParsedQuery, any_term: bool) -> list[tuple]:
        table = Article if kind == "article" else FAQEntry
        words = _typed_words(parsed)
        params = []
        covered = str(len(parsed.terms))
        if any_term:
            covered = " + ".join(
                "(d.search_document @@ to_tsquery('english', %s))::int" for _ in parsed.terms
            )
            params += [self._term(term) for term in parsed.terms]
        rank = f"ts_rank('{TS_RANK_WEIGHTS}', d.search_document, q, 1)"
        typed = typed_only(parsed)
        if typed is not None:
            rank = (
                "CASE WHEN d.search_document @@ to_tsquery('english', %s) "
                f"THEN ts_rank('{TS_RANK_WEIGHTS}', d.search_document, "
                "to_tsquery('english', %s), 1) "
                f"ELSE {rank} * {SYNONYM_WEIGHT} END"
            )
            params += [self._expression(typed, any_term)] * 2
        in_phrase = "false"
        if len(words) > 1:
            in_phrase = "d.search_document @@ to_tsquery('english', %s)"
            params.append(self._phrase(words))
        params.append(self._expression(parsed, any_term))
        sql = f"""
            SELECT d.id, {covered}, {rank}, {in_phrase}
            FROM {table._meta.db_table} d, to_tsquery('english', %s) q
            WHERE d.search_document @@ q"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _phrase(phrase: Phrase) -> str:
        return "(" + " <-> ".join(f"'{w}'" for w in phrase) + ")"

    def _term(self, term: Term) -> str:
        return "(" + " | ".join(self._phrase(p) for p in term.phrases) + ")"

    def _expression(self, parsed: ParsedQuery, any_term: bool) -> str:
        expression = (" | " if any_term else " & ").join(self._term(t) for t in parsed.terms)
        if parsed.excluded:
            excluded = " | ".join(self._phrase(p) for p in parsed.excluded)
            expression = f"({expression}) & !({excluded})"
        return expression


def reading_order_prior(order: int) -> float:
    """What a page's place in the reading order multiplies its score by (both databases)."""
    return 1 - READING_ORDER_PRIOR * min(READING_ORDER_PRIOR_CAP, order)


@dataclass(frozen=True)
class Listing:
    """What the ranking needs of a visible page, for every page: kept per worker until the
    next save (a title each, not the text)."""

    order: int  # place in the reading order
    title_stems: frozenset[str]  # the title's (question's) words that carry meaning


@per_content_version
def listings() -> dict[str, dict[int, Listing]]:
    """Every page visitors may see, by kind and id. Articles come from
    Article.objects.published(), the one definition of what visitors may see: a draft or a
    scheduled article is in the index, and left out here."""

    def listing(order: int, title: str) -> Listing:
        return Listing(order, content_stems(title))

    articles = Article.objects.published().values_list("pk", "order", "title")
    entries = FAQEntry.objects.values_list("pk", "order", "question")
    return {
        "article": {pk: listing(order, title) for pk, order, title in articles},
        "faq": {pk: listing(order, question) for pk, order, question in entries},
    }


def _typed_words(parsed: ParsedQuery) -> Phrase:
    """The words of the query in the order typed (first name of each term)."""
    return tuple(w for term in parsed.terms for w in term.phrases[0])


def engine() -> SQLiteEngine | PostgresEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()


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


def find(kind: str, parsed: ParsedQuery, any_term: bool = False) -> list[Hit]:
    """The visible matches of one kind, best first by the engine's score."""
    parsed = for_kind(kind, parsed)
    if not parsed.terms:
        return []
    try:
        rows = engine().matches(kind, parsed, any_term)
    except DatabaseError:
        # Never expected (every word is quoted); the query itself is not logged: it may
        # say something about the visitor's health.
        logger.exception("Search failed in the database")
        return []
    visible = listings()[kind]
    hits = [
        (-score * reading_order_prior(visible[pk].order), visible[pk].order, pk, covered, phrase)
        for pk, covered, score, phrase in rows
        if pk in visible
    ]
    hits.sort()
    return [
        Hit(kind, pk, covered, -score, bool(phrase), position)
        for position, (score, _, pk, covered, phrase) in enumerate(hits[:MAX_MATCHES])
    ]


def finds_anything(parsed: ParsedQuery) -> bool:
    return bool(find("article", parsed) or find("faq", parsed))


# --- The one score, the same on both databases ---------------------------------------------
#
# The engines' own scores differ (bm25 weighs how rare a word is, ts_rank does not, and on
# a site of a few dozen pages bm25 gives every word on more than half of them a score of
# about zero), so they only choose the candidates. The best RESCORED of each kind are then
# scored here from their text, the same way on both:
#
#   score = reading-order prior x phrase boost x the sum over the query's terms of the best
#           of its names: weight x rarity x saturation(10 x title + 4 x key terms + 1 x text)
#
# where a count is how often the name's words appear in that part (a title is an FAQ
# entry's question), saturation(n) = n / (n + 2), rarity = log((N + 1) / (documents + 0.5)),
# at least 0.1 (N: pages searched; documents: pages using the word, from SearchWord), and
# weight is 1 for what was typed, SYNONYM_WEIGHT for a synonym's other names.

RESCORED = 100
FIELD_WEIGHTS = (10, 4, 1)  # title (question), summary and key terms, text
SATURATION = 2.0
MIN_RARITY = 0.1


@dataclass(frozen=True)
class Counts:
    """How often each stem appears in a page's title, summary and key terms, and text."""

    fields: tuple[dict[str, int], dict[str, int], dict[str, int]]

    @classmethod
    def of(cls, *texts: str) -> "Counts":
        fields = []
        for text in texts:
            counts = {}
            for word in _WORD.findall(fold(text)):
                word_stem = stem(word)
                counts[word_stem] = counts.get(word_stem, 0) + 1
            fields.append(counts)
        return cls(tuple(fields))

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


@per_content_version
def _counts_kept() -> dict[tuple[str, int], Counts]:
    """Counts read so far since the last save (per worker; a few kB a page)."""
    return {}


def counts_of(kind: str, pks: list[int]) -> dict[int, Counts]:
    """The counts of these pages, the ones not yet kept read in one query."""
    kept = _counts_kept()
    missing = [pk for pk in pks if (kind, pk) not in kept]
    if missing and kind == "article":
        for article in Article.objects.filter(pk__in=missing).only("title", "summary", "body_html"):
            kept[(kind, article.pk)] = Counts.of(*article_fields(article))
    elif missing:
        for entry in FAQEntry.objects.filter(pk__in=missing).only("question", "answer_html"):
            question, answer = faq_fields(entry)
            kept[(kind, entry.pk)] = Counts.of(question, "", answer)
    return {pk: kept[(kind, pk)] for pk in pks if (kind, pk) in kept}


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


def score(hits: list[Hit], parsed: ParsedQuery) -> list[Hit]:
    """The best RESCORED of each kind scored the one way (above), best first, then the
    rest in the engine's order."""
    table = listings()
    pages = len(table["article"]) + len(table["faq"])
    scored = []
    for kind in ("article", "faq"):
        of_kind = [hit for hit in hits if hit.kind == kind]
        top, rest = of_kind[:RESCORED], of_kind[RESCORED:]
        counts = counts_of(kind, [hit.pk for hit in top])
        names = weighted_names(for_kind(kind, parsed, scoring=True), pages)
        for hit in top:
            page = counts.get(hit.pk)
            total = 0.0
            for term_names in names if page else []:
                best = 0.0
                for stems, weight in term_names:
                    n = page.weighted(stems)
                    if n:
                        best = max(best, weight * n / (n + SATURATION))
                total += best
            total *= reading_order_prior(table[kind][hit.pk].order)
            total *= PHRASE_BOOST if hit.phrase else 1
            scored.append(Hit(kind, hit.pk, hit.covered, total, hit.phrase, hit.position))
        # Past the rescored ones, the engine's order (below every rescored page of its kind).
        scored += [Hit(kind, h.pk, h.covered, -1.0, h.phrase, h.position) for h in rest]
    return scored


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


# --- 4. Typos -------------------------------------------------------------------------------


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before it and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


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
    """(word, documents) the site uses that look like `word`, most alike first: pg_trgm's
    `%` (similarity at least 0.3) and its trigram index on PostgreSQL; the same measure
    over the vocabulary in memory on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, documents FROM {SearchWord._meta.db_table} "
                "WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, CORRECTION_CANDIDATES],
            )
            return cursor.fetchall()
    edits = max_edits(word)
    own = trigrams(word)
    scored = []
    by_length = vocabulary_by_length()
    for length in range(len(word) - edits, len(word) + edits + 1):
        for candidate, documents, candidate_trigrams in by_length.get(length, ()):
            shared = len(own & candidate_trigrams)
            score = shared / (len(own) + len(candidate_trigrams) - shared)
            if score >= TRIGRAM_THRESHOLD:
                scored.append((-score, candidate, documents))
    scored.sort()
    return [(w, n) for _, w, n in scored[:CORRECTION_CANDIDATES]]


@per_content_version
def vocabulary_by_length() -> dict[int, list[tuple[str, int, frozenset[str]]]]:
    """SQLite's stand-in for pg_trgm's index: the site's words with their trigrams, by
    length, kept per worker until the next save."""
    by_length = {}
    for word, documents in SearchWord.objects.values_list("word", "documents"):
        by_length.setdefault(len(word), []).append((word, documents, frozenset(trigrams(word))))
    return by_length


def closest_word(word: str) -> str:
    """The word the site uses that `word` was most likely meant to be, or ""."""
    if len(word) < 4 or word.isdigit():
        return ""
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


# --- 5. Promotions and the whole search ------------------------------------------------------


@per_content_version
def promotions() -> dict[str, list[int]]:
    """promotion_key(query) → ids of the articles pinned for it, in order."""
    table = {}
    for promotion in SearchPromotion.objects.order_by("sort_order", "pk"):
        table.setdefault(promotion_key(promotion.query), []).append(promotion.article_id)
    return table


def search(query: str, exact: bool = False) -> Outcome:
    """Every match, articles and FAQ answers in one ranked list, promoted articles first.

    1. Pages holding every word (after synonyms). 2. If none: the query with its typos
    corrected (with `exact`, a correction is only offered). 3. If still none: the pages
    holding most of the words, by how many they hold. (The search view keeps whole results
    pages: articles.views.search_page.)"""
    parsed = parse(query)
    outcome = Outcome()
    searched = prepare(parsed)
    if not searched.terms:
        return outcome
    hits = find("article", searched) + find("faq", searched)
    fixed = None
    if not hits:
        fixed = corrected(parsed)
        if fixed is not None:
            if exact:
                outcome.suggestion = text_of(fixed)
            else:
                fixed_searched = prepare(fixed)
                hits = find("article", fixed_searched) + find("faq", fixed_searched)
                if hits:
                    outcome.corrected = text_of(fixed)
                    searched = fixed_searched
                elif len(fixed_searched.terms) > 1:
                    searched = fixed_searched  # the partial search below uses the fixes
    if not hits and len(for_kind("article", searched).terms) > 1:
        hits = partial_hits(searched)
        outcome.partial = bool(hits)
        if hits and fixed is not None and not exact:
            outcome.corrected = text_of(fixed)
    pinned = promoted_ids(query, outcome.corrected)
    outcome.hits = rank(
        score(hits, searched), searched, outcome.corrected or query, pinned, outcome.partial
    )
    outcome.promoted = frozenset(pinned)
    outcome.direct_answer = is_direct_answer(outcome.hits, searched, outcome.partial)
    outcome.stems = highlight_stems(searched)
    return outcome


def partial_hits(parsed: ParsedQuery) -> list[Hit]:
    """Pages holding at least half of the terms (one of two), in one query per kind."""
    hits = []
    for kind in ("article", "faq"):
        least = math.ceil(len(for_kind(kind, parsed).terms) / 2)
        hits += [hit for hit in find(kind, parsed, any_term=True) if hit.covered >= least]
    return hits


def rank(
    hits: list[Hit], parsed: ParsedQuery, query: str, pinned: list[int], partial: bool = False
) -> list[Hit]:
    """The one ranking, for both databases and both kinds of page:

    1. promoted articles, in their order;
    2. pages holding more of the terms (only differs when no page holds them all);
    3. the page whose title is the query (its words that carry meaning, in any form);
    4. pages whose title (an FAQ entry's question) holds every term, the title with the
       fewest other words first ("How many sessions will I need?" before "Staying safe
       between sessions" for "how many sessions"); for a partial match, the titles
       holding more of the terms first;
    5. then by the one score (`score`), articles and answers alike.
    """
    table = listings()
    key = content_stems(query)
    required = {kind: for_kind(kind, parsed) for kind in ("article", "faq")}
    matchers = {kind: title_matcher(required[kind]) for kind in required}

    def order(hit: Hit) -> tuple:
        listing = table[hit.kind][hit.pk]
        terms = required[hit.kind].terms
        in_title, precision = matchers[hit.kind](listing)
        holds_all = in_title == len(terms)
        pinned_at = pinned.index(hit.pk) if hit.kind == "article" and hit.pk in pinned else None
        return (
            pinned_at is None,
            pinned_at or 0,
            -hit.covered / max(1, len(terms)),
            listing.title_stems != key,
            -in_title if partial else not holds_all,
            -precision if holds_all or partial else 0,
            -hit.score,
            hit.position,
            hit.kind != "article",
            listing.order,
            hit.pk,
        )

    ranked = sorted(hits, key=order)
    missing = [
        Hit("article", pk, len(parsed.terms), 0.0)
        for pk in pinned
        if not any(h.kind == "article" and h.pk == pk for h in hits)
    ]
    return sorted(missing + ranked, key=order) if missing else ranked


def title_match(listing: Listing, parsed: ParsedQuery) -> tuple[int, float]:
    """How many of the terms the title holds, and what share of its words the query names
    (the site's subject, "ketamine", left out of the count)."""
    return title_matcher(parsed)(listing)


def title_matcher(parsed: ParsedQuery) -> Callable[[Listing], tuple[int, float]]:
    """`title_match` for one query and many titles: the query's stems worked out once, and
    a title with none of them answered at once (most titles, when many pages match)."""
    terms = [[frozenset(stem(w) for w in p) for p in term.phrases] for term in parsed.terms]
    every_stem = frozenset().union(*(p for phrases in terms for p in phrases))

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


def is_direct_answer(hits: list[Hit], parsed: ParsedQuery, partial: bool) -> bool:
    """The first result is an FAQ answer whose question holds every word: shown whole."""
    if partial or not hits or hits[0].kind != "faq":
        return False
    listing = listings()["faq"][hits[0].pk]
    required = for_kind("faq", parsed)
    return title_match(listing, required)[0] == len(required.terms)


def promoted_ids(*queries: str) -> list[int]:
    table = promotions()
    visible = listings()["article"]
    ids = []
    for query in queries:
        for pk in table.get(promotion_key(query), []) if query else []:
            if pk not in ids and pk in visible:  # published ones only
                ids.append(pk)
    return ids


# --- Results, snippets and highlighting (the same for both databases) ------------------------


@dataclass(frozen=True)
class Document:
    """What a result shows: title, what it links to, and the text its snippet is cut from,
    word by word (escaped once), with the stems of each word and where each stem first
    occurs. Shared by every request of the worker, so it holds no address: a link starts
    with the script prefix of the request that shows it (see `address`)."""

    title: str
    target: str  # the article's slug, or the FAQ entry's id
    kind: str
    tokens: tuple[str, ...]
    escaped: tuple[str, ...]
    token_stems: tuple[frozenset[str], ...]
    first_seen: dict[str, int]
    # Snippets already cut, by the stems searched (the same searches come back often).
    snippets: dict[frozenset[str], SafeString] = field(default_factory=dict, compare=False)
    html: str = ""  # an FAQ answer as the FAQ page shows it, for a direct answer

    @classmethod
    def build(cls, title: str, target: str, kind: str, text: str, html: str = "") -> "Document":
        tokens = tuple(text.split())
        token_stems = tuple(frozenset(stem(w) for w in _WORD.findall(fold(t))) for t in tokens)
        first_seen = {}
        for position, stems in enumerate(token_stems):
            for word_stem in stems:
                first_seen.setdefault(word_stem, position)
        escaped = tuple(escape(t) for t in tokens)
        return cls(
            title,
            target,
            kind,
            tokens,
            escaped,
            token_stems,
            first_seen,
            html=html,
        )


@per_content_version
def _documents() -> dict[tuple[str, int], Document | None]:
    """Documents read so far since the last save (per worker; filled as results ask)."""
    return {}


def article_document(pk: int) -> Document | None:
    """A published article as a result, or None."""
    cache = _documents()
    key = ("article", pk)
    if key not in cache:
        article = (
            Article.objects.published()
            .filter(pk=pk)
            .only("title", "slug", "summary", "body_html")
            .first()
        )
        cache[key] = None
        if article is not None:
            title, _, body = article_fields(article)
            text = f"{article.summary} {body}"
            cache[key] = Document.build(title, article.slug, "article", text)
    return cache[key]


def faq_document(pk: int) -> Document | None:
    cache = _documents()
    key = ("faq", pk)
    if key not in cache:
        entry = FAQEntry.objects.filter(pk=pk).only("question", "answer_html").first()
        cache[key] = None
        if entry is not None:
            question, answer = faq_fields(entry)
            # answer_html is the rendered, sanitised Markdown the FAQ page shows as it is.
            html = entry.answer_html or ""
            cache[key] = Document.build(question, str(entry.pk), "faq", answer, html=html)
    return cache[key]


def address(document: Document) -> str:
    """The link to a result, for the current request (script prefix included)."""
    if document.kind == "article":
        return article_path(document.target)
    return f"{reverse('articles:faq')}#faq-{document.target}"


def highlight_stems(parsed: ParsedQuery) -> frozenset[str]:
    """The words to mark: every word typed, and a synonym's other names when they are one
    word ("shock therapy" for "ECT" would mark every "therapy")."""
    return frozenset(
        stem(w)
        for term in parsed.terms
        for p in term.phrases
        if p in term.typed_phrases or len(p) == 1
        for w in p
    )


def _result(document: Document, stems: frozenset[str], promoted: bool = False) -> Result:
    return Result(
        title=document.title,
        url=address(document),
        snippet=snippet(document, stems),
        kind=document.kind,
        promoted=promoted,
    )


def snippet(document: Document, stems: frozenset[str]) -> SafeString:
    """About thirty words around the first matched word, each matched word in <mark>.

    Only the word itself is marked: "spray," becomes "<mark>spray</mark>,", and in
    "ketamine-assisted" either half can be marked."""
    if stems in document.snippets:
        return document.snippets[stems]
    start = _window_start(document, stems)
    end = min(len(document.tokens), start + SNIPPET_WORDS)
    pieces = ["…"] if start > 0 else []
    for position in range(start, end):
        if document.token_stems[position] & stems:
            pieces.append(_marked(document.tokens[position], stems))
        else:
            pieces.append(document.escaped[position])
    if end < len(document.tokens):
        pieces.append("…")
    html = mark_safe(" ".join(pieces))
    if len(document.snippets) < SNIPPETS_KEPT:
        document.snippets[stems] = html
    return html


def _window_start(document: Document, stems: frozenset[str]) -> int:
    """Where the snippet starts: around the first occurrence of one of the search words,
    the one whose window shows the most different search words ("right" as well as the
    "ketamine" every page has)."""
    best, best_start = -1, 0
    for first in sorted({document.first_seen[s] for s in stems if s in document.first_seen}):
        start = max(0, first - SNIPPET_LEAD)
        window = document.token_stems[start : start + SNIPPET_WORDS]
        shown = len({s for token_stems in window for s in token_stems & stems})
        if shown > best:
            best, best_start = shown, start
    return best_start


def _marked(token: str, stems: frozenset[str]) -> str:
    """The token as HTML with its matching words, and only they, in <mark>."""
    html, position = [], 0
    for match in _WORD.finditer(token):
        html.append(escape(token[position : match.start()]))
        word = match.group()
        html.append(f"<mark>{escape(word)}</mark>" if stem(fold(word)) in stems else escape(word))
        position = match.end()
    html.append(escape(token[position:]))
    return "".join(html)
