"""Search on the Spanish pages (/es/search/, issue 28 item 5): the Spanish translations
patients may see, searched in Spanish, the same way on both databases.

1. The query is read as the English one is (query.py's syntax: words, "a phrase", `-word`;
   `o` as well as `or` between two words), its words folded and stemmed the Spanish way
   (spanish_text.py); Spanish stop words never have to match.
2. The database's Spanish index (backends/*: `spanish_term_matches`) finds the translations
   holding each term, one term at a time, each answer kept per worker until the next save.
3. Which translations patients may see is decided here, by articles' own rule
   (`translation_may_be_shown`: the English article is on the site, and the translation's
   review satisfies REQUIRE_MEDICAL_REVIEW).
4. The matches are scored in Python from their text, the same on both databases: for each
   term, the best of its names, saturation(10 x title + 4 x summary and key terms + 1 x
   text) x rarity, as ranking.py scores English (which is not shared: it is English
   through and through, and tuned for the English site's speed). Order: pages holding more
   of the terms, then those whose title holds every term, then the score, then reading
   order. If no page holds every word, those holding at least half are shown ("partial").

No synonyms (staff's are English) and no typo correction yet: see docs/search.md.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation as i18n

from articles.models import ArticleTranslation
from articles.review import translation_may_be_shown
from foundation.content_version import ContentMemo, per_content_version

from . import backends
from .query import _TOKEN, MAX_TERMS, Phrase
from .results import Document, Result, snippet
from .spanish_text import STOPWORDS, stem, stems_of, translation_fields
from .text import WORD, fold

LANGUAGE = "es"
PAGE_SIZE = 10  # as the English results
FIELD_WEIGHTS = (10, 4, 1)  # title, summary and key terms, text: as ranking.py
SATURATION = 2.0
MIN_RARITY = 0.1
OR_WORDS = frozenset({"o", "or"})

kept_terms: ContentMemo[frozenset[int]] = ContentMemo(max_entries=4000)


@dataclass(frozen=True)
class SpanishQuery:
    terms: tuple[tuple[Phrase, ...], ...]  # each term: any of these phrases of stems
    excluded: tuple[Phrase, ...] = ()


def parse(query: str) -> SpanishQuery:
    """The query's terms as stems, without the words that carry no meaning."""
    terms, excluded, join_next = [], [], False
    for negative, quoted, bare in _TOKEN.findall(fold(query)):
        if bare in OR_WORDS and terms:
            join_next = True
            continue
        words = _trimmed(tuple(WORD.findall(quoted if not bare else bare)))
        if not words:
            join_next = False
            continue
        phrase = tuple(stem(w) for w in words)
        if negative or (bare.startswith("-") and len(bare) > 1):
            excluded.append(phrase)
        elif join_next:
            terms[-1] = (*terms[-1], phrase)
        else:
            terms.append((phrase,))
        join_next = False
        if len(terms) + len(excluded) >= MAX_TERMS:
            break
    return SpanishQuery(tuple(dict.fromkeys(terms)), tuple(excluded))


def _trimmed(words: tuple[str, ...]) -> tuple[str, ...]:
    """Without the stop words at either end (inside a quoted phrase they stay)."""
    start, end = 0, len(words)
    while start < end and words[start] in STOPWORDS:
        start += 1
    while end > start and words[end - 1] in STOPWORDS:
        end -= 1
    return words[start:end]


@dataclass(frozen=True)
class SpanishPage:
    """A translation as search needs it, kept per worker until the next save."""

    pk: int
    slug: str  # the English article's: /es/articles/<slug>/
    order: int
    title: str
    fields: tuple[dict[str, int], dict[str, int], dict[str, int]]  # stem counts
    text: str  # summary and body text, for the snippet


@per_content_version
def all_pages() -> dict[int, SpanishPage]:
    pages = {}
    for translation in ArticleTranslation.objects.select_related("article").filter(
        language=LANGUAGE
    ):
        title, summary, body = translation_fields(translation)
        counts = tuple(_counts(stems_of(text)) for text in (title, summary, body))
        pages[translation.pk] = SpanishPage(
            pk=translation.pk,
            slug=translation.article.slug,
            order=translation.article.order,
            title=title,
            fields=counts,
            text=f"{translation.summary} {body}",
        )
    return pages


def _counts(stems: list[str]) -> dict[str, int]:
    counts = {}
    for word_stem in stems:
        counts[word_stem] = counts.get(word_stem, 0) + 1
    return counts


# The translations patients may see, by articles' own rule, kept until the next save; keyed
# by REQUIRE_MEDICAL_REVIEW, which the rule reads.
kept_visible: ContentMemo[frozenset[int]] = ContentMemo(max_entries=2)


