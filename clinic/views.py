from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from foundation.languages import is_spanish, no_spanish_version, spanish_version_of
from foundation.page_cache import cached_public_page

from .models import Page


@cached_public_page
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page about the clinic: privacy notice, accessibility statement, about our content."""
    trust_page = get_object_or_404(Page, slug=slug)
    if is_spanish() and spanish_version_of(trust_page) is None:
        # A trust page's Spanish text is a record of its own: until one patients may read
        # is wired through spanish_version_of, the Spanish address says there is none yet.
        return no_spanish_version(request)
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
        },
    )
