"""Site search over published articles and the FAQ.

On PostgreSQL the ranking is the database's full-text search (English stemming, title
weighted above summary above body). On SQLite, which has no such search built in, a
small ranked fallback in Python does the same job over an index kept in memory: the site
has tens of articles, not thousands, and the index is rebuilt only after a save (see
`per_content_version`). Snippets and highlighting are made the same way on both, so the
results page looks the same whichever database is behind it.
"""

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from clinic_site.page_cache import per_content_version

from .models import Article, FAQEntry

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 20
SNIPPET_WORDS = 30
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10, 4, 1

# Words too common to say anything about what a patient is looking for.
STOPWORDS = set(
    "a about after an and are as at be before but by can could do does for from how i if in "
    "is it its me my of on or so than that the their them there they this to was we what "
    "when where which who why will with would you your".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ive", "ies", "ied",
             "ion", "ers", "er", "ed", "es", "ly", "s", "e")  # fmt: skip


@dataclass
class Result:
    title: str
    url: str
    snippet: SafeString
    kind: str  # "article" or "faq"


def clean_query(raw: str) -> str:
    """A query safe to work with: printable, single-spaced, at most 200 characters."""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@lru_cache(maxsize=50_000)  # the site's vocabulary is small; each word is stemmed once
def stem(word: str) -> str:
    """A rough English stem ('driving' -> 'driv', 'costs' -> 'cost'), enough to match forms."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def query_stems(query: str) -> list[str]:
    words = [w for w in _WORD.findall(query.lower()) if w not in STOPWORDS]
    return list(dict.fromkeys(stem(w) for w in words))


def search(query: str) -> tuple[list[Result], list[Result]]:
    """Matching (articles, FAQ entries), best first."""
    stems = query_stems(query)
    if not stems:
        return [], []
    if connection.vendor == "postgresql":
        articles, entries = _postgres_search(query)
        return (
            [_result(_article_document(a), stems) for a in articles[:MAX_RESULTS]],
            [_result(_faq_document(e), stems) for e in entries[:MAX_RESULTS]],
        )
    index = python_index()
    matches = {s: index.words_starting_with(s) for s in stems}
    return (
        [_result(d, stems) for d in _ranked(index.articles, matches)[:MAX_RESULTS]],
        [_result(d, stems) for d in _ranked(index.entries, matches)[:MAX_RESULTS]],
    )


def _postgres_search(query: str) -> tuple[list[Article], list[FAQEntry]]:
    search_query = SearchQuery(query, search_type="websearch", config="english")
    article_vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    articles = (
        Article.objects.published()
        .annotate(search=article_vector, rank=SearchRank(article_vector, search_query))
        .filter(search=search_query)
        .order_by("-rank", "order")
    )
    faq_vector = SearchVector("question", weight="A", config="english") + SearchVector(
        "answer", weight="C", config="english"
    )
    entries = (
        FAQEntry.objects.annotate(search=faq_vector, rank=SearchRank(faq_vector, search_query))
        .filter(search=search_query)
        .order_by("-rank", F("order").asc())
    )
    return list(articles), list(entries)


# --- The in-memory index (SQLite) --------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One article or FAQ entry, read once: stem counts per weighted field, and the plain
    text the snippet is cut from."""

    title: str
    url: str
    kind: str  # "article" or "faq"
    order: int
    fields: tuple[tuple[int, Counter], ...]  # (weight, how often each stem occurs)
    stems: frozenset[str]  # every stem in the document
    words: tuple[str, ...]  # the snippet text, word by word, HTML-escaped
    word_stems: tuple[str, ...]  # the stem of each of those words
    first_seen: dict[str, int]  # where each stem first occurs in the snippet text
    sorted_stems: list[str]  # the keys of first_seen, sorted, to find prefixes quickly


@dataclass(frozen=True)
class Index:
    articles: list[Document]
    entries: list[Document]
    vocabulary: list[str]  # every stem of every document, sorted

    def words_starting_with(self, prefix: str) -> list[str]:
        """The stems a query stem matches ('driv' matches 'driv' and 'driver')."""
        found = []
        for word in self.vocabulary[bisect_left(self.vocabulary, prefix) :]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found


@per_content_version
def python_index() -> Index:
    articles = [_article_document(a) for a in Article.objects.published()]
    entries = [_faq_document(e) for e in FAQEntry.objects.all()]
    vocabulary = sorted(set().union(*(d.stems for d in articles + entries)))
    return Index(articles, entries, vocabulary)


