"""SQLite: FTS5 tables (Porter stemmer) scored by bm25, and typo candidates found by
pg_trgm's measure computed in Python over the vocabulary.

The tables, made by articles' migration 0008_search_engine (they keep the names they were
given there): `articles_article_fts` (title, summary, body) and `articles_faqentry_fts`
(question, answer), whose rowid is the article's or entry's id.
"""

from django.db import connection

from foundation.content_version import per_content_version

from ..models import SearchWord
from ..query import Phrase
from ..text import trigrams

ARTICLE_FTS = "articles_article_fts"
FAQ_FTS = "articles_faqentry_fts"
FTS_TABLES = {"article": ARTICLE_FTS, "faq": FAQ_FTS}
FTS_COLUMNS = {"article": "title, summary, body", "faq": "question, answer"}
# Title 10 : summary and key terms 4 : body 1 (the same proportions as PostgreSQL's
# ts_rank weights).
BM25_WEIGHTS = (10.0, 4.0, 1.0)


# --- Index writes -------------------------------------------------------------------------


def write(kind: str, db_table: str, pk: int, fields: tuple[str, ...]) -> None:
    """The row of one article ("article") or FAQ entry ("faq"), written afresh."""
    fts = FTS_TABLES[kind]
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts} WHERE rowid = %s", [pk])
        cursor.execute(
            f"INSERT INTO {fts}(rowid, {FTS_COLUMNS[kind]}) VALUES ({placeholders})",
            [pk, *fields],
        )


def remove(kind: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLES[kind]} WHERE rowid = %s", [pk])


def clear() -> None:
    """Every row gone, before everything is indexed again."""
    with connection.cursor() as cursor:
        for fts in FTS_TABLES.values():
            cursor.execute(f"DELETE FROM {fts}")


# --- The query ----------------------------------------------------------------------------


def term_matches(kind: str, phrases: list[Phrase]) -> dict[int, float]:
    """Every page of this kind holding any of these phrases (one term of a query, with its
    synonyms' names), with bm25's score for them (higher is better). search/matching.py
    puts a query's terms together."""
    fts = FTS_TABLES[kind]
    columns = 3 if kind == "article" else 2
    weights = ", ".join(str(w) for w in BM25_WEIGHTS[-columns:])
    expression = " OR ".join(_quoted(p) for p in phrases)
    # bm25 is negative, lower is better.
    sql = f"SELECT rowid, -bm25({fts}, {weights}) FROM {fts} WHERE {fts} MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression])
        return dict(cursor.fetchall())


def _quoted(phrase: Phrase) -> str:
    return '"' + " ".join(phrase) + '"'  # words are letters and digits only


# --- Typo candidates ----------------------------------------------------------------------


def candidates(word: str, edits: int, threshold: float, limit: int) -> list[tuple[str, int]]:
    """(word, documents) the site uses that look like `word`, most alike first: pg_trgm's
    measure (similarity at least `threshold`) over the vocabulary in memory, among the
    words whose length is within `edits` of its own."""
    own = trigrams(word)
    scored = []
    by_length = vocabulary_by_length()
    for length in range(len(word) - edits, len(word) + edits + 1):
        for candidate, documents, candidate_trigrams in by_length.get(length, ()):
            shared = len(own & candidate_trigrams)
            score = shared / (len(own) + len(candidate_trigrams) - shared)
            if score >= threshold:
                scored.append((-score, candidate, documents))
    scored.sort()
    return [(w, n) for _, w, n in scored[:limit]]


@per_content_version
def vocabulary_by_length() -> dict[int, list[tuple[str, int, frozenset[str]]]]:
    """SQLite's stand-in for pg_trgm's index: the site's words with their trigrams, by
    length, kept per worker until the next save."""
    by_length = {}
    for word, documents in SearchWord.objects.values_list("word", "documents"):
        by_length.setdefault(len(word), []).append((word, documents, frozenset(trigrams(word))))
    return by_length


# --- The Spanish index (search/spanish.py) ------------------------------------------------
# FTS5 tables of their own, made by search's migrations 0004 (article translations: title,
# summary and key terms, body) and 0005 (FAQ answer translations: question, answer), as
# Spanish stems (search/spanish_text.py), so the English tables and their Porter stemmer
# never see Spanish. The rowid is the translation's id.

SPANISH_FTS = "search_spanish_fts"
SPANISH_FAQ_FTS = "search_spanish_faq_fts"
SPANISH_TABLES = {"article": SPANISH_FTS, "faq": SPANISH_FAQ_FTS}
SPANISH_COLUMNS = {"article": "title, summary, body", "faq": "question, answer"}


def write_spanish(pk: int, fields: tuple[str, ...], kind: str = "article") -> None:
    """The row of one translation of this kind, written afresh (`fields` already stemmed)."""
    fts = SPANISH_TABLES[kind]
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts} WHERE rowid = %s", [pk])
        cursor.execute(
            f"INSERT INTO {fts}(rowid, {SPANISH_COLUMNS[kind]}) VALUES ({placeholders})",
            [pk, *fields],
        )


def remove_spanish(pk: int, kind: str = "article") -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SPANISH_TABLES[kind]} WHERE rowid = %s", [pk])


def clear_spanish(kind: str = "article") -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SPANISH_TABLES[kind]}")


def spanish_term_matches(phrases: list[Phrase], kind: str = "article") -> set[int]:
    """The translations of this kind holding any of these phrases of stems (one term)."""
    fts = SPANISH_TABLES[kind]
    expression = " OR ".join(_quoted(p) for p in phrases)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [expression])
        return {row[0] for row in cursor.fetchall()}
