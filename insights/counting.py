"""Counting page views, searches and helpfulness answers, one row per day.

Every row is changed by one statement that adds to it, creating the row if needed:

    INSERT INTO ... VALUES (..., n) ON CONFLICT (day, ...) DO UPDATE SET c = c + excluded.c

SQLite (3.24+) and PostgreSQL both run it as one atomic statement, so counts arriving at
the same moment from several gunicorn workers (or servers) are never lost. Each worker
holds its counts for at most INSIGHTS_WRITE_DELAY_MS (1 s) and writes them together, n at
a time (pending.py): a count is then no database round trip in its visitor's request, and
staff see it a second later. Nothing is lost when a worker stops normally; a worker killed
outright loses at most its last second. (On PostgreSQL a count's commit does not wait for
the disk either: see `upsert_sql` for the one case, a crash of the database server itself,
that can lose the last fraction of a second of counts.)

What is stored is decided here too: search text normalised, and never a search that looks
like an e-mail address or a phone number, nor one that reads like a crisis (only counted);
comments with contact details taken out.

Bounds (issue 26), so that a script cannot skew the counts or grow the tables:
- a page view is counted once per client address and page for REPEAT_VIEW_SECONDS: the
  cache remembers a keyed hash of (address, page) with a salt that changes every day, and
  forgets it after that time; the address itself is never stored anywhere;
- a search's text is kept only from its second time on the same day, and at most
  SEARCH_TEXTS_PER_DAY texts a day: the rest are counted together in one row per day
  (query "", shown as "other searches"). The cache remembers which texts were seen today,
  again as keyed hashes only (and whether today's quota is used up). With Redis every
  instance shares this memory; without it, each worker has its own (a text seen once in
  two workers may stay in "other searches").
"""

import functools
import re
import unicodedata

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Model
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinic.crisis import suggests_crisis

from . import pending
from .models import (
    COMMENT_MAX_LENGTH,
    QUERY_MAX_LENGTH,
    CrisisSearchDay,
    FeedbackDay,
    PageViewDay,
    SearchDay,
)

EMAIL_LIKE = re.compile(r"[^\s@]*@[^\s@]*\w")
# An address spelled out to get past filters: "jane.doe at gmail dot com",
# "jane (at) gmail (dot) com", "jane[at]gmail.com". A plain " at " counts only before a
# domain that ends in a dot and a top-level name ("at home. Then" is not one: a plain dot
# needs no space around it), so ordinary sentences are left alone.
_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"
SPELLED_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}\b", re.I)
# A run of digits with the separators people type in phone numbers: ( ) - . / _ spaces, +.
PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().\-/_]{5,}\d")
MIN_PHONE_DIGITS = 7
# Digits spelled out, alone or mixed with figures: "five five five one two three 4567".
_DIGIT_WORDS = {
    "zero": 1, "oh": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1, "six": 1,
    "seven": 1, "eight": 1, "nine": 1,
}  # fmt: skip
_DIGIT_TOKEN = rf"(?:{'|'.join(_DIGIT_WORDS)}|\d+)"
SPELLED_DIGITS = re.compile(rf"\b{_DIGIT_TOKEN}(?:[\s,.()\-_/]+{_DIGIT_TOKEN})+\b", re.I)


def digit_count(text: str) -> int:
    """Digits in a run, a spelled-out digit counting as one."""
    words = re.findall(r"[a-z]+", text.lower())
    return sum(ch.isdigit() for ch in text) + sum(word in _DIGIT_WORDS for word in words)


def spelled_phone_numbers(text: str) -> list[re.Match]:
    """Runs of seven digits or more with at least one spelled out."""
    return [
        match
        for match in SPELLED_DIGITS.finditer(text)
        if digit_count(match.group()) >= MIN_PHONE_DIGITS
        and re.search("[a-z]", match.group(), re.I)
    ]


def add_one(model: type[Model], keys: dict, counter: str, zeros: tuple[str, ...] = ()) -> None:
    """Add 1 to `counter` in the row of `model` with these key values (created at 1 if new),
    now or together with this worker's other counts within INSIGHTS_WRITE_DELAY_MS
    (pending.py).

    `keys` must be exactly the fields of one of the model's unique constraints; `zeros` are
    other counters of the row, which start at 0.
    """
    pending.count(add_to_row, (model, tuple(keys.items()), counter, zeros))


def add_to_row(model: type[Model], keys: tuple, counter: str, zeros: tuple, n: int) -> None:
    """Add n to `counter` in the row with these (field, value) keys: one atomic statement."""
    params = [
        model._meta.get_field(name).get_db_prep_value(value, connection) for name, value in keys
    ]
    # Only a statement that is its own transaction may say how its commit is made: inside
    # a larger transaction that would apply to everything else the transaction writes.
    not_waiting_for_disk = connection.vendor == "postgresql" and connection.get_autocommit()
    sql = upsert_sql(model, tuple(name for name, _ in keys), counter, zeros, not_waiting_for_disk)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, n, *(0 for _ in zeros)])


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
        f"DO UPDATE SET {quote(counter)} = {table}.{quote(counter)} + excluded.{quote(counter)}"
    )


