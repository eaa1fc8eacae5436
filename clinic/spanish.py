"""The Spanish privacy notice, accessibility statement and other pages about the clinic
(issue 28): the finder foundation.languages.spanish_version_of asks for a Page
(registered in apps.py). The translation is what the page shows: its own title, summary,
body_html and updated_at (the day the translation last changed)."""

from foundation.content_version import per_content_version
from foundation.languages import SPANISH

from .models import Page, PageTranslation


@per_content_version
def spanish_pages() -> dict[int, PageTranslation]:
    """Every Spanish page patients may read now, by the English page's id: read once per
    worker after each save (English pages ask too, for their hreflang links)."""
    translations = PageTranslation.objects.filter(language=SPANISH).select_related(
        "page", "reviewer"
    )
    return {t.page_id: t for t in translations if t.may_be_shown()}


def spanish_page_of(page: Page) -> PageTranslation | None:
    return spanish_pages().get(page.pk)
