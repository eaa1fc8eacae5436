"""Keeping the databases' own search indexes current (articles/search.py reads them).

- PostgreSQL: each article's and FAQ entry's `search_document` (a tsvector with a GIN
  index), written after every save: title A, summary and key terms B, body C (an FAQ
  entry: question B, answer C).
- SQLite: two FTS5 tables (Porter stemmer), `articles_article_fts` (title, summary, body)
  and `articles_faqentry_fts` (question, answer), whose rowid is the article's or entry's
  id, written after every save and emptied of a row on delete.
- Both: `SearchWord`, every word the published site uses, from which typos are corrected.

The migration that creates the tables (0005_search_engine) calls `rebuild_all` with its
historical models, so everything here reads fields only, never model methods.
Signals are connected in ArticlesConfig.ready(); `QuerySet.update()` and `bulk_create()`
send none: run `manage.py rebuild_search_index` after changing rows that way.
"""

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags

ARTICLE_FTS = "articles_article_fts"
FAQ_FTS = "articles_faqentry_fts"
# Porter stemming on top of Unicode word splitting; accents are ignored ("é" finds "e").
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

# PostgreSQL's english.stop: words too common to say what a patient is looking for. Used on
# both databases (FTS5 has no stop words of its own), so a query means the same on each.
STOPWORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what "
    "which who whom this that these those am is are was were be been being have has had "
    "having do does did doing a an the and but if or because as until while of at by for "
    "with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how "
    "all any both each few more most other some such no nor not only own same so than too "
    "very s t can will just don should now".split()
)

_WORD = re.compile(r"[^\W_]+")
# A heading's or list item's end, unless it already ends a sentence (a question, say).
_HEADING_WITHOUT_STOP = re.compile(r"(?<![.?!:;,])(</h[1-6]>|</li>)")
# Section headings and bold lead-ins ("**Dissociation.** You may feel...") name what a part
# of an article is about: they count with the summary, above a passing mention in the text.
# Bold in the middle of a sentence ("**Do not drive** until...") is emphasis, not a name.
# A bold lead-in may hold a glossary link: <strong><a ...>Dissociation</a>.</strong>.
_KEY_TERMS = re.compile(
    r"<h2\b[^>]*>(.*?)</h2>|<strong>((?:(?!</strong>).)*?[.:?!])</strong>", re.S
)

# Citation numbers in the text, and the list of references after it: not words of the page
# a patient searches for (the sources' titles would otherwise match "depression" everywhere).
_CITATION_MARK = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_REFERENCES = re.compile(r'<h2 id="references">References</h2>.*', re.S)

_state = threading.local()


