"""Site search over published articles and the FAQ.

On PostgreSQL the ranking is the database's full-text search (English stemming, title
weighted above summary above body). On SQLite, which has no such search built in, a
small ranked fallback in Python does the same job: the site has tens of articles, not
thousands, so reading them all is quick. Snippets and highlighting are made the same way
on both, so the results page looks the same whichever database is behind it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

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
    else:
        articles, entries = _python_search(stems)
    return (
        [_article_result(a, stems) for a in articles[:MAX_RESULTS]],
        [_faq_result(e, stems) for e in entries[:MAX_RESULTS]],
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


def _python_search(stems: list[str]) -> tuple[list[Article], list[FAQEntry]]:
    scored_articles = []
    for article in Article.objects.published():
        score = (
            TITLE_WEIGHT * _hits(article.title, stems)
            + SUMMARY_WEIGHT * _hits(article.summary, stems)
            + BODY_WEIGHT * _hits(article.body, stems)
        )
        if score and _all_present(f"{article.title} {article.summary} {article.body}", stems):
            scored_articles.append((score, -article.order, article))
    scored_entries = []
    for entry in FAQEntry.objects.all():
        score = TITLE_WEIGHT * _hits(entry.question, stems) + BODY_WEIGHT * _hits(
            entry.answer, stems
        )
        if score and _all_present(f"{entry.question} {entry.answer}", stems):
            scored_entries.append((score, -entry.order, entry))
    by_score = lambda item: (item[0], item[1])  # noqa: E731
    return (
        [a for *_, a in sorted(scored_articles, key=by_score, reverse=True)],
        [e for *_, e in sorted(scored_entries, key=by_score, reverse=True)],
    )


def _hits(text: str, stems: list[str]) -> int:
    words = [stem(w) for w in _WORD.findall(text.lower())]
    return sum(1 for w in words for s in stems if w.startswith(s))


def _all_present(text: str, stems: list[str]) -> bool:
    """Every search word must appear, as PostgreSQL's websearch requires."""
    words = {stem(w) for w in _WORD.findall(text.lower())}
    return all(any(w.startswith(s) for w in words) for s in stems)


def _article_result(article: Article, stems: list[str]) -> Result:
    text = article.summary + " " + strip_tags(article.body_html)
    return Result(
        title=article.title,
        url=article.get_absolute_url(),
        snippet=highlight(snippet_text(text, stems), stems),
        kind="article",
    )


def _faq_result(entry: FAQEntry, stems: list[str]) -> Result:
    return Result(
        title=entry.question,
        url=f"/faq/#faq-{entry.pk}",
        snippet=highlight(snippet_text(strip_tags(entry.answer_html), stems), stems),
        kind="faq",
    )


def snippet_text(text: str, stems: list[str]) -> str:
    """About thirty words of text around the first matched word."""
    words = text.split()
    first = next(
        (i for i, w in enumerate(words) if any(stem(_bare(w)).startswith(s) for s in stems)), 0
    )
    start = max(0, first - SNIPPET_WORDS // 3)
    chosen = words[start : start + SNIPPET_WORDS]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return prefix + " ".join(chosen) + suffix


def highlight(text: str, stems: list[str]) -> SafeString:
    """Escape the text, then wrap each matched word in <mark>."""
    pieces = []
    for token in re.split(r"(\s+)", text):
        bare = _bare(token)
        if bare and any(stem(bare).startswith(s) for s in stems):
            pieces.append(f"<mark>{escape(token)}</mark>")
        else:
            pieces.append(escape(token))
    return mark_safe("".join(pieces))


def _bare(token: str) -> str:
    return "".join(_WORD.findall(token.lower()))
