"""Which addresses are pages whose views and helpfulness are counted, and their names.

Only these are counted: a post naming any other address (a typo, a draft, something made
up) is answered like the others but stored nowhere, so the tables cannot fill with junk.

Each page counts in each language at its own address (/es/... for Spanish): the address
already says the language, so an answer or a view needs nothing more stored to tell the
Spanish pages' figures from the English ones.
"""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from articles.queries import published_articles
from clinic.models import Page
from foundation.content_version import per_content_version
from foundation.languages import is_spanish, spanish_version_of


def exists_in_active_language(obj) -> bool:
    """An English page exists at its Spanish address only with a Spanish version patients
    may read (else that address is the "no Spanish version" page, which asks nothing)."""
    return not is_spanish() or spanish_version_of(obj) is not None


def pages_in_active_language() -> dict[str, str]:
    """{path: English name} of every public page, at its address in the active language."""
    pages = {
        reverse("home"): "Home page",
        reverse("articles:index"): "Articles (list)",
        reverse("inquiries:contact"): "Contact us (form)",
        **feedback_pages_in_active_language(),
    }
    for page in Page.objects.only("slug", "title"):
        if exists_in_active_language(page):
            pages[reverse("page", args=[page.slug])] = page.title
    return pages


def feedback_pages_in_active_language() -> dict[str, str]:
    """{path: English name} of the pages that ask "Was this page helpful?"."""
    pages = {
        article.get_absolute_url(): article.title
        for article in published_articles()
        if exists_in_active_language(article)
    }
    if exists_in_active_language("articles:faq"):
        pages[reverse("articles:faq")] = "Questions and answers"
    return pages


def in_every_language(pages_now: Callable[[], dict[str, str]]) -> dict[str, str]:
    """What `pages_now()` gives in each of settings.LANGUAGES. Staff read the names, in
    English: a Spanish address's name ends "(Spanish)"."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages = pages_now()
        label = "" if code == settings.LANGUAGE_CODE else f" ({get_language_info(code)['name']})"
        for path, name in pages.items():
            found.setdefault(path, name + label)
    return found


@per_content_version
def countable_pages() -> dict[str, str]:
    """{path: name} of every public page in every language, read once per worker after
    each save."""
    return in_every_language(pages_in_active_language)


@per_content_version
def feedback_pages() -> set[str]:
    """The pages that ask "Was this page helpful?": every article and the FAQ, in every
    language."""
    return set(in_every_language(feedback_pages_in_active_language))