def fold(text: str) -> str:
    """Lower case without accents: how both databases compare words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def plain_text(html: str) -> str:
    """Rendered HTML as text. A heading or list item ends with a full stop, so a snippet
    that runs from a heading into the text reads "...nasal spray. An esketamine visit..."
    rather than "...nasal spray An esketamine visit..."."""
    html = _REFERENCES.sub("", _CITATION_MARK.sub("", html))
    return unescape(strip_tags(_HEADING_WITHOUT_STOP.sub(r".\1", html)))


# A bold lead-in names its part in a few words; a whole bold sentence ("**Do not drive or
# use machines until the next day.**") is a warning, not a name.
KEY_TERM_MAX_WORDS = 6


def key_terms(html: str) -> str:
    names = []
    for match in _KEY_TERMS.finditer(html):
        heading, lead_in = match.group(1), match.group(2)
        if heading is not None:
            names.append(plain_text(heading))
        elif len(plain_text(lead_in).split()) <= KEY_TERM_MAX_WORDS:
            names.append(plain_text(lead_in))
    return " ".join(names)


def article_fields(article) -> tuple[str, str, str]:
    """(title, summary and key terms, body text): weights A, B and C."""
    html = article.body_html or ""
    return article.title, f"{article.summary} {key_terms(html)}".strip(), plain_text(html)


def faq_fields(entry) -> tuple[str, str]:
    """(question, answer text): weights B and C."""
    return entry.question, plain_text(entry.answer_html or "")


# --- Writing one row ----------------------------------------------------------------------


def index_article(article) -> None:
    _write(type(article)._meta.db_table, ARTICLE_FTS, article.pk, article_fields(article))


def index_faq_entry(entry) -> None:
    _write(type(entry)._meta.db_table, FAQ_FTS, entry.pk, faq_fields(entry))


def unindex(fts_table: str, pk: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {fts_table} WHERE rowid = %s", [pk])


def _write(db_table: str, fts_table: str, pk: int, fields: tuple[str, ...]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            weights = "ABC"[-len(fields) :]  # an FAQ entry has no title: B and C
            vector = " || ".join(
                f"setweight(to_tsvector('english', %s), '{weight}')" for weight in weights
            )
            cursor.execute(
                f"UPDATE {db_table} SET search_document = {vector} WHERE id = %s", [*fields, pk]
            )
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {fts_table} WHERE rowid = %s", [pk])
            placeholders = ", ".join(["%s"] * (len(fields) + 1))
            cursor.execute(
                f"INSERT INTO {fts_table}(rowid, {_fts_columns(fts_table)}) "
                f"VALUES ({placeholders})",
                [pk, *fields],
            )


def _fts_columns(fts_table: str) -> str:
    return "title, summary, body" if fts_table == ARTICLE_FTS else "question, answer"


# --- The vocabulary (typo correction) ------------------------------------------------------


def rebuild_vocabulary(Article=None, FAQEntry=None, SearchWord=None) -> None:  # noqa: N803
    """Every word of the published articles and the FAQ, with how many use it.

    Left until the end of a `bulk()` block when one is open (an import saves dozens of rows)."""
    if getattr(_state, "bulk_depth", 0):
        _state.vocabulary_stale = True
        return
    if Article is None:
        from .models import Article, FAQEntry, SearchWord
    counts = Counter()
    # What visitors may see now (Article.objects.published(), written out for the
    # migration's historical model): a scheduled article's words are never suggested.
    visible = Article.objects.filter(status="published", publish_at__lte=timezone.now())
    for article in visible.only("title", "summary", "body_html"):
        counts.update(set(words_of(" ".join(article_fields(article)))))
    for entry in FAQEntry.objects.only("question", "answer_html"):
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
    _state.bulk_depth = getattr(_state, "bulk_depth", 0) + 1
    try:
        yield
    finally:
        _state.bulk_depth -= 1
        if _state.bulk_depth == 0 and getattr(_state, "vocabulary_stale", False):
            _state.vocabulary_stale = False
            rebuild_vocabulary()


def rebuild_all(Article=None, FAQEntry=None, SearchWord=None) -> None:  # noqa: N803
    """Index every article and FAQ entry afresh (the migration, `rebuild_search_index`)."""
    if Article is None:
        from .models import Article, FAQEntry, SearchWord
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ARTICLE_FTS}")
            cursor.execute(f"DELETE FROM {FAQ_FTS}")
    for article in Article.objects.only("title", "summary", "body_html"):
        index_article(article)
    for entry in FAQEntry.objects.only("question", "answer_html"):
        index_faq_entry(entry)
    rebuild_vocabulary(Article, FAQEntry, SearchWord)


# --- Signal receivers (connected in ArticlesConfig.ready) ----------------------------------


def article_saved(sender, instance, **kwargs) -> None:
    index_article(instance)
    rebuild_vocabulary()


def faq_entry_saved(sender, instance, **kwargs) -> None:
    index_faq_entry(instance)
    rebuild_vocabulary()


def article_deleted(sender, instance, **kwargs) -> None:
    unindex(ARTICLE_FTS, instance.pk)
    rebuild_vocabulary()


def faq_entry_deleted(sender, instance, **kwargs) -> None:
    unindex(FAQ_FTS, instance.pk)
    rebuild_vocabulary()
