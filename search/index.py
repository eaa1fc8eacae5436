"""Keeping the databases' own search indexes current, and the vocabulary typos are
corrected from.

- Each database's index is its backend's (backends/): PostgreSQL's `search_document` on the
  article and FAQ tables, SQLite's two FTS5 tables. Written after every save and delete of
  an article or FAQ entry.
- The Spanish index (backends/: `write_spanish`, one table per kind), written after every
  save and delete of an article's or FAQ answer's translation (search/spanish.py).
- Both: `SearchWord`, every word the published site uses, with how many pages use it.

The receivers are connected in SearchConfig.ready(): `articles` knows nothing of search.
It announces what no save signal tells (`articles.signals`): pages rendered again with
`update()` (`rendered_again`), and a batch of many saves (`saving_many`), after which the
vocabulary is rebuilt once. `QuerySet.update()` and `bulk_create()` elsewhere send nothing:
run `manage.py rebuild_search_index` after changing rows that way.

The search app's migration 0002 calls `rebuild_all` with its historical models, so
everything here reads fields only, never model methods.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from . import backends
from .spanish_text import faq_translation_fields, stemmed, translation_fields
from .text import STOPWORDS, article_fields, faq_fields, words_of

_state = threading.local()


def index_article(article) -> None:
    fields = article_fields(article)
    backends.current().write("article", type(article)._meta.db_table, article.pk, fields)


def index_faq_entry(entry) -> None:
    fields = faq_fields(entry)
    backends.current().write("faq", type(entry)._meta.db_table, entry.pk, fields)


def index_translation(translation) -> None:
    """An article translation in the Spanish index (search/spanish.py), as stems. Every
    translation is indexed; which ones patients may see is decided when searching."""
    fields = tuple(stemmed(field) for field in translation_fields(translation))
    backends.current().write_spanish(translation.pk, fields, "article")


def index_faq_translation(translation) -> None:
    """An FAQ answer translation in the Spanish index, as stems (question, answer)."""
    fields = tuple(stemmed(field) for field in faq_translation_fields(translation))
    backends.current().write_spanish(translation.pk, fields, "faq")


def rebuild_spanish(ArticleTranslation=None, FAQEntryTranslation=None) -> None:  # noqa: N803
    """The Spanish index afresh. Without arguments, all of it; a migration passes the
    historical models of the translations whose index it made (0004 articles', 0005 FAQ
    answers'), and only those are indexed."""
    if ArticleTranslation is None and FAQEntryTranslation is None:
        from articles.models import ArticleTranslation, FAQEntryTranslation
    backend = backends.current()
    if ArticleTranslation is not None:
        backend.clear_spanish("article")
        for translation in ArticleTranslation.objects.only("title", "summary", "body_html"):
            index_translation(translation)
    if FAQEntryTranslation is not None:
        backend.clear_spanish("faq")
        for translation in FAQEntryTranslation.objects.only("question", "answer_html"):
            index_faq_translation(translation)


# --- The vocabulary (typo correction) ------------------------------------------------------


def rebuild_vocabulary(visible_articles=None, faq_entries=None, SearchWord=None) -> None:  # noqa: N803
    """Every word of the published articles and the FAQ, with how many use it.

    Visible articles are Article.objects.published() (a migration passes its own, written
    out for its historical model), so a scheduled article's words are never suggested.
    Left until the end of a `bulk()` block when one is open (an import saves dozens of rows)."""
    if getattr(_state, "bulk_depth", 0):
        _state.vocabulary_stale = True
        return
    if visible_articles is None:
        from articles.models import Article, FAQEntry

        from .models import SearchWord

        visible_articles, faq_entries = Article.objects.published(), FAQEntry.objects.all()
    counts = Counter()
    for article in visible_articles.only("title", "summary", "body_html"):
        counts.update(set(words_of(" ".join(article_fields(article)))))
    for entry in faq_entries.only("question", "answer_html"):
        counts.update(set(words_of(" ".join(faq_fields(entry)))))
    words = [
        SearchWord(word=word, documents=documents)
        for word, documents in sorted(counts.items())
        if 3 <= len(word) <= 60 and not word.isdigit() and word not in STOPWORDS
    ]
    with transaction.atomic():  # searches see the old vocabulary or the new, never none
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(words, batch_size=500)


@contextmanager
def bulk() -> Iterator[None]:
    """Save many articles or entries, then rebuild the vocabulary once at the end."""
    batch_started()
    try:
        yield
    finally:
        batch_finished()


def batch_started(**kwargs) -> None:
    _state.bulk_depth = getattr(_state, "bulk_depth", 0) + 1


def batch_finished(**kwargs) -> None:
    _state.bulk_depth -= 1
    if _state.bulk_depth == 0 and getattr(_state, "vocabulary_stale", False):
        _state.vocabulary_stale = False
        rebuild_vocabulary()


def rebuild_all(Article=None, FAQEntry=None, SearchWord=None, visible_articles=None) -> None:  # noqa: N803
    """Index every article and FAQ entry afresh (a migration, `rebuild_search_index`)."""
    historical = Article is not None  # a migration's models: it indexes Spanish itself
    if Article is None:
        from articles.models import Article, FAQEntry

        from .models import SearchWord

        visible_articles = Article.objects.published()
    elif visible_articles is None:
        raise TypeError("With historical models, pass the articles visitors may see.")
    backends.current().clear()
    for article in Article.objects.only("title", "summary", "body_html"):
        index_article(article)
    for entry in FAQEntry.objects.only("question", "answer_html"):
        index_faq_entry(entry)
    rebuild_vocabulary(visible_articles, FAQEntry.objects.all(), SearchWord)
    if not historical:
        rebuild_spanish()


# --- Signal receivers (connected in SearchConfig.ready) ------------------------------------


def article_saved(sender, instance, **kwargs) -> None:
    index_article(instance)
    rebuild_vocabulary()


def faq_entry_saved(sender, instance, **kwargs) -> None:
    index_faq_entry(instance)
    rebuild_vocabulary()


def article_deleted(sender, instance, **kwargs) -> None:
    backends.current().remove("article", instance.pk)
    rebuild_vocabulary()


def faq_entry_deleted(sender, instance, **kwargs) -> None:
    backends.current().remove("faq", instance.pk)
    rebuild_vocabulary()


def translation_saved(sender, instance, **kwargs) -> None:
    index_translation(instance)


def translation_deleted(sender, instance, **kwargs) -> None:
    backends.current().remove_spanish(instance.pk, "article")


def faq_translation_saved(sender, instance, **kwargs) -> None:
    index_faq_translation(instance)


def faq_translation_deleted(sender, instance, **kwargs) -> None:
    # Also sent for each translation when its English entry is deleted (the cascade).
    backends.current().remove_spanish(instance.pk, "faq")


def pages_rendered_again(
    sender, articles=(), entries=(), translations=(), entry_translations=(), **kwargs
) -> None:
    """Pages whose stored HTML was written again with update() (care cards): their words
    are searchable text, so they are indexed here (translations in the Spanish index)."""
    for article in articles:
        index_article(article)
    for entry in entries:
        index_faq_entry(entry)
    for translation in translations:
        index_translation(translation)
    for translation in entry_translations:
        index_faq_translation(translation)
    if articles or entries:
        rebuild_vocabulary()
