import threading
from collections import OrderedDict
from dataclasses import replace
from itertools import groupby
from typing import NamedTuple

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import mark_safe

from clinic.crisis import suggests_crisis
from clinic.models import Clinician, ClinicProfile
from clinic_site.markdown import render_markdown
from clinic_site.page_cache import cached_public_page, per_content_version
from clinic_site.search_limit import limit_searches

from . import review
from . import search as site_search
from .models import (
    Article,
    ArticleSlugRedirect,
    FAQEntry,
    GlossaryTerm,
    Topic,
    TriageLevel,
    TriageSymptom,
)
from .rendering import triage_data
from .signals import search_done
from .structured_data import article_jsonld, faq_jsonld

RELATED_COUNT = 3
LIST_FIELDS = ("title", "slug", "summary", "topic", "order")


@per_content_version
def published_articles() -> list[Article]:
    """Every published article in reading order, with only what lists show: read once per
    worker after each save. Shared by all requests: copy before changing."""
    return list(Article.objects.published().only(*LIST_FIELDS))


@per_content_version
def faq_entries() -> list[FAQEntry]:
    """Every FAQ entry in order, read once per worker after each save (shared: never change)."""
    return list(FAQEntry.objects.all())


@per_content_version
def clinicians_by_id() -> dict[int, Clinician]:
    """Authors and reviewers, read once per worker after each save (shared: never change)."""
    return {clinician.pk: clinician for clinician in Clinician.objects.all()}


def attach_clinicians(article: Article) -> None:
    """The article's author and reviewer from `clinicians_by_id`, rather than a join on
    every visit (see the README's performance section)."""
    people = clinicians_by_id()
    for field in ("author", "reviewer"):
        person = people.get(getattr(article, f"{field}_id"))
        if person is not None:  # else (deleted a moment ago) Django reads it if asked
            setattr(article, field, person)


@cached_public_page
def article_index(request: HttpRequest) -> HttpResponse:
    articles = published_articles()
    return render(
        request,
        "articles/index.html",
        {
            "seo_title": "Articles about ketamine therapy",
            "seo_description": (
                "Plain-language articles about ketamine therapy: how it works, what a treatment "
                "day is like, side effects, costs and how to decide."
            ),
            "topics": group_by_topic(articles),
        },
    )


@cached_public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = Article.objects.for_page(slug)
    if article is None:
        return redirect_from_old_address(slug)
    attach_clinicians(article)
    is_preview = not article.is_visible_to_visitors
    if is_preview and not can_preview(request):
        # A draft at a published article's old address leaves that address leading to
        # the published article (a 404 if it was never one).
        return redirect_from_old_address(slug)
    # Staff see a change waiting for clinical review at the article's address with
    # ?change=<id>, as they see a draft; visitors always get the approved text.
    pending_change = None
    if "change" in request.GET and can_preview(request):
        pending_change = (
            review.changes_to(article)
            .filter(pk=request.GET["change"] if request.GET["change"].isdigit() else None)
            .first()
        )
        if pending_change is None:
            raise Http404("No such change.")
        article = review.proposed(pending_change)
        attach_clinicians(article)
        is_preview = True
    reading_order = published_articles()
    previous_article, next_article = neighbours(reading_order, article)
    response = render(
        request,
        "articles/detail.html",
        {
            "seo_title": article.title,
            "seo_description": article.summary,
            "og_type": "article",
            "article": article,
            "review_state": article.review_state(),
            "is_preview": is_preview,
            "pending_change": pending_change,
            "related": related_articles(reading_order, article),
            "previous_article": previous_article,
            "next_article": next_article,
            "jsonld": article_jsonld(article, ClinicProfile.current(), request),
        },
    )
    if is_preview:
        add_never_cache_headers(response)  # a draft must never sit in a shared cache
    return response


@cached_public_page
def faq(request: HttpRequest) -> HttpResponse:
    entries = faq_entries()
    return render(
        request,
        "articles/faq.html",
        {
            "seo_title": "Questions and answers about ketamine therapy",
            "seo_description": (
                "Short, honest answers to the questions patients ask most about ketamine "
                "therapy: safety, driving, insurance, medicines and more."
            ),
            "entries": entries,
            "jsonld": [faq_jsonld(entries)],
        },
    )


@cached_public_page
def glossary(request: HttpRequest) -> HttpResponse:
    terms = sorted(GlossaryTerm.objects.all(), key=lambda term: term.term.casefold())
    letters = list(dict.fromkeys(term.term[:1].upper() for term in terms))
    return render(
        request,
        "articles/glossary.html",
        {
            "seo_title": "Glossary: words used in our articles",
            "seo_description": (
                "Plain explanations of the medical words our articles about ketamine "
                "therapy use, from dissociation to treatment-resistant depression."
            ),
            "terms": terms,
            "letters": letters,
        },
    )


