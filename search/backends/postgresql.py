"""PostgreSQL: full-text search on each article's and FAQ entry's stored, GIN-indexed
`search_document` (a tsvector, English stemming) scored by ts_rank, and typo candidates
from pg_trgm's `%` and its trigram index on the vocabulary.

`search_document` is a field of the articles' own tables (articles.Article and FAQEntry,
made with its GIN index by articles' migration 0008_search_engine): search writes it after
every save, and nothing else reads it.
"""

from django.db import connection

from articles.models import Article, FAQEntry

from ..models import SearchWord
from ..query import Phrase

# ts_rank weights {D, C, B, A}: title 1.0, summary and key terms 0.4, body 0.1 (the same
# proportions as SQLite's bm25 weights).
TS_RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"
TABLES = {"article": Article, "faq": FAQEntry}


# --- Index writes -------------------------------------------------------------------------


def write(kind: str, db_table: str, pk: int, fields: tuple[str, ...]) -> None:
    """The search document of one article (title A, summary and key terms B, body C) or FAQ
    entry (question B, answer C), written afresh. `db_table` is the model's own (the
    migration indexing existing pages passes its historical models)."""
    weights = "ABC"[-len(fields) :]
    vector = " || ".join(f"setweight(to_tsvector('english', %s), '{weight}')" for weight in weights)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {db_table} SET search_document = {vector} WHERE id = %s", [*fields, pk]
        )


def remove(kind: str, pk: int) -> None:
    """Nothing to do: the document goes with its row."""


def clear() -> None:
    """Nothing to do: every document is written again in place."""


# --- The query ----------------------------------------------------------------------------


def term_matches(kind: str, phrases: list[Phrase]) -> dict[int, float]:
    """Every page of this kind holding any of these phrases (one term of a query, with its
    synonyms' names), with ts_rank's score for them (higher is better). search/matching.py
    puts a query's terms together."""
    table = TABLES[kind]._meta.db_table
    sql = f"""
        SELECT d.id, ts_rank('{TS_RANK_WEIGHTS}', d.search_document, q, 1)
        FROM {table} d, to_tsquery('english', %s) q
        WHERE d.search_document @@ q"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [" | ".join(_phrase(p) for p in phrases)])
        return dict(cursor.fetchall())


def _phrase(phrase: Phrase) -> str:
    return "(" + " <-> ".join(f"'{w}'" for w in phrase) + ")"


# --- Typo candidates ----------------------------------------------------------------------


def candidates(word: str, edits: int, threshold: float, limit: int) -> list[tuple[str, int]]:
    """(word, documents) the site uses that look like `word`, most alike first: pg_trgm's
    `%` (similarity at least pg_trgm.similarity_threshold, 0.3 by default, `threshold`)
    through its trigram index. `edits` is SQLite's length filter: the edit distance that
    follows checks it here."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, documents FROM {SearchWord._meta.db_table} "
            "WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT %s",
            [word, word, limit],
        )
        return cursor.fetchall()


# --- The Spanish index (search/spanish.py) ------------------------------------------------
# Tables of their own, each with a GIN index, made by search's migrations 0004 (article
# translations) and 0005 (FAQ answer translations): each translation's document of Spanish
# stems (search/spanish_text.py: stemmed in Python by the Snowball Spanish stemmer, so no
# `unaccent` extension is needed and SQLite finds the same pages), read by the 'simple'
# configuration, which only splits and lower-cases.

SPANISH_DOCUMENTS = "search_spanish_document"
SPANISH_FAQ_DOCUMENTS = "search_spanish_faq_document"
SPANISH_TABLES = {"article": SPANISH_DOCUMENTS, "faq": SPANISH_FAQ_DOCUMENTS}


def write_spanish(pk: int, fields: tuple[str, ...], kind: str = "article") -> None:
    """The document of one translation of this kind, written afresh (`fields` already
    stemmed): an article's title A, summary and key terms B, body C; an FAQ answer's
    question B, answer C (as English FAQ entries)."""
    table = SPANISH_TABLES[kind]
    weights = "ABC"[-len(fields) :]
    vector = " || ".join(f"setweight(to_tsvector('simple', %s), '{w}')" for w in weights)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE translation_id = %s", [pk])
        cursor.execute(
            f"INSERT INTO {table} (translation_id, document) VALUES (%s, {vector})",
            [pk, *fields],
        )


def remove_spanish(pk: int, kind: str = "article") -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SPANISH_TABLES[kind]} WHERE translation_id = %s", [pk])


def clear_spanish(kind: str = "article") -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SPANISH_TABLES[kind]}")


def spanish_term_matches(phrases: list[Phrase], kind: str = "article") -> set[int]:
    """The translations of this kind holding any of these phrases of stems (one term)."""
    table = SPANISH_TABLES[kind]
    sql = f"SELECT translation_id FROM {table} WHERE document @@ to_tsquery('simple', %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [" | ".join(_phrase(p) for p in phrases)])
        return {row[0] for row in cursor.fetchall()}
