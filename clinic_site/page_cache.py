"""Whole-page cache for the public pages every anonymous visitor sees the same way.

A hit is answered from Django's configured cache (local memory, or Redis with REDIS_URL)
without touching the database or rendering a template. Entries are keyed by a global
"content version" kept in the same cache: saving or deleting anything a public page shows
bumps it (see `connect_invalidation`), so every instance sharing the cache stops using
older entries at once, and nobody has to know which pages showed what.

Only pages that are the same for every anonymous visitor may use it: not the contact page
(its CSRF token is per visitor) and not search (endless distinct URLs, little reuse).
"""

import hashlib
import math
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

from .http import public_page

VERSION_KEY = "page-cache:version"
CACHEABLE_METHODS = ("GET", "HEAD")

View = Callable[..., HttpResponse]


def cached_public_page(view: View) -> View:
    """`public_page`, plus a shared server-side copy of the page for anonymous visitors."""
    view = public_page(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PAGE_CACHE_ENABLED or not is_anonymous_read(request):
            return view(request, *args, **kwargs)
        # Read the version before rendering: a page rendered from data a save is about to
        # replace is then stored under the old version, which nobody asks for any more.
        key = page_key(request, content_version())
        cached = cache.get(key)
        if cached is not None:
            return rebuild(cached)
        response = view(request, *args, **kwargs)
        if is_shareable(request, response):
            # ConditionalGetMiddleware keeps an ETag already set: hashing the page once
            # here spares every hit from hashing it again.
            set_response_etag(response)
            cache.set(key, snapshot(response), timeout=entry_timeout())
        return response

    return wrapped


# --- Who and what may be cached ---------------------------------------------------------


def is_anonymous_read(request: HttpRequest) -> bool:
    """A GET/HEAD from someone without a session or pending messages.

    Decided from the cookies alone: looking at request.user would load the session (a
    query) on every hit. A signed-in clinician always has a session cookie, so they always
    see the page as it is now (drafts, fresh edits) and never store their view of it.
    """
    return (
        request.method in CACHEABLE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain 200 marked public, with no cookie and no CSRF token in it."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
        # Set when the template asked for a CSRF token: that token is this visitor's own.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def page_key(request: HttpRequest, version: int) -> str:
    # Scheme and host are part of the page (canonical links, structured data).
    address = request.build_absolute_uri().encode()
    return f"page-cache:{version}:{hashlib.sha256(address).hexdigest()}"


# --- The stored copy --------------------------------------------------------------------


def snapshot(response: HttpResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.items()), response.content


def rebuild(stored: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


# --- Content version and scheduled articles ---------------------------------------------


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the cache lost the key: start from the clock, so the new number is
        # above any version an entry still in the cache was stored under.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there: any new number is newer than what was
        content_version()


def entry_timeout() -> int:
    """PAGE_CACHE_SECONDS, but never past the moment the next scheduled article goes live,
    so it appears on its own at publish_at without anyone saving anything."""
    next_publish = next_publish_timestamp()
    if next_publish is None:
        return settings.PAGE_CACHE_SECONDS
    return max(1, min(settings.PAGE_CACHE_SECONDS, math.ceil(next_publish - time.time())))


def next_publish_timestamp() -> float | None:
    """When the next published-but-scheduled article goes live (Unix time), or None.

    One query per content version: the answer is cached until the content changes or the
    moment passes, whichever comes first.
    """
    key = f"page-cache:next-publish:{content_version()}"
    stored = cache.get(key)
    if stored is None:
        from articles.models import Article, Status  # the articles app imports this module

        upcoming = (
            Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        stored = upcoming.timestamp() if upcoming else 0.0
        seconds = math.ceil(stored - time.time()) if upcoming else settings.PAGE_CACHE_SECONDS
        cache.set(key, stored, timeout=max(1, seconds))
    return stored or None


# --- Invalidation -----------------------------------------------------------------------


def invalidate(**_signal_kwargs) -> None:
    """A public page's content changed: no cached page may be served from now on.

    Bumped at once (within a transaction the change is visible to this connection, and in
    tests that never commit) and again after commit: a visitor who read the old rows after
    the first bump could otherwise have stored them under the new version.
    """
    bump_content_version()
    transaction.on_commit(bump_content_version)


def connect_invalidation() -> None:
    """Signals rather than calls in each save(): the admin, import_content, the shell and
    deletes (including cascades) all go through them, and the models need not know about
    the cache. QuerySet.update() sends none; nothing that changes public content uses it."""
    from articles.models import Article, FAQEntry
    from clinic.models import Clinician, ClinicProfile, Page

    for model in (Article, FAQEntry, Clinician, ClinicProfile, Page):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-d-{model.__name__}")
