"""Site-wide views: health check and the error pages."""

import logging

from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """A request Django could not read (a form in an unusual character set, a broken body).

    Django's own 400 view renders a template with the request's context, and reading
    that context reads the body again, which fails the same way: a 500 with a traceback.
    This page needs nothing from the request."""
    return error_page(request, "400.html", 400, "Sorry, we could not read what was sent.")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """Signed-in staff see the admin's own style (they were working in the admin); anyone
    else sees the site's page."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        try:
            context = {**admin.site.each_context(request), "title": "Not part of your role"}
            return render(request, "admin/403.html", context, status=403)
        except Exception:
            logger.exception("The admin's 403 page could not be rendered.")
    return error_page(request, "403.html", 403, "Sorry, this page is not open to you.")


def error_page(request: HttpRequest, template: str, status: int, fallback: str) -> HttpResponse:
    # An error page must never fail itself: plain text if the template cannot be rendered.
    try:
        return render(request, template, status=status)
    except Exception:
        logger.exception("The %s page could not be rendered.", status)
        return HttpResponse(fallback, status=status, content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # The error page itself must never fail: fall back to plain text if it does.
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered.")
        return HttpResponseServerError("Sorry, something went wrong. Please try again later.")


def service_unavailable(request: HttpRequest) -> HttpResponse:
    try:
        response = render(request, "503.html", status=503)
    except Exception:
        response = HttpResponse("The site is briefly unavailable.", status=503)
    response["Retry-After"] = "60"
    return response


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the site, not the admin or the editor; the sitemap lists the pages."""
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /editor/",
        "Disallow: /search/",
        "Disallow: /contact/sent/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from an old or foreign page: explain politely, in the site's design."""
    return render(request, "403_csrf.html", status=403)