def visible_pages() -> dict[int, SpanishPage]:
    """The translations patients may see now (articles.review.translation_may_be_shown)."""

    def build() -> frozenset[int]:
        translations = ArticleTranslation.objects.select_related("article").filter(
            language=LANGUAGE
        )
        return frozenset(t.pk for t in translations if translation_may_be_shown(t))

    shown = kept_visible.get_or_build(settings.REQUIRE_MEDICAL_REVIEW, build)
    return {pk: page for pk, page in all_pages().items() if pk in shown}


def term_matches(phrases: tuple[Phrase, ...]) -> frozenset[int]:
    return kept_terms.get_or_build(
        phrases, lambda: frozenset(backends.current().spanish_term_matches(list(phrases)))
    )


@dataclass
class SpanishOutcome:
    hits: list[SpanishPage] = field(default_factory=list)
    stems: frozenset[str] = frozenset()
    partial: bool = False
    # What the template shares with the English outcome (search/engine.py).
    corrected: str = ""
    suggestion: str = ""
    direct_answer: bool = False

    @property
    def count(self) -> int:
        return len(self.hits)

    article_count = count
    answer_count = 0

    @property
    def answered(self) -> bool:
        return bool(self.hits) and not self.partial

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / PAGE_SIZE))

    def results(self, page: int = 1) -> list[Result]:
        shown = self.hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return [spanish_result(hit, self.stems) for hit in shown]


def search(query: str) -> SpanishOutcome:
    parsed = parse(query)
    if not parsed.terms:
        return SpanishOutcome()
    visible = visible_pages()
    excluded = set()
    if parsed.excluded:
        excluded = term_matches(parsed.excluded)
    held: dict[int, int] = {}
    for term in parsed.terms:
        for pk in term_matches(term):
            if pk in visible and pk not in excluded:
                held[pk] = held.get(pk, 0) + 1
    needed = len(parsed.terms)
    partial = not any(n == needed for n in held.values())
    least = needed if not partial else math.ceil(needed / 2) if needed > 1 else needed + 1
    pages = [visible[pk] for pk, n in held.items() if n >= least]
    rarities = {phrase: rarity(phrase, visible) for term in parsed.terms for phrase in term}
    scores = {page.pk: score(page, parsed, rarities) for page in pages}
    pages.sort(
        key=lambda page: (
            -held[page.pk],
            not title_holds_every_term(page, parsed),
            -scores[page.pk],
            page.order,
            page.pk,
        )
    )
    stems = frozenset(s for term in parsed.terms for phrase in term for s in phrase)
    return SpanishOutcome(hits=pages, stems=stems, partial=partial and bool(pages))


def weighted(page: SpanishPage, phrase: Phrase) -> int:
    return sum(
        weight * min(counts.get(s, 0) for s in phrase)
        for weight, counts in zip(FIELD_WEIGHTS, page.fields, strict=True)
    )


def score(page: SpanishPage, parsed: SpanishQuery, rarities: dict[Phrase, float]) -> float:
    total = 0.0
    for term in parsed.terms:
        best = 0.0
        for phrase in term:
            n = weighted(page, phrase)
            if n:
                best = max(best, rarities[phrase] * n / (n + SATURATION))
        total += best
    return total


def rarity(phrase: Phrase, visible: dict[int, SpanishPage]) -> float:
    """log((N + 1) / (pages using the phrase's commonest word + 0.5)), as ranking.py."""
    used = max(
        sum(1 for page in visible.values() if any(s in counts for counts in page.fields))
        for s in phrase
    )
    return max(MIN_RARITY, math.log((len(visible) + 1) / (used + 0.5)))


def title_holds_every_term(page: SpanishPage, parsed: SpanishQuery) -> bool:
    title = page.fields[0]
    return all(any(all(s in title for s in phrase) for phrase in term) for term in parsed.terms)


@dataclass(frozen=True)
class Card:
    """A Spanish page as an article card shows it (templates/includes/cards.html)."""

    title: str
    summary: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def first_pages(count: int) -> list[Card]:
    """The first Spanish pages in reading order that patients may see."""
    pages = sorted(visible_pages().values(), key=lambda page: (page.order, page.pk))[:count]
    summaries = dict(
        ArticleTranslation.objects.filter(pk__in=[p.pk for p in pages]).values_list("pk", "summary")
    )
    return [Card(page.title, summaries.get(page.pk, ""), spanish_path(page.slug)) for page in pages]


def spanish_path(slug: str) -> str:
    with i18n.override(LANGUAGE):
        return reverse("articles:detail", args=[slug])


# --- Results --------------------------------------------------------------------------------

kept_documents: ContentMemo[Document] = ContentMemo(max_entries=2000)


def spanish_result(page: SpanishPage, stems: frozenset[str]) -> Result:
    document = kept_documents.get_or_build(
        page.pk,
        lambda: Document.build(page.title, page.slug, "article", page.text, stem_word=stem),
    )
    return Result(
        title=page.title,
        url=spanish_path(page.slug),
        snippet=snippet(document, stems, stem_word=stem),
        kind="article",
    )