def _article_document(article: Article) -> Document:
    fields = [(TITLE_WEIGHT, article.title), (SUMMARY_WEIGHT, article.summary),
              (BODY_WEIGHT, article.body)]  # fmt: skip
    text = article.summary + " " + snippet_text(article.body_html)
    return _document(article.title, article.get_absolute_url(), "article", article.order,
                     fields, text)  # fmt: skip


def _faq_document(entry: FAQEntry) -> Document:
    fields = [(TITLE_WEIGHT, entry.question), (BODY_WEIGHT, entry.answer)]
    return _document(entry.question, f"/faq/#faq-{entry.pk}", "faq", entry.order, fields,
                     snippet_text(entry.answer_html))  # fmt: skip


# A heading's end, unless it already ends a sentence (a question, say).
_HEADING_WITHOUT_STOP = re.compile(r"(?<![.?!:])(</h[1-6]>)")


# Citation numbers in the text, and the list of references after it: not snippet words.
_CITATION_MARK = re.compile(r'<sup id="fnref[^"]*">.*?</sup>')
_REFERENCES = re.compile(r'<h2 id="references">References</h2>.*', re.DOTALL)


def snippet_text(html: str) -> str:
    """The words snippets are cut from. A heading ends with a full stop, so a snippet that
    runs from a heading into the text reads "...nasal spray. An esketamine visit..." rather
    than "...nasal spray An esketamine visit..."."""
    html = _REFERENCES.sub("", _CITATION_MARK.sub("", html))
    return strip_tags(_HEADING_WITHOUT_STOP.sub(r".\1", html))


def _document(title, url, kind, order, fields, text) -> Document:
    counted = tuple((weight, Counter(_stems_of(value))) for weight, value in fields)
    words = text.split()
    word_stems = [stem(_bare(w)) for w in words]
    first_seen = {}
    for position, word_stem in enumerate(word_stems):
        first_seen.setdefault(word_stem, position)
    return Document(
        title=title,
        url=url,
        kind=kind,
        order=order,
        fields=counted,
        stems=frozenset().union(*(counts.keys() for _, counts in counted)),
        words=tuple(escape(w) for w in words),
        word_stems=tuple(word_stems),
        first_seen=first_seen,
        sorted_stems=sorted(first_seen),
    )


def _stems_of(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


def _ranked(documents: list[Document], matches: dict[str, list[str]]) -> list[Document]:
    """Documents holding every search word (as PostgreSQL's websearch requires), best
    first: each occurrence of a matching word counts its field's weight."""
    scored = []
    for document in documents:
        if not all(any(w in document.stems for w in words) for words in matches.values()):
            continue
        score = sum(
            weight * counts[w]
            for weight, counts in document.fields
            for words in matches.values()
            for w in words
        )
        scored.append((score, -document.order, document))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [document for *_, document in scored]


# --- Results, snippets and highlighting --------------------------------------------------


def _result(document: Document, stems: list[str]) -> Result:
    return Result(
        title=document.title,
        url=document.url,
        snippet=snippet(document, stems),
        kind=document.kind,
    )


def snippet(document: Document, stems: list[str]) -> SafeString:
    """About thirty words of text around the first matched word, each matched word in
    <mark> (the words were escaped when the index was built)."""
    stems = tuple(stems)
    start = max(0, first_match(document, stems) - SNIPPET_WORDS // 3)
    end = min(len(document.words), start + SNIPPET_WORDS)
    pieces = ["…"] if start > 0 else []
    for word, word_stem in zip(
        document.words[start:end], document.word_stems[start:end], strict=True
    ):
        pieces.append(f"<mark>{word}</mark>" if word_stem.startswith(stems) else word)
    if end < len(document.words):
        pieces.append("…")
    return mark_safe(" ".join(pieces))


def first_match(document: Document, stems: tuple[str, ...]) -> int:
    """The position of the first word matching any search word (0 if none does)."""
    positions = []
    for prefix in stems:
        for word_stem in document.sorted_stems[bisect_left(document.sorted_stems, prefix) :]:
            if not word_stem.startswith(prefix):
                break
            positions.append(document.first_seen[word_stem])
    return min(positions, default=0)


def _bare(token: str) -> str:
    return "".join(_WORD.findall(token.lower()))
