"""Whole-page cache for the public pages every anonymous visitor sees the same way.

It sits in front of Django as a WSGI layer (clinic_site/wsgi.py), the way a caching proxy
would: a hit is answered without building a request object, running middleware, touching
the database or rendering a template, so a cached page costs about what a static file does.
Misses go through Django as usual; a view decorated with `cached_public_page` says, through
the WSGI environ, that its response may be shared, and the finished response (with every
header the middleware added: CSP, HSTS, Permissions-Policy...) is stored with a gzip and a
Brotli copy of the body, compressed once.

Entries live in Django's configured cache (local memory, or Redis with REDIS_URL), each
stored under the "content version" read before it was rendered (content_version.py: the
number every registered save bumps). An entry is used only while that number is still the
current one: every instance sharing the cache stops using older pages at once, and nobody
has to know which pages showed what. An entry also lives at most PAGE_CACHE_SECONDS, and
is never served past the next scheduled change (`entry_until`). docs/caching.md lists
every cache.

Only pages that are the same for every anonymous visitor may use it: not the contact page
(its CSRF token is per visitor) and not search (endless distinct URLs, little reuse).
Anyone with a session cookie (signed-in staff) always gets the live page.

Django's test client calls Django directly and so never passes through this layer; the
tests of it call the WSGI application (tests/wsgi_client.py) or a real gunicorn.
"""

import gzip
import hashlib
import math
import re
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import NamedTuple

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.utils.http import parse_etags

from .content_version import VERSION_READ, content_version, next_scheduled_change
from .http import public_page

CACHEABLE_METHODS = ("GET", "HEAD")
# Set in the WSGI environ (which Django uses as request.META) by `cached_public_page` when
# the response may be shared; its value is until when the entry may be served (Unix time).
SHAREABLE = "clinic.page_cache.until"
# Headers that describe one particular body; they are set again for the body being sent.
BODY_HEADERS = {"content-length", "content-encoding", "etag"}
# What a 304 Not Modified keeps (RFC 9110 section 15.4.5), as Django's own 304 does.
NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "expires", "etag", "vary"}
MIN_COMPRESS_BYTES = 200
# Query parameters that only tell analytics where a visitor came from: the page is the same
# without them, so they are ignored (the query-less page is served and stored). Any other
# query goes to Django and is never stored: otherwise /?a=1 ... /?a=300 would each fill
# the cache with one more copy of the home page.
TRACKING_PARAMETERS = frozenset(
    {"gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "yclid", "twclid", "ttclid",
     "igshid", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "srsltid"}
)  # fmt: skip
TRACKING_PREFIXES = ("utm_",)

View = Callable[..., HttpResponse]


# --- In Django: which responses may be stored --------------------------------------------


