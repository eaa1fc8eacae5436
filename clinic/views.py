from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from foundation.languages import (
    ENGLISH,
    address_in,
    is_spanish,
    no_spanish_version,
    spanish_version_of,
)
from foundation.page_cache import cached_public_page

from .models import Page


@cached_public_page
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page about the clinic: privacy notice, accessibility statement, about our content."""
    trust_page = get_object_or_404(Page, slug=slug)
    # A trust page's Spanish text is a record of its own, found through spanish_version_of
    # (once its finder is registered: an object with title, summary, body_html and
    # updated_at). None: the Spanish address says there is no Spanish version yet.
    spanish = spanish_version_of(trust_page)
    if is_spanish():
        if spanish is None:
            return no_spanish_version(request)
        trust_page = spanish
    # A stale translation says so at the top, with the English change's date.
    stale_since = spanish.english_changed_on if is_spanish() and spanish.is_stale else None
    # The privacy notice states the retention period the site really applies.
    body_html = mark_safe(
        trust_page.body_html.replace(
            "{retention_days}", str(settings.INQUIRY_RETENTION_DAYS)
        ).replace("{insights_retention_days}", str(settings.INSIGHTS_RETENTION_DAYS))
    )
    return render(
        request,
        "clinic/page.html",
        {
            "seo_title": trust_page.title,
            "seo_description": trust_page.summary,
            "page": trust_page,
            "body_html": body_html,
            "has_other_language": spanish is not None,
            "translated": is_spanish(),
            "stale_since": stale_since,
            "english_address": address_in(ENGLISH, request),
        },
    )
