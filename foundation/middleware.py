import logging

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import translation

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


class LanguageFromAddressMiddleware:
    """The page's language is the one its address names: /es/... Spanish, anything else
    English (settings.LANGUAGE_CODE). Nothing else decides it.

    Django's LocaleMiddleware, with i18n_patterns(prefix_default_language=False), also ends
    up with English for an address without a prefix, but it first reads the language
    cookie and Accept-Language, and it marks every English response `Vary: Accept-Language`
    although the page never varies on it: that splits shared caches (nginx, the page
    cache's stored headers) for nothing. The issue asks for "the address says the
    language"; this says it in four lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # Back to English for whatever this thread does next (a test's reverse(), a
            # signal handler), so Spanish never leaks out of the request that asked for it.
            translation.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


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


# What django-csp's decorators and nonces leave on a response or request that changes its
# policy: such responses get theirs built by django-csp as usual.
OWN_POLICY_ATTRIBUTES = [
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of per response.

    django-csp builds the header again for every response, in case a view changed it with
    a decorator or used a nonce. This site does neither (settings.py says why), and that
    rebuilding was a large share of a small response's time. The header is the one
    django-csp's own build_policy makes; anything unusual (a decorator, a nonce, a
    report-only or per-path policy, DEBUG's error pages) goes to django-csp unchanged.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        is_simple = (
            not settings.DEBUG
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        )
        self.header = build_policy() if is_simple else None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if self.header is None or has_own_policy(request, response):
            return super().process_response(request, response)
        response.headers.setdefault(HEADER, self.header)
        return response


def has_own_policy(request: HttpRequest, response: HttpResponse) -> bool:
    if getattr(request, "_csp_nonce", None) is not None:
        return True
    return any(getattr(response, name, None) is not None for name in OWN_POLICY_ATTRIBUTES)