@cached_public_page
def when_to_get_help(request: HttpRequest) -> HttpResponse:
    """Every symptom in the triage data, grouped by level, most urgent first: each group is
    the same care card the articles show (the same renderer), listing all its symptoms."""
    symptoms = list(TriageSymptom.objects.all())
    triage = replace(triage_data([s.content_state() for s in symptoms]), help_url="")
    cards = []
    for level in TriageLevel.values:
        keys = [s.key for s in symptoms if s.level == level]
        if keys:
            text = "!!! when-to-get-help\n" + "".join(f"    - {key}\n" for key in keys)
            cards.append(mark_safe(render_markdown(text, triage=triage).html))
    return render(
        request,
        "articles/when_to_get_help.html",
        {
            "seo_title": "When to get help",
            "seo_description": (
                "What to do if something feels wrong during ketamine treatment: when to call "
                "911, when to call or text 988, and when to call the clinic or your doctor."
            ),
            "cards": cards,
        },
    )


@limit_searches(exempt=suggests_crisis)  # SEARCH_RATE_LIMIT per address; never a crisis
def search(request: HttpRequest) -> HttpResponse:
    query = site_search.clean_query(request.GET.get("q", ""))
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
# never written to the cache or a log. The lock is for threaded servers (runserver).
kept_search_pages_lock = threading.Lock()


@per_content_version
def kept_search_pages() -> OrderedDict:
    """(scheme, host, path, query, exact, page) → SearchPage, least recently used first."""
    return OrderedDict()


def search_page(request: HttpRequest, query: str, exact: bool, page_number: int = 1) -> SearchPage:
    size = settings.SEARCH_RESULT_CACHE_SIZE
    if not size:
        return render_search_page(request, query, exact, page_number)
    # The address is part of the key: the page links to itself (canonical, og:url) and
    # every link starts with the script prefix, which is in request.path.
    key = (request.scheme, request.get_host(), request.path, query, exact, page_number)
    kept = kept_search_pages()
    with kept_search_pages_lock:
        page = kept.get(key)
        if page is not None:
            kept.move_to_end(key)
            return page
    page = render_search_page(request, query, exact, page_number)
    with kept_search_pages_lock:
        kept[key] = page
        while len(kept) > size:
            kept.popitem(last=False)
    return page


def render_search_page(
    request: HttpRequest, query: str, exact: bool, page_number: int = 1
) -> SearchPage:
    outcome = site_search.search(query, exact=exact) if query else site_search.Outcome()
    page_number = min(page_number, outcome.pages)
    results = outcome.results(page_number)
    suggestions = [] if outcome.count else published_articles()[:4]
    first = (page_number - 1) * site_search.PAGE_SIZE + 1
    crisis = suggests_crisis(query)
    response = render(
        request,
        "articles/search.html",
        {
            "seo_title": f"Search results for “{query}”" if query else "Search",
            "seo_description": "Search the clinic's articles and answers about ketamine therapy.",
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


def redirect_from_old_address(slug: str) -> HttpResponse:
    """A permanent redirect from a published article's former slug to where it lives now.

    Only to an article visitors may see: a redirect must not reveal a draft's address.
    """
    old = ArticleSlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
    if old is None or not old.article.is_visible_to_visitors:
        raise Http404("No article here.")
    return redirect(old.article, permanent=True)


def can_preview(request: HttpRequest) -> bool:
    """Staff who can edit articles see drafts and scheduled articles at their address."""
    user = request.user
    return user.is_authenticated and user.is_staff and user.has_perm("articles.change_article")


def group_by_topic(articles) -> list[tuple[str, list[Article]]]:
    """Articles grouped under their topic, topics in the order of their first article."""
    ordered = sorted(articles, key=lambda a: (a.order, a.title))
    first_position = {}
    for article in ordered:
        first_position.setdefault(article.topic, article.order)
    by_topic = sorted(ordered, key=lambda a: (first_position[a.topic], a.order, a.title))
    labels = dict(Topic.choices)
    return [
        (labels[topic], list(items)) for topic, items in groupby(by_topic, key=lambda a: a.topic)
    ]


def neighbours(reading_order: list[Article], article: Article):
    """The articles before and after this one in the suggested reading order."""
    slugs = [a.slug for a in reading_order]
    if article.slug not in slugs:
        return None, None
    index = slugs.index(article.slug)
    previous_article = reading_order[index - 1] if index > 0 else None
    next_article = reading_order[index + 1] if index + 1 < len(reading_order) else None
    return previous_article, next_article


def related_articles(reading_order: list[Article], article: Article) -> list[Article]:
    """Same topic first, then the nearest in reading order."""
    others = [a for a in reading_order if a.slug != article.slug]
    others.sort(key=lambda a: (a.topic != article.topic, abs(a.order - article.order)))
    return others[:RELATED_COUNT]