def cached_public_page(view: View) -> View:
    """`public_page`, plus: the response may be kept in the page cache for everyone."""
    view = public_page(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # With the page cache off, nobody stores the page: no need to work out for how long.
        if settings.PAGE_CACHE_ENABLED and is_shareable(request, response):
            request.META[SHAREABLE] = entry_until()
        return response

    return wrapped


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


# --- In front of Django: the WSGI layer --------------------------------------------------


class Entry(NamedTuple):
    """One stored page: the headers without the body-specific ones, and three bodies."""

    version: int
    status: str
    headers: list[tuple[str, str]]
    etag: str  # strong, for the uncompressed body; compressed bodies send it weak
    bodies: dict[str, bytes]  # by content coding: "identity", "gzip", "br"
    # When the next scheduled change goes live (Unix time): never served from then on. The
    # cache's own expiry (whole seconds, on the cache server's clock) may come a little later.
    until: float = math.inf


class PageCache:
    """WSGI middleware: answers anonymous GET/HEAD of stored public pages itself."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (
            not settings.PAGE_CACHE_ENABLED
            or not is_anonymous_read(environ)
            or not only_tracking_parameters(environ.get("QUERY_STRING", ""))
        ):
            return self.application(environ, start_response)
        key = page_key(environ)
        # Read the version before rendering: a page rendered from data a save is about to
        # replace is then stored under the old version, which nobody asks for any more.
        version, entry = lookup(key)
        if entry is not None and entry.version == version and time.time() < entry.until:
            return serve(entry, environ, start_response)
        environ[VERSION_READ] = version
        return self.render_and_store(environ, start_response, key, version)

    def render_and_store(self, environ, start_response, key: str, version: int):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None  # the write() callable; Django never uses it

        body = self.application(environ, capture)
        until = environ.get(SHAREABLE)
        status, headers = captured["status"], captured["headers"]
        if until is None or not status.startswith("200") or has_cookie(headers):
            start_response(status, headers, captured["exc_info"])
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()  # ends Django's request (request_finished)
        entry = build_entry(version, status, headers, content)._replace(until=until)
        cache.set(key, entry, timeout=seconds_until(until))
        return serve(entry, environ, start_response)


def is_anonymous_read(environ: dict) -> bool:
    """A GET/HEAD from someone without a session or pending messages.

    Decided from the cookies alone: a signed-in clinician always has a session cookie, so
    they always see the page as it is now (drafts, fresh edits) and never store their view.
    """
    if environ.get("REQUEST_METHOD") not in CACHEABLE_METHODS:
        return False
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def only_tracking_parameters(query_string: str) -> bool:
    """True for no query at all, or one made only of analytics parameters (utm_source...)."""
    for part in query_string.split("&"):
        name = part.split("=", 1)[0].lower()
        if name and name not in TRACKING_PARAMETERS and not name.startswith(TRACKING_PREFIXES):
            return False
    return True


def nginx_tracking_pattern() -> str:
    """The regular expression deploy/nginx-site.conf matches a query string with (its
    `map $args $clinic_query_skip`, case-insensitive), written from the lists above so the
    two caches agree on which queries are tracking only: nginx's micro-cache must not keep
    a page the site renders per query. tests/test_tracking_parameters.py fails, printing
    this, when the file holds anything else.

    Part for part, what `only_tracking_parameters` accepts: parts between "&", each empty
    or a name (a listed one or one with a listed prefix), then optionally "=" and a value.
    """
    names = "|".join(
        [*(re.escape(name) for name in sorted(TRACKING_PARAMETERS))]
        + [f"{re.escape(prefix)}[^=&]*" for prefix in TRACKING_PREFIXES]
    )
    part = f"(?:{names})?(?:=[^&]*)?"
    return f"^{part}(?:&{part})*$"


def page_key(environ: dict) -> str:
    """Everything in the request a public page can depend on: scheme (and the TLS proxy's
    header that Django reads it from), host, script prefix and path. Not the query string:
    only requests without one (tracking parameters aside) get here.

    The script prefix (SCRIPT_NAME, where the site is mounted) is in every link on the
    page, so pages made for one prefix are never served for another.

    The language is in the path too: the address alone decides it (/es/... Spanish,
    anything else English; foundation.middleware.LanguageFromAddressMiddleware, never a
    cookie or Accept-Language), so the Spanish and English pages are different keys.

    Scheme and host are part of the page (canonical links, structured data, HSTS). The
    host is not checked here: only Django stores pages, and it refuses hosts that are not
    in ALLOWED_HOSTS, so a request with any other host finds nothing and goes to Django.
    """
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    address = "|".join(
        (
            environ.get("wsgi.url_scheme", ""),
            environ.get(proxy_header[0], "") if proxy_header else "",
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
        )
    )
    return "page-cache:page:" + hashlib.sha256(address.encode()).hexdigest()


def lookup(key: str) -> tuple[int, Entry | None]:
    """The current content version and the stored entry."""
    return content_version(), cache.get(key)


def has_cookie(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "set-cookie" for name, _ in headers)


def build_entry(version: int, status: str, headers, content: bytes) -> Entry:
    bodies = {"identity": content}
    if len(content) >= MIN_COMPRESS_BYTES:
        # Compressed once, here, rather than on every visit. mtime=0 keeps gzip repeatable.
        bodies["gzip"] = gzip.compress(content, compresslevel=9, mtime=0)
        bodies["br"] = brotli.compress(content, mode=brotli.MODE_TEXT)
    kept = [(n, v) for n, v in headers if n.lower() not in BODY_HEADERS | {"vary"}]
    # The body sent depends on Accept-Encoding, besides whatever Django said it varies on.
    vary = [v for n, v in headers if n.lower() == "vary"] + ["Accept-Encoding"]
    return Entry(
        version=version,
        status=status,
        headers=[*kept, ("Vary", ", ".join(vary))],
        etag=f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',
        bodies=bodies,
    )


def serve(entry: Entry, environ: dict, start_response: Callable) -> list[bytes]:
    coding = chosen_coding(environ.get("HTTP_ACCEPT_ENCODING", ""), entry.bodies)
    body = entry.bodies[coding]
    # The compressed bodies are other representations of the same page: a weak ETag
    # (W/"...") still matches If-None-Match, as Django's GZipMiddleware does it.
    etag = entry.etag if coding == "identity" else "W/" + entry.etag
    headers = [*entry.headers, ("ETag", etag)]
    if etag_matches(environ.get("HTTP_IF_NONE_MATCH"), entry.etag):
        kept = [(n, v) for n, v in headers if n.lower() in NOT_MODIFIED_HEADERS]
        start_response("304 Not Modified", kept)
        return []
    if coding != "identity":
        headers.append(("Content-Encoding", coding))
    headers.append(("Content-Length", str(len(body))))
    start_response(entry.status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def chosen_coding(accept_encoding: str, bodies: dict[str, bytes]) -> str:
    """Brotli if the browser takes it, else gzip, else the plain page."""
    accepted = set()
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(coding.strip())
    for coding in ("br", "gzip"):
        if coding in accepted and coding in bodies:
            return coding
    return "identity"


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses (RFC 9110 section 13.1.2)."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


# --- How long an entry may live ------------------------------------------------------


def entry_until() -> float:
    """Until when a page stored now may be served (Unix time): PAGE_CACHE_SECONDS from now,
    but never past the next scheduled change (an article going live at its publish_at),
    so it appears on its own without anyone saving anything."""
    latest = time.time() + settings.PAGE_CACHE_SECONDS
    return min(latest, next_scheduled_change() or math.inf)


def seconds_until(moment: float) -> int:
    """The cache's timeout for an entry served until `moment`: whole seconds, at least 1."""
    return max(1, math.ceil(moment - time.time()))


def entry_timeout() -> int:
    """How long an entry stored now lives in the cache (seconds)."""
    return seconds_until(entry_until())
