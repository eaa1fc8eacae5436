"""Which addresses are pages whose views and helpfulness are counted, and their names.

Only these are counted: a post naming any other address (a typo, a draft, something made
up) is answered like the others but stored nowhere, so the tables cannot fill with junk.
"""

from django.urls import reverse

from articles.queries import published_articles
from clinic.models import Page
from foundation.content_version import per_content_version


@per_content_version
def countable_pages() -> dict[str, str]:
    """{path: name} of every public page, read once per worker after each save."""
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
    """The pages that ask "Was this page helpful?": every article and the FAQ."""
    return {article.get_absolute_url() for article in published_articles()} | {
        reverse("articles:faq")
    }
