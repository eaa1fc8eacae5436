"""The content version: one number that moves whenever public content changes.

Saving or deleting anything a public page shows bumps it (apps say which models with
`invalidate_when_saved`), and so does the moment a scheduled change goes live (apps say
when with `register_scheduled_changes`). Everything kept between requests that depends on
public content is kept under the number it was built with, and is used only while that
number is still the current one: the WSGI page cache (page_cache.py) and the per-worker
memos below (`per_content_version`, `ContentMemo`). Nobody has to know which save touched
which page; a save empties everything at once, on every worker.

The number lives in the "content_version" cache (settings.py): Redis when REDIS_URL is
set, otherwise files that every worker on this machine reads. Within one request it is read
once (`request_memo`). docs/caching.md lists every cache of the site and what empties it.
"""

import datetime
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from functools import wraps
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

# The cache keys keep the names they had when this lived in page_cache.py, so a deployment
# with Redis goes on counting from the number it has.
VERSION_KEY = "page-cache:version"
NEXT_CHANGE_KEY = "page-cache:next-change:{version}"
# Set in the WSGI environ by the page cache layer: the content version it read, which
# Django's request then goes on using (see `request_memo`).
VERSION_READ = "clinic.page_cache.version"

T = TypeVar("T")


# --- The number ---------------------------------------------------------------------------


def version_cache():
    """Where the content version is kept: shared by all workers (see settings.py)."""
    return caches["content_version"]


def stored_version() -> int | None:
    """The number as stored: from Redis, or from its file (see `VersionFile`)."""
    store = version_cache()
    if isinstance(store, FileBasedCache):
        return version_file.read(store)
    return store.get(VERSION_KEY)


class VersionFile:
    """The number's file, read again only when it has changed.

    Django's FileBasedCache writes a value to a new file and renames it into place, so a
    file with the same inode, modification time and size still holds the value read from
    it: a stat (about 1 us) says whether to read it again, instead of an open, a read and
    two unpickles (about 20 us) on every request, cached pages included. Never stale: the
    stat comes before the read, so a value is only ever kept under an older stamp, which
    the next stat no longer matches.
    """

    def __init__(self) -> None:
        self.seen: tuple[tuple, int] | None = None  # (stamp, value), replaced whole

    def read(self, store: FileBasedCache) -> int | None:
        path = store._key_to_file(VERSION_KEY)  # the file FileBasedCache keeps the key in
        try:
            status = os.stat(path)
        except FileNotFoundError:
            return None
        stamp = (path, status.st_ino, status.st_mtime_ns, status.st_size)
        seen = self.seen
        if seen is not None and seen[0] == stamp:
            return seen[1]
        value = store.get(VERSION_KEY)
        if value is not None:
            self.seen = (stamp, value)
        return value


version_file = VersionFile()


# The content version as first read in the current request (None outside requests). A page
# asks for it several times (its own entry, the clinic profile, the article list...), and
# with Redis each read is a round trip. Within one request, one answer is also the right
# one: the page is then built from one consistent view of the content.
request_memo: ContextVar[dict | None] = ContextVar("page_cache_request_memo", default=None)


def start_request_memo(environ: dict | None = None, **_signal_kwargs) -> None:
    read_in_front = (environ or {}).get(VERSION_READ)
    request_memo.set({} if read_in_front is None else {"version": read_in_front})


def end_request_memo(**_signal_kwargs) -> None:
    request_memo.set(None)


def content_version() -> int:
    memo = request_memo.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    version = stored_version()
    if version is None:
        # First use, or the cache lost the key: start from the clock, so the new number is
        # above any version an entry still in the cache was stored under.
        version_cache().add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = version_cache().get(VERSION_KEY, 0)
    if memo is not None:
        memo["version"] = version
    return version


def bump_content_version() -> None:
    memo = request_memo.get()
    if memo is not None:
        memo.pop("version", None)  # the rest of this request (the save) reads the new one
    try:
        version_cache().incr(VERSION_KEY)
    except ValueError:  # not there: any new number is newer than what was
        content_version()


# --- Changes nobody saves: scheduled articles ----------------------------------------------

# Functions the apps register (see `register_scheduled_changes`), each answering when the
# next change of theirs that nobody saves goes live: a datetime, or None.
scheduled_change_sources: list[Callable[[], datetime.datetime | None]] = []


def register_scheduled_changes(next_change: Callable[[], datetime.datetime | None]) -> None:
    """An app says when its next scheduled change goes live (AppConfig.ready)."""
    if next_change not in scheduled_change_sources:
        scheduled_change_sources.append(next_change)


