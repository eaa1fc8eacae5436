"""schema.org JSON-LD for search engines, built from the database (never hand-written)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language, gettext

from clinic.models import ClinicProfile
from clinic.structured_data import SCHEMA

from .citations import SourcesFileError, load_sources
from .models import FAQEntry, ReviewState


def article_jsonld(article, clinic: ClinicProfile, request: HttpRequest) -> list[dict]:
    """An Article, or a Spanish article (articles/spanish.py: the same attributes)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    organisation = {"@type": "MedicalOrganization", "name": clinic.name}
    page = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": get_language(),
        "about": {"@type": "MedicalTherapy", "name": "Ketamine therapy"},
        "datePublished": article.publish_at.isoformat(),
        "author": person(article.author) if article.author else organisation,
        "publisher": organisation,
    }
    if article.text_updated_on:
        # When the text last changed in substance, not when the row was last saved.
        page["dateModified"] = article.text_updated_on.isoformat()
    citations = cited_sources(article)
    if citations:
        page["citation"] = citations
    if article.review_state() != ReviewState.NOT_REVIEWED:
        # Only while a reviewer's sign-off covers exactly this text.
        page["lastReviewed"] = article.reviewed_on.isoformat()
        page["reviewedBy"] = person(article.reviewer)
    return [page, breadcrumbs_jsonld(article, request)]


def cited_sources(article) -> list[str]:
    """The full citations of the sources the article cites, in the order of its list."""
    try:
        sources = load_sources()
    except SourcesFileError:
        return []
    return [sources[key].text for key in article.cited_keys if key in sources]


def person(clinician) -> dict:
    return {"@type": "Person", "name": clinician.name, "honorificSuffix": clinician.credentials}


def breadcrumbs_jsonld(article, request: HttpRequest) -> dict:
    trail = [
        (gettext("Home"), reverse("home")),
        (gettext("Articles"), reverse("articles:index")),
        (article.title, article.get_absolute_url()),
    ]
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def faq_jsonld(entries: list[FAQEntry]) -> dict:
    """FAQPage, so search engines can show the answers directly."""
    return {
        "@context": SCHEMA,
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": entry.answer_html},
            }
            for entry in entries
        ],
    }
