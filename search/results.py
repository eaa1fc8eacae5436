"""What a result shows: title, link and a snippet with the search words marked, made the
same way for both databases from the page's own text."""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, FAQEntry, article_path
from foundation.content_version import ContentMemo

from .query import ParsedQuery
from .text import PAGES_KEPT, WORD, article_fields, faq_fields, fold, stem

SNIPPET_WORDS = 30
SNIPPET_LEAD = 10  # words shown before the first match
SNIPPETS_KEPT = 50  # per document, until the next save


@dataclass
class Result:
    title: str
    url: str
    snippet: SafeString
    kind: str  # "article" or "faq"
    promoted: bool = False
    answer: SafeString | None = None  # the whole answer, for a direct answer shown first


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
    def build(
        cls,
        title: str,
        target: str,
        kind: str,
        text: str,
        html: str = "",
        stem_word: Callable[[str], str] = stem,
    ) -> "Document":
        """`stem_word` stems a folded word: English by default, Spanish for the Spanish
        search (search/spanish.py)."""
        tokens = tuple(text.split())
        token_stems = tuple(frozenset(stem_word(w) for w in WORD.findall(fold(t))) for t in tokens)
        first_seen = {}
        for position, stems in enumerate(token_stems):
            for word_stem in stems:
                first_seen.setdefault(word_stem, position)
        escaped = tuple(escape(t) for t in tokens)
        return cls(title, target, kind, tokens, escaped, token_stems, first_seen, html=html)


# Each result's text, tokenised once and kept per worker until the next save, for the
# snippets; None for a page that is not published (docs/caching.md).
kept_documents: ContentMemo[Document | None] = ContentMemo(max_entries=PAGES_KEPT)


def article_document(pk: int) -> Document | None:
    """A published article as a result, or None."""
    return kept_documents.get_or_build(("article", pk), lambda: read_article_document(pk))


def read_article_document(pk: int) -> Document | None:
    article = (
        Article.objects.published()
        .filter(pk=pk)
        .only("title", "slug", "summary", "body_html")
        .first()
    )
    if article is None:
        return None
    title, _, body = article_fields(article)
    return Document.build(title, article.slug, "article", f"{article.summary} {body}")


def faq_document(pk: int) -> Document | None:
    return kept_documents.get_or_build(("faq", pk), lambda: read_faq_document(pk))


def read_faq_document(pk: int) -> Document | None:
    entry = FAQEntry.objects.filter(pk=pk).only("question", "answer_html").first()
    if entry is None:
        return None
    question, answer = faq_fields(entry)
    # answer_html is the rendered, sanitised Markdown the FAQ page shows as it is.
    return Document.build(question, str(entry.pk), "faq", answer, html=entry.answer_html or "")


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


def result(document: Document, stems: frozenset[str], promoted: bool = False) -> Result:
    return Result(
        title=document.title,
        url=address(document),
        snippet=snippet(document, stems),
        kind=document.kind,
        promoted=promoted,
    )


def snippet(
    document: Document, stems: frozenset[str], stem_word: Callable[[str], str] = stem
) -> SafeString:
    """About thirty words around the first matched word, each matched word in <mark>.

    Only the word itself is marked: "spray," becomes "<mark>spray</mark>,", and in
    "ketamine-assisted" either half can be marked. `stem_word` is the one the document
    was built with."""
    if stems in document.snippets:
        return document.snippets[stems]
    start = _window_start(document, stems)
    end = min(len(document.tokens), start + SNIPPET_WORDS)
    pieces = ["…"] if start > 0 else []
    for position in range(start, end):
        if document.token_stems[position] & stems:
            pieces.append(_marked(document.tokens[position], stems, stem_word))
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


def _marked(token: str, stems: frozenset[str], stem_word: Callable[[str], str]) -> str:
    """The token as HTML with its matching words, and only they, in <mark>."""
    html, position = [], 0
    for match in WORD.finditer(token):
        html.append(escape(token[position : match.start()]))
        word = match.group()
        marked = stem_word(fold(word)) in stems
        html.append(f"<mark>{escape(word)}</mark>" if marked else escape(word))
        position = match.end()
    html.append(escape(token[position:]))
    return "".join(html)
