"""Which addresses are pages whose views and helpfulness are counted, and their names.

Only these are counted: a post naming any other address (a typo, a draft, something made
up) is answered like the others but stored nowhere, so the tables cannot fill with junk.
"""

from django.urls import reverse
from django.utils import translation

from articles.queries import published_articles
from articles.spanish import spanish_articles
from clinic.models import Page
from foundation.content_version import per_content_version


@per_content_version
def countable_pages() -> dict[str, str]:
    """{path: name} of every public page, read once per worker after each save: English
    and Spanish, whichever language the request that builds it is in (the answer is
    shared by every request)."""
    with translation.override("en"):
        pages = english_pages()
    with translation.override("es"):
        pages[reverse("home")] = "Home page (Spanish)"
        pages[reverse("articles:index")] = "Articles (list, Spanish)"
        pages[reverse("inquiries:contact")] = "Contact us (form, Spanish)"
        for spanish in spanish_articles().values():
            pages[spanish.get_absolute_url()] = f"{spanish.title} (Spanish)"
    return pages


def english_pages() -> dict[str, str]:
    pages = {
        reverse("home"): "Home page",
        reverse("articles:index"): "Articles (list)",
        reverse("articles:faq"): "Questions and answers",
        reverse("inquiries:contact"): "Contact us (form)",
    }
    for article in published_articles():
        pages[article.get_absolute_url()] = article.title
    for page in Page.objects.only("slug", "title"):
        pages[reverse("page", args=[page.slug])] = page.title
    return pages


def feedback_pages() -> set[str]:
    """The pages that ask "Was this page helpful?": every article (English and Spanish)
    and the FAQ."""
    with translation.override("en"):
        english = {article.get_absolute_url() for article in published_articles()}
        english.add(reverse("articles:faq"))
    with translation.override("es"):
        spanish = {article.get_absolute_url() for article in spanish_articles().values()}
    return english | spanish
