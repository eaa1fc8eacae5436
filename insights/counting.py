"""Counting page views, searches and helpfulness answers, one row per day.

Every hit is one statement that adds 1 to its day's row, creating the row if needed:

    INSERT INTO ... VALUES (..., 1) ON CONFLICT (day, ...) DO UPDATE SET n = n + 1

SQLite (3.24+) and PostgreSQL both run it as one atomic statement, so hits arriving at the
same moment in several gunicorn workers (or servers) are never lost: each one is committed
before its request answers, and no increment is lost when workers race or stop. (On
PostgreSQL a count's commit does not wait for the disk: see `upsert_sql` for the one case,
a crash of the database server itself, that can lose the last fraction of a second of
counts.) Counts therefore show at once, not after a flush. The cost is one small write per
counted request, made by the beacon request (never by the cached page itself, which stays
as fast as before).

What is stored is decided here too: search text normalised, and never a search that looks
like an e-mail address or a phone number; comments with contact details taken out.
"""

import functools
import re
import unicodedata

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from .models import COMMENT_MAX_LENGTH, QUERY_MAX_LENGTH, FeedbackDay, PageViewDay, SearchDay

EMAIL_LIKE = re.compile(r"[^\s@]*@[^\s@]*\w")
# A run of digits with the separators people type in phone numbers: ( ) - . / spaces, +.
PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
MIN_PHONE_DIGITS = 7


def add_one(model: type[Model], keys: dict, counter: str, zeros: tuple[str, ...] = ()) -> None:
    """Add 1 to `counter` in the row of `model` with these key values (created at 1 if new).

    `keys` must be exactly the fields of one of the model's unique constraints; `zeros` are
    other counters of the row, which start at 0.
    """
    params = [
        model._meta.get_field(name).get_db_prep_value(value, connection)
        for name, value in keys.items()
    ]
    # Only a statement that is its own transaction may say how its commit is made: inside
    # a larger transaction that would apply to everything else the transaction writes.
    not_waiting_for_disk = connection.vendor == "postgresql" and connection.get_autocommit()
    sql = upsert_sql(model, tuple(keys), counter, zeros, not_waiting_for_disk)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, 1, *(0 for _ in zeros)])


@functools.cache
def upsert_sql(
    model: type[Model], keys: tuple, counter: str, zeros: tuple, not_waiting_for_disk: bool
) -> str:
    """The INSERT ... ON CONFLICT statement, built once per kind of count (it runs on every
    search and page view).

    With `not_waiting_for_disk` (PostgreSQL), the statement turns off synchronous_commit for
    its own transaction only: its commit then does not wait for the write-ahead log to
    reach the disk, which was most of the time a search took. A count stays atomic and is
    never lost when a worker stops; only if the database server itself crashes may the
    last moments of counts (at most 3 x wal_writer_delay, 0.6 s by default) be lost.
    Inquiries and every other write still wait for the disk.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key_columns = [quote(meta.get_field(name).column) for name in keys]
    columns = [*key_columns, quote(counter), *(quote(zero) for zero in zeros)]
    placeholders = ", ".join(["%s"] * len(columns))
    values = f"VALUES ({placeholders})"
    prefix = ""
    if not_waiting_for_disk:
        prefix = "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) "
        values = f"SELECT {placeholders} FROM no_wait"
    return (
        f"{prefix}INSERT INTO {table} ({', '.join(columns)}) {values} "
        f"ON CONFLICT ({', '.join(key_columns)}) "
        f"DO UPDATE SET {quote(counter)} = {table}.{quote(counter)} + 1"
    )


def count_page_view(path: str) -> None:
    add_one(PageViewDay, {"day": timezone.localdate(), "path": path}, "views")


def count_answer(path: str, helpful: bool) -> None:
    add_one(
        FeedbackDay,
        {"day": timezone.localdate(), "path": path},
        "yes" if helpful else "no",
        zeros=("no",) if helpful else ("yes",),
    )


def without_control_characters(text: str) -> str:
    """Control characters (NUL and the like) become spaces: PostgreSQL refuses NUL in text."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


# --- Searches -----------------------------------------------------------------------------


def normalize_query(query: str) -> str:
    """Lower case, single spaces, no quotes or punctuation at the ends; at most 100 characters."""
    words = without_control_characters(query).lower().split()
    text = " ".join(words).strip(" \"'“”‘’.,;:!?")
    return text[:QUERY_MAX_LENGTH].strip()


def looks_like_contact_details(text: str) -> bool:
    """An e-mail address, or a phone number (seven digits or more in a row of digits and the
    separators people type): such a search is about a person, and is never stored."""
    if EMAIL_LIKE.search(text):
        return True
    return any(
        sum(ch.isdigit() for ch in match.group()) >= MIN_PHONE_DIGITS
        for match in PHONE_LIKE.finditer(text)
    )


def record_search(
    sender=None, *, query: str, result_count: int, answered: bool | None = None, **kwargs
) -> None:
    """Receiver of articles.signals.search_done: count the search now (it shows at once).

    A search is "found" only when it was answered: pages with only some of its words, or a
    corrected search that still found nothing useful, are gaps to show staff."""
    text = normalize_query(query)
    if not text or looks_like_contact_details(text):
        return
    found = result_count > 0 if answered is None else answered
    add_one(
        SearchDay,
        {"day": timezone.localdate(), "query": text, "found": found},
        "count",
    )


# --- Comments -----------------------------------------------------------------------------


def without_contact_details(text: str) -> str:
    """The comment with e-mail addresses and phone numbers replaced, spaces tidied."""
    text = EMAIL_LIKE.sub("[e-mail removed]", without_control_characters(text))

    def phone(match: re.Match) -> str:
        digits = sum(ch.isdigit() for ch in match.group())
        return "[phone removed]" if digits >= MIN_PHONE_DIGITS else match.group()

    text = PHONE_LIKE.sub(phone, text)
    return " ".join(text.split())[:COMMENT_MAX_LENGTH]
