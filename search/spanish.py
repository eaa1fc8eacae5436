"""Search on the Spanish pages (/es/search/, issue 28 item 5): the Spanish translations
patients may see, articles and FAQ answers in one ranked list as on the English site,
searched in Spanish, the same way on both databases.

1. The query is read as the English one is (query.py's syntax: words, "a phrase", `-word`;
   `o` as well as `or` between two words), its words folded and stemmed the Spanish way
   (spanish_text.py); Spanish stop words never have to match.
2. The database's Spanish index (backends/*: `spanish_term_matches`, one table per kind)
   finds the translations of each kind holding each term, one term at a time, each answer
   kept per worker until the next save. As in English, an FAQ answer need not say
   "ketamina" (or "terapia", "tratamiento") unless nothing else is asked.
3. Which translations patients may see is decided here, by articles' own rules: an
   article's by `translation_may_be_shown` (the English article is on the site, and the
   translation's review satisfies REQUIRE_MEDICAL_REVIEW), an FAQ answer's by
   `shown_faq_translations` (its review satisfies REQUIRE_MEDICAL_REVIEW).
4. The matches are scored in Python from their text, the same on both databases: for each
   term, the best of its names, saturation(10 x title + 4 x summary and key terms + 1 x
   text) x rarity (an FAQ answer's question counts as its title, its answer as text), as
   ranking.py scores English (which is not shared: it is English through and through,
   and tuned for the English site's speed). Order: pages holding more of the terms, then
   those whose title holds every term, then the score, then articles before answers, then
   reading order. If no page holds every word, those holding at least half are shown
   ("partial"). An FAQ answer first whose question holds every word is shown whole, as a
   direct answer (as in English). An answer links to /es/faq/#faq-<English entry id>.

No synonyms (staff's are English) and no typo correction yet: see docs/search.md.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation as i18n
from django.utils.safestring import mark_safe

from articles.models import ArticleTranslation, FAQEntryTranslation
from articles.review import translation_may_be_shown
from articles.translation_queries import shown_faq_translations
from foundation.content_version import ContentMemo, per_content_version

from . import backends
from .query import _TOKEN, MAX_TERMS, Phrase
from .results import Document, Result, snippet
from .spanish_text import STOPWORDS, faq_translation_fields, stem, stems_of, translation_fields
from .text import WORD, fold

LANGUAGE = "es"
PAGE_SIZE = 10  # as the English results
FIELD_WEIGHTS = (10, 4, 1)  # title, summary and key terms, text: as ranking.py
SATURATION = 2.0
MIN_RARITY = 0.1
OR_WORDS = frozenset({"o", "or"})
KINDS = ("article", "faq")
# The site's subject: an FAQ answer need not name it (search.query.SUBJECT_WORDS in English).
SUBJECT_STEMS = frozenset(stem(word) for word in ("ketamina", "terapia", "tratamiento"))

Key = tuple[str, int]  # (kind, translation id)
Terms = tuple[tuple[Phrase, ...], ...]

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

    kind: str  # "article" or "faq"
    pk: int  # the translation's
    target: str  # the English article's slug, or the English FAQ entry's id (its anchor)
    order: int  # the English item's place in the reading order
    title: str  # an FAQ answer's question
    fields: tuple[dict[str, int], dict[str, int], dict[str, int]]  # stem counts
    text: str  # summary and body text (the answer text), for the snippet
    html: str = ""  # an FAQ answer as the Spanish FAQ page shows it, for a direct answer

    @property
    def key(self) -> Key:
        return (self.kind, self.pk)


@per_content_version
def all_pages() -> dict[Key, SpanishPage]:
    pages = {}
    for translation in ArticleTranslation.objects.select_related("article").filter(
        language=LANGUAGE
    ):
        title, summary, body = translation_fields(translation)
        counts = tuple(_counts(stems_of(text)) for text in (title, summary, body))
        page = SpanishPage(
            kind="article",
            pk=translation.pk,
            target=translation.article.slug,
            order=translation.article.order,
            title=title,
            fields=counts,
            text=f"{translation.summary} {body}",
        )
        pages[page.key] = page
    for translation in FAQEntryTranslation.objects.select_related("entry").filter(
        language=LANGUAGE
    ):
        question, answer = faq_translation_fields(translation)
        page = SpanishPage(
            kind="faq",
            pk=translation.pk,
            target=str(translation.entry_id),
            order=translation.entry.order,
            title=question,
            fields=(_counts(stems_of(question)), {}, _counts(stems_of(answer))),
            text=answer,
            html=translation.answer_html or "",
        )
        pages[page.key] = page
    return pages


def _counts(stems: list[str]) -> dict[str, int]:
    counts = {}
    for word_stem in stems:
        counts[word_stem] = counts.get(word_stem, 0) + 1
    return counts


# The translations patients may see, by articles' own rules, kept until the next save; keyed
# by REQUIRE_MEDICAL_REVIEW, which the rules read.
kept_visible: ContentMemo[frozenset[Key]] = ContentMemo(max_entries=2)


def visible_pages() -> dict[Key, SpanishPage]:
    """The translations patients may see now: articles' by translation_may_be_shown, FAQ
    answers' by shown_faq_translations."""

    def build() -> frozenset[Key]:
        translations = ArticleTranslation.objects.select_related("article").filter(
            language=LANGUAGE
        )
        articles = {("article", t.pk) for t in translations if translation_may_be_shown(t)}
        answers = {("faq", t.pk) for t in shown_faq_translations(LANGUAGE).values()}
        return frozenset(articles | answers)

    shown = kept_visible.get_or_build(settings.REQUIRE_MEDICAL_REVIEW, build)
    return {key: page for key, page in all_pages().items() if key in shown}


