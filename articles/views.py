from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from clinic.models import Clinician, ClinicProfile
from foundation.content_version import per_content_version
from foundation.languages import (
    ENGLISH,
    address_in,
    is_spanish,
    no_spanish_version,
    spanish_version_of,
)
from foundation.markdown import render_markdown
from foundation.page_cache import cached_public_page

from . import review
from .models import (
    Article,
    ArticleSlugRedirect,
    GlossaryTerm,
    TriageLevel,
    TriageSymptom,
)
from .page_query import article_for_page
from .queries import faq_entries, group_by_topic, published_articles
from .spanish import spanish_article_detail, spanish_article_index
from .structured_data import article_jsonld, faq_jsonld

RELATED_COUNT = 3


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
    if is_spanish():
        return spanish_article_index(request)
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
            "has_other_language": True,
        },
    )


@cached_public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if is_spanish():
        return spanish_article_detail(request, slug)
    article = article_for_page(slug)
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
            "has_other_language": spanish_version_of(article) is not None,
            "jsonld": article_jsonld(article, ClinicProfile.current(), request),
        },
    )
    if is_preview:
        add_never_cache_headers(response)  # a draft must never sit in a shared cache
    return response


# The FAQ, the glossary and "When to get help" in Spanish: their translations are records
# of their own, reached through foundation.languages.spanish_version_of (the one question
# every Spanish page asks). What each finder answers, once registered:
#   "articles:faq"       the Spanish entries in order (question, answer_html, pk)
#   "articles:glossary"  the Spanish terms (term, slug, definition_html)
#   "when_to_get_help"   the Spanish triage data (foundation.care_cards.Triage)
# None (nothing registered, or nothing patients may read yet): the Spanish address says
# there is no Spanish version yet. Never the English text at a Spanish address.


@cached_public_page
def faq(request: HttpRequest) -> HttpResponse:
    spanish = spanish_version_of("articles:faq")
    if is_spanish() and spanish is None:
        return no_spanish_version(request)
    entries = list(spanish) if is_spanish() else faq_entries()
    return render(
        request,
        "articles/faq.html",
        {
            "seo_title": gettext("Questions and answers about ketamine therapy"),
            "seo_description": gettext(
                "Short, honest answers to the questions patients ask most about ketamine "
                "therapy: safety, driving, insurance, medicines and more."
            ),
            "entries": entries,
            "has_other_language": spanish is not None,
            "jsonld": [faq_jsonld(entries)],
            **translation_notices(request, entries if is_spanish() else []),
        },
    )


@cached_public_page
def glossary(request: HttpRequest) -> HttpResponse:
    spanish = spanish_version_of("articles:glossary")
    if is_spanish() and spanish is None:
        return no_spanish_version(request)
    terms = sorted(
        spanish if is_spanish() else GlossaryTerm.objects.all(),
        key=lambda term: term.term.casefold(),
    )
    letters = list(dict.fromkeys(term.term[:1].upper() for term in terms))
    return render(
        request,
        "articles/glossary.html",
        {
            "seo_title": gettext("Glossary: words used in our articles"),
            "seo_description": gettext(
                "Plain explanations of the medical words our articles about ketamine "
                "therapy use, from dissociation to treatment-resistant depression."
            ),
            "terms": terms,
            "letters": letters,
            "has_other_language": spanish is not None,
            **translation_notices(request, terms if is_spanish() else []),
        },
    )


@cached_public_page
def when_to_get_help(request: HttpRequest) -> HttpResponse:
    """Every symptom in the triage data, grouped by level, most urgent first: each group is
    the same care card the articles show (the same renderer), listing all its symptoms."""
    spanish = spanish_version_of("when_to_get_help")
    if is_spanish():
        if spanish is None:
            return no_spanish_version(request)
        triage = spanish
    else:
        symptoms = [s.content_state() for s in TriageSymptom.objects.all()]
        triage = TriageSymptom.triage_data(symptoms)
    triage = replace(triage, help_url="")
    cards = []
    for level in TriageLevel.values:
        keys = [
            key for key, (symptom_level, _) in triage.symptoms.items() if symptom_level == level
        ]
        if keys:
            text = "!!! when-to-get-help\n" + "".join(f"    - {key}\n" for key in keys)
            cards.append(mark_safe(render_markdown(text, triage=triage).html))
    return render(
        request,
        "articles/when_to_get_help.html",
        {
            "seo_title": gettext("When to get help"),
            "seo_description": gettext(
                "What to do if something feels wrong during ketamine treatment: when to call "
                "911, when to call or text 988, and when to call the clinic or your doctor."
            ),
            "cards": cards,
            "has_other_language": spanish is not None,
            "translated": spanish if is_spanish() else None,
            "stale_since": spanish.english_changed_on if is_spanish() else None,
            "english_address": address_in(ENGLISH, request),
        },
    )


def translation_notices(request: HttpRequest, entries: list) -> dict:
    """What a Spanish page of many translations says at the top: the entries whose
    English changed since they were translated, and how many are not reviewed yet (each
    entry says so too, the English change with its date)."""
    today = timezone.localdate()
    return {
        "stale_entries": [entry for entry in entries if entry.is_stale],
        "unreviewed_count": sum(e.review_state(today) == "not_reviewed" for e in entries),
        "english_address": address_in(ENGLISH, request),
    }


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