def next_scheduled_change() -> float | None:
    """When the next scheduled change goes live (Unix time), or None.

    Asked once per content version: the answer is kept in the default cache until the
    content changes or the moment passes, whichever comes first.
    """
    key = NEXT_CHANGE_KEY.format(version=content_version())
    stored = cache.get(key)
    if stored is None:
        upcoming = [moment for source in scheduled_change_sources if (moment := source())]
        stored = min(upcoming).timestamp() if upcoming else 0.0
        seconds = math.ceil(stored - time.time()) if upcoming else settings.PAGE_CACHE_SECONDS
        cache.set(key, stored, timeout=max(1, seconds))
    return stored or None


def still_current(version: int, until: float) -> bool:
    """Something built under `version`, valid until `until`, may still be used."""
    return version == content_version() and time.time() < until


def valid_until() -> float:
    """Until when something built now may be used if no save comes first."""
    return next_scheduled_change() or math.inf


# --- Per-worker memos that empty when content changes ----------------------------------------


def per_content_version(build: Callable[[], T]) -> Callable[[], T]:
    """Keep build()'s answer in this process until public content changes.

    For data many pages read and few saves change (the clinic profile, the list of published
    articles, the search index): one query per worker after each save instead of one per
    request, even when a page itself is not cached. Like cached pages, the answer is built
    again when the content version moves on or the next scheduled article goes live.
    The answer is shared by every request, so callers must not change it: for a map that
    fills up as requests ask, use `ContentMemo`.
    """
    memo = {}

    @wraps(build)
    def wrapped() -> T:
        version = content_version()  # before building, as for pages
        if memo.get("version") != version or time.time() >= memo["until"]:
            value = build()
            memo.update(value=value, version=version, until=valid_until())
        return memo["value"]

    return wrapped


class ContentMemo(Generic[T]):
    """A bounded map, kept per worker, that empties itself when public content changes.

    For answers that are built one key at a time as requests ask (a results page per
    query): `get_or_build(key, build)` returns the kept answer, or builds, keeps and returns
    it. At most `max_entries` answers are kept, the least recently used leaving first;
    `max_entries` may be a function (read on each store, so a setting can say it), and 0
    keeps nothing. Like `per_content_version`, everything kept goes when the content
    version moves on or the next scheduled change goes live. Thread-safe (runserver).
    """

    def __init__(self, max_entries: int | Callable[[], int]) -> None:
        self.max_entries = max_entries if callable(max_entries) else lambda: max_entries
        self.lock = threading.Lock()
        self.entries: OrderedDict[Hashable, T] = OrderedDict()
        self.version: int | None = None
        self.until = -math.inf

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        if self.max_entries() <= 0:
            return build()
        # The entries for the version read before building, as for pages: an answer built
        # while a save lands goes into the old entries, which nobody reads any more.
        entries = self.current_entries()
        with self.lock:
            if key in entries:
                entries.move_to_end(key)
                return entries[key]
        value = build()
        with self.lock:
            entries[key] = value
            while len(entries) > max(self.max_entries(), 0):
                entries.popitem(last=False)
        return value

    def get_many(self, keys: list[Hashable]) -> dict[Hashable, T]:
        """The kept answers of these keys (those kept), checked against the version once:
        for answers read many at a time, the missing ones then built together (`put`)."""
        entries = self.current_entries()
        with self.lock:
            return {key: entries[key] for key in keys if key in entries}

    def put(self, key: Hashable, value: T) -> None:
        """Keep an answer built outside `get_or_build` (several read in one query)."""
        if self.max_entries() <= 0:
            return
        entries = self.current_entries()
        with self.lock:
            entries[key] = value
            while len(entries) > self.max_entries():
                entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self.current_entries())

    def current_entries(self) -> OrderedDict:
        if self.version is None or not still_current(self.version, self.until):
            version, until = content_version(), valid_until()
            with self.lock:
                self.entries, self.version, self.until = OrderedDict(), version, until
        return self.entries


# --- Invalidation -----------------------------------------------------------------------


def invalidate(**_signal_kwargs) -> None:
    """A public page's content changed: nothing built before may be used from now on.

    Bumped at once (within a transaction the change is visible to this connection, and in
    tests that never commit) and again after commit: a visitor who read the old rows after
    the first bump could otherwise have stored them under the new version.
    """
    bump_content_version()
    transaction.on_commit(bump_content_version)


def invalidate_when_saved(*models) -> None:
    """An app's models whose saves and deletes change public pages (AppConfig.ready).

    Signals rather than calls in each save(): the admin, import_content, the shell and
    deletes (including cascades) all go through them, and the models need not know about
    the cache. QuerySet.update(), bulk_create() and raw SQL send none: code that changes a
    registered model that way calls `invalidate()` itself (Article.rerender does)."""
    for model in models:
        label = model._meta.label
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{label}")


# The per-request memo of the content version follows Django's own request signals. Any
# app that uses it imports this module while Django starts, so this runs then.
request_started.connect(start_request_memo, dispatch_uid="page-cache-request-started")
request_finished.connect(end_request_memo, dispatch_uid="page-cache-request-finished")