def term_matches(kind: str, phrases: tuple[Phrase, ...]) -> frozenset[int]:
    return kept_terms.get_or_build(
        (kind, phrases),
        lambda: frozenset(backends.current().spanish_term_matches(list(phrases), kind)),
    )


def required_terms(kind: str, terms: Terms) -> Terms:
    """What a page of this kind must hold: an FAQ answer need not name the site's subject
    ("ketamina"), unless nothing else is asked (ranking.for_kind in English)."""
    if kind == "faq":
        return tuple(t for t in terms if not all(set(p) <= SUBJECT_STEMS for p in t)) or terms
    return terms


@dataclass
class SpanishOutcome:
    hits: list[SpanishPage] = field(default_factory=list)
    stems: frozenset[str] = frozenset()
    partial: bool = False
    direct_answer: bool = False  # the first hit is an FAQ answer whose question matches
    # What the template shares with the English outcome (search/engine.py).
    corrected: str = ""
    suggestion: str = ""

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def article_count(self) -> int:
        return sum(1 for hit in self.hits if hit.kind == "article")

    @property
    def answer_count(self) -> int:
        return sum(1 for hit in self.hits if hit.kind == "faq")

    @property
    def answered(self) -> bool:
        return bool(self.hits) and not self.partial

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / PAGE_SIZE))

    def results(self, page: int = 1) -> list[Result]:
        shown = self.hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        results = [spanish_result(hit, self.stems) for hit in shown]
        if page == 1 and results and self.direct_answer:
            results[0].answer = mark_safe(shown[0].html)  # noqa: S308 (sanitised on save)
        return results