# A reader who comes back to a page within this time is not counted again.
REPEAT_VIEW_SECONDS = 30 * 60
# Searches seen twice in a day are kept by their text, up to this many texts a day.
SEARCH_TEXTS_PER_DAY = 300
# The row (per day and found/not found) that counts every search whose text is not kept.
OTHER_SEARCHES = ""
DAY_SECONDS = 24 * 60 * 60


def daily_key(kind: str, *parts: str) -> str:
    """A cache key from a keyed hash (SECRET_KEY, and a salt that changes every day): the
    same parts give the same key all day; nobody can tell from it what they were, nor
    link one day's keys to another's."""
    salt = f"insights.{kind}:{timezone.localdate().isoformat()}"
    digest = salted_hmac(salt, "\n".join(parts), algorithm="sha256").hexdigest()[:40]
    return f"insights:{kind}:{digest}"


def first_view_in_a_while(address: str, path: str) -> bool:
    """True for this address's first view of this page in REPEAT_VIEW_SECONDS."""
    return cache.add(daily_key("view", address, path), 1, timeout=REPEAT_VIEW_SECONDS)


def count_page_view(path: str, address: str | None = None) -> None:
    """One view of `path`; with the reader's `address`, only if it is their first in a while."""
    if address is not None and not first_view_in_a_while(address, path):
        return
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
    if EMAIL_LIKE.search(text) or SPELLED_EMAIL.search(text) or spelled_phone_numbers(text):
        return True
    return any(
        sum(ch.isdigit() for ch in match.group()) >= MIN_PHONE_DIGITS
        for match in PHONE_LIKE.finditer(text)
    )


def record_search(
    sender=None,
    *,
    query: str,
    result_count: int,
    answered: bool | None = None,
    crisis: bool | None = None,
    **kwargs,
) -> None:
    """Receiver of search.signals.search_done: count the search (written within
    INSIGHTS_WRITE_DELAY_MS, pending.py).

    A search that reads like a crisis is counted without its words (CrisisSearchDay);
    `crisis` is the sender's answer to clinic.crisis.suggests_crisis(query) when it has one.
    Any other is kept by its text from its second time today (the first moves from "other
    searches" to the text's row then), while fewer than SEARCH_TEXTS_PER_DAY texts are kept
    today. Two identical searches at the very same moment may count one of them in the
    wrong row; never both nowhere. A search is "found" only when it was answered: pages
    with only some of its words, or a corrected search that still found nothing useful, are
    gaps to show staff.
    """
    if suggests_crisis(query) if crisis is None else crisis:
        add_one(CrisisSearchDay, {"day": timezone.localdate()}, "count")
        return
    text = normalize_query(query)
    if not text or looks_like_contact_details(text):
        return
    day = timezone.localdate()
    found = result_count > 0 if answered is None else answered
    key = daily_key("search", text)
    seen = cache.get(key)
    if seen == "kept":
        add_one(SearchDay, {"day": day, "query": text, "found": found}, "count")
    elif seen == "once" and may_keep_another_text(day):
        cache.set(key, "kept", timeout=DAY_SECONDS)
        add_one(SearchDay, {"day": day, "query": text, "found": found}, "count")
        add_one(SearchDay, {"day": day, "query": text, "found": found}, "count")
        pending.count(take_from_other_searches, (day, found))
    else:  # the first time today, or a day with its texts' quota used up
        if seen is None:
            cache.add(key, "once", timeout=DAY_SECONDS)
        add_one(SearchDay, {"day": day, "query": OTHER_SEARCHES, "found": found}, "count")


def take_from_other_searches(day, found: bool, n: int) -> None:
    """Move n searches out of the day's "other searches" row (their texts now have rows of
    their own), never below 0: written after the counts held with them (pending.py)."""
    SearchDay.objects.filter(day=day, query=OTHER_SEARCHES, found=found, count__gt=0).update(
        count=Greatest(F("count") - n, 0)
    )


def texts_kept(day) -> int:
    return SearchDay.objects.filter(day=day).exclude(query=OTHER_SEARCHES).count()


def may_keep_another_text(day) -> bool:
    """Fewer than SEARCH_TEXTS_PER_DAY texts kept that day. Once the quota is used up the
    cache remembers it for the day (a day's kept texts only grow), so that every repeated
    search of a busy day does not count the day's rows again."""
    used_up = f"insights:search-texts-used-up:{day.isoformat()}"
    if cache.get(used_up):
        return False
    if texts_kept(day) < SEARCH_TEXTS_PER_DAY:
        return True
    cache.set(used_up, True, timeout=DAY_SECONDS)
    return False


# --- Comments -----------------------------------------------------------------------------


def without_contact_details(text: str) -> str:
    """The comment with e-mail addresses and phone numbers replaced, spaces tidied."""
    text = without_control_characters(text)
    text = SPELLED_EMAIL.sub("[e-mail removed]", text)
    text = EMAIL_LIKE.sub("[e-mail removed]", text)
    for match in reversed(spelled_phone_numbers(text)):
        text = text[: match.start()] + "[phone removed]" + text[match.end() :]

    def phone(match: re.Match) -> str:
        digits = sum(ch.isdigit() for ch in match.group())
        return "[phone removed]" if digits >= MIN_PHONE_DIGITS else match.group()

    text = PHONE_LIKE.sub(phone, text)
    return " ".join(text.split())[:COMMENT_MAX_LENGTH]
