"""Site search over published articles and the FAQ, with each database's own engine.

What a query means is decided here, once, for both databases:

1. The query is read as PostgreSQL's `websearch` syntax reads it: words (all must match),
   "a quoted phrase", `or` between two words, `-word` to leave out. Words too common to
   mean anything ("can", "the") are dropped. Nothing a visitor types reaches an engine as
   syntax: every word is quoted.
2. Synonyms staff keep in the admin (`SearchSynonym`) widen a word or phrase to all its
   names: "Spravato" also finds "esketamine".
3. The engine finds and ranks: PostgreSQL's full-text search on the stored, GIN-indexed
   `search_document`; on SQLite, FTS5 with `bm25`. Both weigh title above summary and key
   terms (headings, bold lead-ins) above the text, and put first the pages whose title
   holds every search word, then the pages holding the words as one phrase.
4. If nothing is found, a word that matches no word the site uses is replaced by the
   closest one it does use (`SearchWord`: trigram similarity, then edit distance), and the
   page says "Showing results for ...".
5. Promoted results (`SearchPromotion`, "best bets") go first.

Snippets and highlighting are made here too, the same way for both.
"""

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import snowballstemmer
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from clinic_site.page_cache import per_content_version

from .models import (
    Article,
    FAQEntry,
    SearchPromotion,
    SearchSynonym,
    SearchWord,
    Status,
    article_path,
)
from .search_index import ARTICLE_FTS, FAQ_FTS, STOPWORDS, article_fields, faq_fields, fold

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # words and phrases read from one query; the rest is ignored
MAX_RESULTS = 10  # articles, and FAQ answers, shown: the best ten of each
SNIPPET_WORDS = 30
SNIPPET_LEAD = 10  # words shown before the first match
SNIPPETS_KEPT = 50  # per document, until the next save
# Title 10 : summary and key terms 4 : body 1, as bm25 column weights on SQLite and
# ts_rank weights {D, C, B, A} on PostgreSQL.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
TS_RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"
# A page holding the search words as one phrase ranks this much higher (both databases).
PHRASE_BOOST = 1.25
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

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_stemmer = snowballstemmer.stemmer("english")  # the same Snowball stemmer as PostgreSQL's

Phrase = tuple[str, ...]  # one or more words, next to each other


@dataclass
class Term:
    """One thing the query asks for: any of these phrases."""

    phrases: list[Phrase]
    typed: bool = True  # a single word as the visitor typed it (may be corrected)


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


@dataclass
class Outcome:
    articles: list[Result] = field(default_factory=list)
    entries: list[Result] = field(default_factory=list)
    corrected: str = ""  # the query searched instead of the one typed
    suggestion: str = ""  # a correction offered, not applied ("Did you mean ...?")

    @property
    def count(self) -> int:
        return len(self.articles) + len(self.entries)


def clean_query(raw: str) -> str:
    """A query safe to work with: printable, single-spaced, at most 200 characters."""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@lru_cache(maxsize=100_000)  # the site's words and visitors' words: each stemmed once
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


# --- 1. Reading the query -------------------------------------------------------------------


def parse(query: str) -> ParsedQuery:
    parsed = ParsedQuery(terms=[])
    join_next = False
    for negative, quoted, bare in _TOKEN.findall(fold(query)):
        if bare == "or" and parsed.terms:
            join_next = True
            continue
        text = quoted if not bare else bare
        negative = negative or (bare.startswith("-") and len(bare) > 1)
        words = tuple(_WORD.findall(text))
        if not quoted:
            # a bare word: "ketamine-assisted" is a phrase; "can" alone means nothing
            words = tuple(w for w in words if w not in STOPWORDS) if len(words) == 1 else words
        words = _trim_stopwords(words)
        if not words:
            continue
        if negative:
            parsed.excluded.append(words)
        elif join_next:
            parsed.terms[-1].phrases.append(words)
            parsed.terms[-1].typed = False
        else:
            parsed.terms.append(Term([words], typed=len(words) == 1 and not quoted))
        join_next = False
        if len(parsed.terms) + len(parsed.excluded) >= MAX_TERMS:
            break
    return parsed


