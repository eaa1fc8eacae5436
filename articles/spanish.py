"""The Spanish article pages (issue 28): /es/articles/ and /es/articles/<slug>/, the same
slug as the English article.

A translation is shown only when `translation_may_be_shown` allows it (the English article
is on the site, and REQUIRE_MEDICAL_REVIEW's rule holds for the translation's own review).
A stale one (the English text changed since the version translated) is shown with a notice
at the top, in Spanish, with the date of the English change and a link to the English page.
An article with no Spanish version patients may read answers with the page that says so
(foundation.languages.no_spanish_version): never the English text at a Spanish address.
"""

from dataclasses import dataclass
from functools import cached_property

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clinic.models import ClinicProfile
from foundation.content_version import per_content_version
from foundation.languages import ENGLISH, SPANISH, address_in, no_spanish_version

from .models import Article, ArticleSlugRedirect, ArticleTranslation
from .review import translation_may_be_shown
from .structured_data import article_jsonld

RELATED_COUNT = 3


@dataclass(frozen=True)
class SpanishArticle:
    """A translation as the page templates read an article: its own title, summary, body
    and review; the English article's address, place in the reading order and author."""

    translation: ArticleTranslation

    @property
    def article(self) -> Article:
        return self.translation.article

    def __getattr__(self, name: str):
        # The translated text and its review: title, summary, body_html, headings,
        # reviewer, reviewed_on, next_review_due, translator, translated_on, is_stale...
        if name.startswith("__") or name == "translation":
            raise AttributeError(name)  # copy and pickle ask before `translation` is set
        return getattr(self.translation, name)

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def topic(self) -> str:
        return self.article.topic

    @property
    def order(self) -> int:
        return self.article.order

    @property
    def author(self):
        return self.article.author

    @property
    def publish_at(self):
        return self.article.publish_at

    @property
    def text_updated_on(self):
        # The translation's own date: the English "last updated" says nothing of it.
        return self.translation.translated_on

    @property
    def show_table_of_contents(self) -> bool:
        return Article(headings=self.translation.headings).show_table_of_contents

    @cached_property
    def cited_keys(self) -> list[str]:
        return self.article.cited_keys

    def review_state(self, today=None) -> str:
        return self.translation.review_state(today)

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()  # under /es/ while a Spanish page is built


@per_content_version
def spanish_articles() -> dict[str, SpanishArticle]:
    """Every Spanish article patients may read now, by slug, in reading order: read once
    per worker after each save (shared: never change)."""
    translations = (
        ArticleTranslation.objects.filter(language=SPANISH)
        .select_related("article", "article__author", "article__reviewer", "reviewer")
        .order_by("article__order", "article__title")
    )
    return {t.article.slug: SpanishArticle(t) for t in translations if translation_may_be_shown(t)}


def spanish_article_of(article: Article) -> SpanishArticle | None:
    """The finder foundation.languages.spanish_version_of uses for articles (apps.py)."""
    return spanish_articles().get(article.slug)


def spanish_article_index(request: HttpRequest) -> HttpResponse:
    from .queries import group_by_topic  # noqa: PLC0415 (the views' module imports this one)

    articles = list(spanish_articles().values())
    return render(
        request,
        "articles/index.html",
        {
            "seo_title": "Artículos sobre la terapia con ketamina",
            "seo_description": (
                "Artículos en español claro sobre la terapia con ketamina: cómo funciona, "
                "cómo es un día de tratamiento, los efectos secundarios y cómo decidir."
            ),
            "topics": group_by_topic(articles),
            "has_other_language": True,
        },
    )


def spanish_article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    spanish = spanish_articles().get(slug)
    if spanish is None:
        article = Article.objects.filter(slug=slug).first()
        if article is not None and article.is_visible_to_visitors:
            return no_spanish_version(request)
        # Not an article patients may read (a draft's address is never confirmed): a
        # published article's old address leads to its new one, under /es/ too.
        old = ArticleSlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
        if old is None or not old.article.is_visible_to_visitors:
            raise Http404("No article here.")
        return redirect(old.article, permanent=True)
    reading_order = list(spanish_articles().values())
    position = [a.slug for a in reading_order].index(slug)
    previous_article = reading_order[position - 1] if position > 0 else None
    next_article = reading_order[position + 1] if position + 1 < len(reading_order) else None
    others = [a for a in reading_order if a.slug != slug]
    others.sort(key=lambda a: (a.topic != spanish.topic, abs(a.order - spanish.order)))
    return render(
        request,
        "articles/detail.html",
        {
            "seo_title": spanish.title,
            "seo_description": spanish.summary,
            "og_type": "article",
            "article": spanish,
            "review_state": spanish.review_state(),
            "is_preview": False,
            "pending_change": None,
            "stale_since": spanish.english_changed_on if spanish.is_stale else None,
            "english_address": address_in(ENGLISH, request),
            "related": others[:RELATED_COUNT],
            "previous_article": previous_article,
            "next_article": next_article,
            "has_other_language": True,
            "jsonld": article_jsonld(spanish, ClinicProfile.current(), request),
        },
    )
