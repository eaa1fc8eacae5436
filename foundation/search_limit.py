"""A per-address limit on searches (SEARCH_RATE_LIMIT, like INQUIRY_RATE_LIMIT).

A search costs the server far more than a cached page (a garbled 12-word query took
146 ms), so a script sending hundreds a second could keep every worker busy. People type a
few searches a minute; the default, 60 a minute per address, never stops one, and refuses
a script after its first 60 with the site's 429 page.

Counted in Django's default cache (Redis in production, shared by every instance; each
process's memory without it), under a salted hash of the address: no address is stored,
and each window's count expires with the window. A search that suggests a crisis is never
refused: the view passes the test for one (`exempt`, the crisis phrases in clinic/crisis.py),
since this module may not import an app.

Applied with one line, `@limit_searches(exempt=suggests_crisis)`, above the search view.
"""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac

from .client_address import client_address

TOO_MANY_REQUESTS = 429
SALT = "foundation.search_limit"


def is_exempt(query: str, exempt: Callable[[str], bool] | None = None) -> bool:
    return exempt is not None and exempt(query)


def allow_search(request: HttpRequest, exempt: Callable[[str], bool] | None = None) -> bool:
    """Count one search from this client; False when it is over SEARCH_RATE_LIMIT."""
    limit = settings.SEARCH_RATE_LIMIT
    if not limit:
        return True
    if is_exempt(request.GET.get("q", ""), exempt):
        return True
    max_count, period_seconds = limit
    window = int(time.time()) // period_seconds
    client = salted_hmac(SALT, client_address(request), algorithm="sha256").hexdigest()[:32]
    key = f"search-limit:{client}:{window}"
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first search (or its count just expired)
        if cache.add(key, 1, timeout=period_seconds + 1):
            count = 1
        else:  # another worker added it in between
            count = cache.incr(key)
    return count <= max_count


def too_many_searches(request: HttpRequest) -> HttpResponse:
    response = render(request, "429_search.html", status=TOO_MANY_REQUESTS)
    _, period_seconds = settings.SEARCH_RATE_LIMIT
    response["Retry-After"] = str(period_seconds - int(time.time()) % period_seconds)
    add_never_cache_headers(response)
    return response


def limit_searches(exempt: Callable[[str], bool] | None = None):
    """Decorate a search view: over the limit, the site's 429 page instead of a search."""

    def decorate(view):
        @functools.wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not allow_search(request, exempt):
                return too_many_searches(request)
            return view(request, *args, **kwargs)

        return limited

    return decorate