def _trim_stopwords(words: Phrase) -> Phrase:
    start, end = 0, len(words)
    while start < end and words[start] in STOPWORDS:
        start += 1
    while end > start and words[end - 1] in STOPWORDS:
        end -= 1
    return words[start:end]


def text_of(parsed: ParsedQuery) -> str:
    """The query back as text (after a correction), in the same syntax."""
    pieces = []
    for term in parsed.terms:
        pieces.append(" or ".join(_phrase_text(p) for p in term.phrases))
    pieces += ["-" + _phrase_text(p) for p in parsed.excluded]
    return " ".join(pieces)


def _phrase_text(phrase: Phrase) -> str:
    return phrase[0] if len(phrase) == 1 else '"' + " ".join(phrase) + '"'


def promotion_key(query: str) -> str:
    """What two queries must share to be "the same" for a promotion."""
    return " ".join(w for w in _WORD.findall(fold(query)) if w not in STOPWORDS)


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


def expand_synonyms(parsed: ParsedQuery) -> ParsedQuery:
    """Each term, or run of up to four one-phrase terms, that names a synonym also finds
    the other names: "IV cost" → (IV or infusion) and (cost or price or insurance)."""
    table = synonym_table()
    if not table:
        return parsed
    terms, i = [], 0
    while i < len(parsed.terms):
        for j in range(min(len(parsed.terms), i + 4), i, -1):
            run = parsed.terms[i:j]
            if any(len(t.phrases) != 1 for t in run):
                continue
            words = tuple(w for t in run for w in t.phrases[0])
            names = table.get(tuple(stem(w) for w in words))
            if names:
                terms.append(Term([words, *[n for n in names if n != words]], typed=False))
                i = j
                break
        else:
            terms.append(parsed.terms[i])
            i += 1
    return ParsedQuery(terms=terms, excluded=parsed.excluded)


# --- 3. The engines -------------------------------------------------------------------------