def search(query: str) -> SpanishOutcome:
    parsed = parse(query)
    if not parsed.terms:
        return SpanishOutcome()
    visible = visible_pages()
    required = {kind: required_terms(kind, parsed.terms) for kind in KINDS}
    excluded: set[Key] = set()
    if parsed.excluded:
        excluded = {(kind, pk) for kind in KINDS for pk in term_matches(kind, parsed.excluded)}
    held: dict[Key, int] = {}
    for kind in KINDS:
        for term in required[kind]:
            for pk in term_matches(kind, term):
                key = (kind, pk)
                if key in visible and key not in excluded:
                    held[key] = held.get(key, 0) + 1
    needed = {kind: len(required[kind]) for kind in KINDS}
    partial = not any(n == needed[kind] for (kind, _), n in held.items())
    pages = [visible[key] for key, n in held.items() if n >= least(needed[key[0]], partial)]
    rarities = {phrase: rarity(phrase, visible) for term in parsed.terms for phrase in term}
    scores = {page.key: score(page, required[page.kind], rarities) for page in pages}
    pages.sort(
        key=lambda page: (
            -held[page.key] / needed[page.kind],
            not title_holds_every_term(page, required[page.kind]),
            -scores[page.key],
            page.kind != "article",  # as in English: answers after articles, all else equal
            page.order,
            page.pk,
        )
    )
    stems = frozenset(s for term in parsed.terms for phrase in term for s in phrase)
    partial = partial and bool(pages)
    direct = bool(pages) and not partial and pages[0].kind == "faq"
    direct = direct and title_holds_every_term(pages[0], required["faq"])
    return SpanishOutcome(hits=pages, stems=stems, partial=partial, direct_answer=direct)


def least(needed: int, partial: bool) -> int:
    """How many of its kind's terms a page must hold: all of them; if no page holds all of
    its own, at least half (a query of one term has no partial matches: none are shown)."""
    if not partial:
        return needed
    return math.ceil(needed / 2) if needed > 1 else needed + 1


def weighted(page: SpanishPage, phrase: Phrase) -> int:
    return sum(
        weight * min(counts.get(s, 0) for s in phrase)
        for weight, counts in zip(FIELD_WEIGHTS, page.fields, strict=True)
    )


def score(page: SpanishPage, terms: Terms, rarities: dict[Phrase, float]) -> float:
    total = 0.0
    for term in terms:
        best = 0.0
        for phrase in term:
            n = weighted(page, phrase)
            if n:
                best = max(best, rarities[phrase] * n / (n + SATURATION))
        total += best
    return total


def rarity(phrase: Phrase, visible: dict[Key, SpanishPage]) -> float:
    """log((N + 1) / (pages using the phrase's commonest word + 0.5)), as ranking.py."""
    used = max(
        sum(1 for page in visible.values() if any(s in counts for counts in page.fields))
        for s in phrase
    )
    return max(MIN_RARITY, math.log((len(visible) + 1) / (used + 0.5)))


def title_holds_every_term(page: SpanishPage, terms: Terms) -> bool:
    title = page.fields[0]
    return all(any(all(s in title for s in phrase) for phrase in term) for term in terms)


@dataclass(frozen=True)
class Card:
    """A Spanish page as an article card shows it (templates/includes/cards.html)."""

    title: str
    summary: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def first_pages(count: int) -> list[Card]:
    """The first Spanish articles in reading order that patients may see."""
    articles = [page for page in visible_pages().values() if page.kind == "article"]
    pages = sorted(articles, key=lambda page: (page.order, page.pk))[:count]
    summaries = dict(
        ArticleTranslation.objects.filter(pk__in=[p.pk for p in pages]).values_list("pk", "summary")
    )
    return [
        Card(page.title, summaries.get(page.pk, ""), spanish_path(page.target)) for page in pages
    ]


def spanish_path(slug: str) -> str:
    with i18n.override(LANGUAGE):
        return reverse("articles:detail", args=[slug])


def spanish_address(page: SpanishPage) -> str:
    """An article's Spanish page, or the answer's place on the Spanish FAQ page (its
    anchor is the English entry's: templates/articles/faq.html)."""
    if page.kind == "article":
        return spanish_path(page.target)
    with i18n.override(LANGUAGE):
        return f"{reverse('articles:faq')}#faq-{page.target}"


# --- Results --------------------------------------------------------------------------------

kept_documents: ContentMemo[Document] = ContentMemo(max_entries=2000)


def spanish_result(page: SpanishPage, stems: frozenset[str]) -> Result:
    document = kept_documents.get_or_build(
        page.key,
        lambda: Document.build(page.title, page.target, page.kind, page.text, stem_word=stem),
    )
    return Result(
        title=page.title,
        url=spanish_address(page),
        snippet=snippet(document, stems, stem_word=stem),
        kind=page.kind,
    )
