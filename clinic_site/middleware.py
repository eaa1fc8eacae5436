import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from .views import service_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, show the 'back soon' page (503), not a 500.

    OperationalError and InterfaceError are what the drivers raise for a server that is
    down or a connection that dropped; other errors remain real bugs and stay 500s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("Database unavailable: %s", type(exception).__name__)
            return service_unavailable(request)
        return None


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header that denies the features in PERMISSIONS_POLICY_DENIED.

    A few lines of our own instead of django-permissions-policy: the header is one fixed
    string, so a dependency would add nothing but another pin to keep up to date. Only
    features Chromium knows are listed: an unknown one (e.g. the retired interest-cohort)
    makes it log an error in the console on every page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