class SQLiteEngine:
    """FTS5 (Porter stemmer); rank by bm25 with column weights title > summary > body."""

    def ranked_ids(self, kind: str, parsed: ParsedQuery, limit: int) -> list[int]:
        match = self._expression(parsed)
        phrase = self._phrase(parsed)
        fts = ARTICLE_FTS if kind == "article" else FAQ_FTS
        title_column = "title" if kind == "article" else "question"
        weights = ", ".join(str(w) for w in BM25_WEIGHTS[-self._columns(kind) :])
        params = [f"{title_column} : ({self._positive(parsed)})"]
        # bm25 is negative, lower is better: an exact phrase multiplies it by PHRASE_BOOST.
        boost = "1"
        if phrase:
            boost = (
                f"CASE WHEN rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) "
                f"THEN {PHRASE_BOOST} ELSE 1 END"
            )
            params.append(phrase)
        params.append(match)
        sql = f"""
            SELECT rowid,
                   rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) AS in_title,
                   bm25({fts}, {weights}) * {boost} AS score
            FROM {fts}
            WHERE {fts} MATCH %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            matches = cursor.fetchall()
        # The reading-order prior and the ordering are applied here, not in SQL: reading
        # each match's "order" from its table row (past the long body columns) took most
        # of a search's time at 1,000 articles. Drafts and scheduled articles are in the
        # index too, and are left out here (a join to the articles table cost more).
        hidden = hidden_article_ids() if kind == "article" else frozenset()
        orders = reading_orders(kind)
        ranked = sorted(
            (not in_title, score * reading_order_prior(orders.get(pk, 0)), pk)
            for pk, in_title, score in matches
            if pk not in hidden
        )
        return [pk for _, _, pk in ranked[:limit]]

    @staticmethod
    def _columns(kind: str) -> int:
        return 3 if kind == "article" else 2

    @staticmethod
    def _quoted(phrase: Phrase) -> str:
        return '"' + " ".join(phrase) + '"'  # words are letters and digits only

    def _positive(self, parsed: ParsedQuery) -> str:
        return " AND ".join(
            "(" + " OR ".join(self._quoted(p) for p in term.phrases) + ")" for term in parsed.terms
        )

    def _expression(self, parsed: ParsedQuery) -> str:
        expression = self._positive(parsed)
        if parsed.excluded:
            expression += " NOT (" + " OR ".join(self._quoted(p) for p in parsed.excluded) + ")"
        return expression

    def _phrase(self, parsed: ParsedQuery) -> str:
        words = _typed_words(parsed)
        return self._quoted(words) if len(words) > 1 else ""


class PostgresEngine:
    """Full-text search on the stored search_document; ts_rank with weights A > B > C."""

    def ranked_ids(self, kind: str, parsed: ParsedQuery, limit: int) -> list[int]:
        table = Article if kind == "article" else FAQEntry
        title_weight = "A" if kind == "article" else "B"
        words = _typed_words(parsed)
        params = [
            self._expression(parsed),
            self._positive(parsed, weight=title_weight),
            self._phrase(words) if len(words) > 1 else self._positive(parsed),
        ]
        visible = ""
        if kind == "article":
            visible = "AND d.status = %s AND d.publish_at <= %s"
            params += [Status.PUBLISHED, timezone.now()]
        phrase_boost = (
            f"CASE WHEN d.search_document @@ phrase_q THEN {PHRASE_BOOST} ELSE 1 END"
            if len(words) > 1
            else "1"
        )
        sql = f"""
            SELECT d.id
            FROM {table._meta.db_table} d, to_tsquery('english', %s) q,
                 to_tsquery('english', %s) title_q, to_tsquery('english', %s) phrase_q
            WHERE d.search_document @@ q {visible}
            ORDER BY d.search_document @@ title_q DESC,
                     ts_rank('{TS_RANK_WEIGHTS}', d.search_document, q, 1) * {phrase_boost}
                       * (1 - {READING_ORDER_PRIOR} * LEAST({READING_ORDER_PRIOR_CAP}, d."order"))
                       DESC,
                     d."order", d.id
            LIMIT {int(limit)}"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _phrase(phrase: Phrase, weight: str = "") -> str:
        suffix = f":{weight}" if weight else ""
        return "(" + " <-> ".join(f"'{w}'{suffix}" for w in phrase) + ")"

    def _positive(self, parsed: ParsedQuery, weight: str = "") -> str:
        return " & ".join(
            "(" + " | ".join(self._phrase(p, weight) for p in term.phrases) + ")"
            for term in parsed.terms
        )

    def _expression(self, parsed: ParsedQuery) -> str:
        expression = self._positive(parsed)
        if parsed.excluded:
            expression += " & !(" + " | ".join(self._phrase(p) for p in parsed.excluded) + ")"
        return expression


def reading_order_prior(order: int) -> float:
    """What a page's place in the reading order multiplies its score by, on SQLite (the
    PostgreSQL engine's SQL applies the same formula to the row it already reads)."""
    return 1 - READING_ORDER_PRIOR * min(READING_ORDER_PRIOR_CAP, order)


@per_content_version
def _reading_orders() -> dict[str, dict[int, int]]:
    return {
        "article": dict(Article.objects.values_list("pk", "order")),
        "faq": dict(FAQEntry.objects.values_list("pk", "order")),
    }


def reading_orders(kind: str) -> dict[int, int]:
    """id → place in the reading order, for articles or FAQ entries (until the next save)."""
    return _reading_orders()[kind]


@per_content_version
def hidden_article_ids() -> frozenset[int]:
    """Articles visitors may not see yet (drafts, scheduled): until the next save, or until
    the next scheduled one goes live."""
    visible = Article.objects.published().values("pk")
    return frozenset(Article.objects.exclude(pk__in=visible).values_list("pk", flat=True))


def _typed_words(parsed: ParsedQuery) -> Phrase:
    """The words of the query in the order typed (first name of each term)."""
    return tuple(w for term in parsed.terms for w in term.phrases[0])


def engine() -> SQLiteEngine | PostgresEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()


