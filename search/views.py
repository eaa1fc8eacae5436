"""/search/: the results page, kept per worker for popular searches, counted for insights
through `search_done`, and never kept by a shared cache."""

from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.queries import published_articles
from clinic.crisis import suggests_crisis
from foundation.content_version import ContentMemo
from foundation.search_limit import limit_searches

from . import engine, spanish
from .signals import search_done


@limit_searches(exempt=suggests_crisis)  # SEARCH_RATE_LIMIT per address; never a crisis
def search(request: HttpRequest) -> HttpResponse:
    query = engine.clean_query(request.GET.get("q", ""))
    # exact=1: search for what was typed, without correcting it ("Search instead for ...").
    exact = request.GET.get("exact") == "1"
    page_number = results_page_number(request.GET.get("page", ""))
    page = search_page(request, query, exact, page_number)
    if query:
        # Every search is counted, kept pages included (content insights); one that found
        # no page with all its words is a gap, even when some pages hold some of them.
        search_done.send(
            sender=search,
            query=query,
            result_count=page.result_count,
            answered=page.answered,
            crisis=page.crisis,
        )
    response = HttpResponse(page.content)
    # A query is health information: only the visitor's own browser may keep the page,
    # never a shared cache (a proxy or CDN). nginx does not keep /search/ either.
    patch_cache_control(response, private=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    return response


def results_page_number(raw: str) -> int:
    """?page=N, 1 for anything else (a page past the last shows the last)."""
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 4 and int(raw) > 0 else 1


class SearchPage(NamedTuple):
    content: bytes  # the whole results page, as sent
    result_count: int
    answered: bool  # found pages holding every word of the query
    crisis: bool  # the query reads like a crisis (clinic.crisis.suggests_crisis)


# Results pages are the same for everyone who searches the same words at the same address
# (templates/base.html shows nothing per visitor), so each worker keeps its last
# SEARCH_RESULT_CACHE_SIZE pages until the next save: a popular search then costs about
# what a cached page does, plus its count. In memory only: a query is health information,
# never written to the cache or a log.
kept_search_pages: ContentMemo[SearchPage] = ContentMemo(
    max_entries=lambda: settings.SEARCH_RESULT_CACHE_SIZE
)


def search_page(request: HttpRequest, query: str, exact: bool, page_number: int = 1) -> SearchPage:
    # The address is part of the key: the page links to itself (canonical, og:url) and
    # every link starts with the script prefix, which is in request.path.
    key = (request.scheme, request.get_host(), request.path, query, exact, page_number)
    return kept_search_pages.get_or_build(
        key, lambda: render_search_page(request, query, exact, page_number)
    )


def render_search_page(
    request: HttpRequest, query: str, exact: bool, page_number: int = 1
) -> SearchPage:
    # The address says the language (/es/search/): Spanish pages search the Spanish
    # translations, in Spanish (search/spanish.py).
    in_spanish = get_language() == spanish.LANGUAGE
    if in_spanish:
        outcome = spanish.search(query) if query else spanish.SpanishOutcome()
    else:
        outcome = engine.search(query, exact=exact) if query else engine.Outcome()
    crisis = suggests_crisis(query)
    if crisis and outcome.partial:
        # "I want to die" shares only "want" with any page: pages holding some of the words
        # would be noise under the emergency card. Help, and the page on when to get it.
        outcome = spanish.SpanishOutcome() if in_spanish else engine.Outcome()
    page_number = min(page_number, outcome.pages)
    results = outcome.results(page_number)
    suggestions = [] if outcome.count or crisis else starting_points(in_spanish)
    first = (page_number - 1) * engine.PAGE_SIZE + 1
    response = render(
        request,
        "search/results.html",
        {
            "seo_title": _("Search results for “%(query)s”") % {"query": query}
            if query
            else _("Search"),
            "seo_description": _(
                "Search the clinic's articles and answers about ketamine therapy."
            ),
            "robots": "noindex",
            "query": query,
            "exact": exact,
            "outcome": outcome,
            "corrected": outcome.corrected,
            "suggestion": outcome.suggestion,
            "results": results,
            "page_number": page_number,
            "first_shown": first,
            "last_shown": first + len(results) - 1,
            "suggestions": suggestions,
            "hide_header_search": True,  # the page's own search box is the only one
            # A query that reads like a crisis gets the emergency card above any result.
            "crisis": crisis,
        },
    )
    return SearchPage(
        content=response.content,
        result_count=outcome.count,
        answered=outcome.answered,
        crisis=crisis,
    )


def starting_points(in_spanish: bool) -> list:
    """Articles to start with when a search finds nothing: in Spanish, the Spanish pages
    (title, address, summary) patients may see."""
    if in_spanish:
        return spanish.first_pages(4)
    return published_articles()[:4]
