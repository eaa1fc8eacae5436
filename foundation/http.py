"""HTTP caching for public pages, so a CDN or proxy can serve them."""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control


def public_page(view):
    """Mark a page as the same for every anonymous visitor: `Cache-Control: public` with a
    short max-age. ConditionalGetMiddleware adds the ETag and answers 304 to a repeat visit.

    A view that must not be shared (a staff draft preview) sets its own Cache-Control,
    which is left alone.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        return response

    return wrapped