def find(kind: str, parsed: ParsedQuery, limit: int = MAX_RESULTS) -> list[int]:
    if not parsed.terms:
        return []
    try:
        return engine().ranked_ids(kind, parsed, limit)
    except DatabaseError:
        # Never expected (every word is quoted); the query itself is not logged: it may
        # say something about the visitor's health.
        logger.exception("Search failed in the database")
        return []


def finds_anything(parsed: ParsedQuery) -> bool:
    return bool(find("article", parsed, 1) or find("faq", parsed, 1))


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


def corrected(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query with each typed word that finds nothing replaced by the closest word
    the site uses; None if no word needed (or found) a replacement."""
    terms, changed, checked = [], False, 0
    for term in parsed.terms:
        correctable = (
            term.typed
            and checked < MAX_WORDS_CORRECTED
            and len(term.phrases[0][0]) <= MAX_CORRECTABLE_LENGTH
        )
        checked += correctable
        if correctable and not finds_anything(expand_synonyms(ParsedQuery([term]))):
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
    """Promoted, then matching articles, and matching FAQ entries, best first.

    With `exact`, typos are not corrected; a correction is only offered. (The search view
    keeps whole results pages: articles.views.search_page.)"""
    parsed = parse(query)
    outcome = Outcome()
    if not parsed.terms:
        return outcome
    searched = expand_synonyms(parsed)
    article_ids, entry_ids = find("article", searched), find("faq", searched)
    if not article_ids and not entry_ids:
        fixed = corrected(parsed)
        if fixed is not None:
            if exact:
                outcome.suggestion = text_of(fixed)
            else:
                searched = expand_synonyms(fixed)
                article_ids, entry_ids = find("article", searched), find("faq", searched)
                if article_ids or entry_ids:
                    outcome.corrected = text_of(fixed)
    article_ids = exact_title_first(article_ids, outcome.corrected or query)
    pinned = promoted_ids(query, outcome.corrected)
    article_ids = pinned + [pk for pk in article_ids if pk not in pinned]
    stems = highlight_stems(searched)
    outcome.articles = [
        _result(document, stems, promoted=pk in pinned)
        for pk in article_ids[:MAX_RESULTS]
        if (document := article_document(pk)) is not None
    ]
    outcome.entries = [
        _result(document, stems) for pk in entry_ids if (document := faq_document(pk)) is not None
    ]
    return outcome


def exact_title_first(article_ids: list[int], query: str) -> list[int]:
    """The article whose title is the query ("What is ketamine therapy?") goes first, even
    when another title also holds every word ("Is ketamine therapy right for me?")."""
    key = promotion_key(query)
    exact = [
        pk for pk in article_ids if (document := article_document(pk)) and document.title_key == key
    ]
    return exact + [pk for pk in article_ids if pk not in exact]


def promoted_ids(*queries: str) -> list[int]:
    table = promotions()
    ids = []
    for query in queries:
        for pk in table.get(promotion_key(query), []) if query else []:
            if pk not in ids and article_document(pk) is not None:  # published ones only
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
    title_key: str  # promotion_key(title), to find an exact title search
    # Snippets already cut, by the stems searched (the same searches come back often).
    snippets: dict[frozenset[str], SafeString] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, title: str, target: str, kind: str, text: str) -> "Document":
        tokens = tuple(text.split())
        token_stems = tuple(frozenset(stem(w) for w in _WORD.findall(fold(t))) for t in tokens)
        first_seen = {}
        for position, stems in enumerate(token_stems):
            for word_stem in stems:
                first_seen.setdefault(word_stem, position)
        escaped = tuple(escape(t) for t in tokens)
        return cls(
            title, target, kind, tokens, escaped, token_stems, first_seen, promotion_key(title)
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
            cache[key] = Document.build(question, str(entry.pk), "faq", answer)
    return cache[key]


def address(document: Document) -> str:
    """The link to a result, for the current request (script prefix included)."""
    if document.kind == "article":
        return article_path(document.target)
    return f"{reverse('articles:faq')}#faq-{document.target}"


def highlight_stems(parsed: ParsedQuery) -> frozenset[str]:
    return frozenset(stem(w) for term in parsed.terms for p in term.phrases for w in p)


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
