"""Pages that compose several apps: the home page, /about-our-content/ and the site-wide
sitemap.

The apps below never import each other (see the import-linter contracts in
pyproject.toml); whatever needs articles, the FAQ and the clinic's own facts together
is put together here, at the top, where the URLs are wired.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from articles.queries import faq_entries, group_by_topic, published_articles
from articles.review import review_counts
from articles.sitemaps import ArticleSitemap
from articles.spanish import spanish_articles
from clinic.models import Clinician, ClinicProfile
from clinic.sitemaps import PageSitemap
from clinic.structured_data import clinic_jsonld
from foundation.languages import (
    BothLanguagesSitemap,
    english_only,
    is_spanish,
    spanish_version_of,
)
from foundation.page_cache import cached_public_page

# Articles a newcomer should read first, in this order, by reading-order position.
START_HERE_COUNT = 3
FAQ_PREVIEW_COUNT = 4


@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    clinic = ClinicProfile.current()
    if is_spanish():
        return spanish_home(request, clinic)
    articles = published_articles()
    return render(
        request,
        "home.html",
        {
            "seo_title": f"{clinic.name}: ketamine therapy, explained clearly",
            "seo_description": clinic.tagline,
            "start_here": articles[:START_HERE_COUNT],
            "topics": group_by_topic(articles),
            "faq_preview": faq_entries()[:FAQ_PREVIEW_COUNT],
            "has_other_language": True,
            "jsonld": [clinic_jsonld(clinic, request)],
        },
    )


@english_only  # its explanations live in its template: no Spanish version yet
@cached_public_page
def about_our_content(request: HttpRequest) -> HttpResponse:
    """How articles are written and reviewed, and where they stand now, from live facts:
    every number comes from the database, so the page never claims more than is true."""
    return render(
        request,
        "about_our_content.html",
        {
            "seo_title": "About our content",
            "seo_description": (
                "How our articles are written and checked by our clinicians, who they are, "
                "and how many articles have been reviewed so far."
            ),
            "counts": review_counts(),
            "clinicians": list(Clinician.objects.order_by("name")),
            "review_required": settings.REQUIRE_MEDICAL_REVIEW,
        },
    )


def spanish_home(request: HttpRequest, clinic: ClinicProfile) -> HttpResponse:
    """The home page in Spanish: the same page, listing the Spanish articles. The FAQ
    preview appears once the FAQ has Spanish answers (spanish_version_of)."""
    articles = list(spanish_articles().values())
    faq = spanish_version_of("articles:faq")
    return render(
        request,
        "home.html",
        {
            "seo_title": f"{clinic.name}: la terapia con ketamina, explicada con claridad",
            "seo_description": (
                "Información clara en español sobre la terapia con ketamina: qué es, cómo "
                "es un día de tratamiento, los efectos secundarios y cuándo pedir ayuda."
            ),
            "start_here": articles[:START_HERE_COUNT],
            "topics": group_by_topic(articles),
            "faq_preview": list(faq or [])[:FAQ_PREVIEW_COUNT],
            "has_other_language": True,
            "jsonld": [clinic_jsonld(clinic, request)],
        },
    )


class MainPagesSitemap(BothLanguagesSitemap):
    changefreq = "weekly"
    priority = 1.0
    # Pages that are Spanish whenever the site is: the rest have theirs when
    # spanish_version_of(name) says so (the FAQ, the glossary, when to get help).
    ALWAYS_SPANISH = frozenset({"home", "articles:index"})

    def has_spanish(self, name: str) -> bool:
        return name in self.ALWAYS_SPANISH or super().has_spanish(name)

    def items(self) -> list[str]:
        return [
            "home",
            "articles:index",
            "articles:faq",
            "articles:glossary",
            "when_to_get_help",
            "inquiries:contact",
            "about-our-content",
            "patient_tools:check-your-mood",
            "patient_tools:questions",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"main": MainPagesSitemap, "articles": ArticleSitemap, "pages": PageSitemap}
