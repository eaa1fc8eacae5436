"""Production mode: every page type carries the security headers; cookies are __Host- and Secure."""

import pytest
from csp.constants import NONCE, SELF
from csp.utils import build_policy
from django.http import HttpResponse

from foundation.middleware import ContentSecurityPolicyMiddleware

from .servers import fetch, gunicorn, manage, production_env

PAGES = ["/", "/articles/", "/articles/how-ketamine-works/", "/faq/", "/search/?q=ketamine",
         "/contact/", "/contact/sent/", "/privacy/", "/sitemap.xml", "/feed/", "/robots.txt",
         "/healthz", "/no-such-page/", "/admin/login/"]  # fmt: skip
CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self'",
    "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'",
    "frame-ancestors": "'none'",
}  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("headers")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}", STATIC_ROOT=str(folder / "static")
    )
    manage(env, "migrate", "--noinput")
    manage(env, "import_content")
    manage(env, "collectstatic", "--noinput")
    with gunicorn(env, workers=1) as base:
        yield base


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_carries_the_security_headers(site, path):
    _, headers, _ = fetch(site + path)
    assert directives(headers["Content-Security-Policy"]) == CSP
    assert "unsafe" not in headers["Content-Security-Policy"]
    permissions = headers["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]:
        assert f"{feature}=()" in permissions
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.slow
def test_static_files_carry_the_policy_too(site):
    _, headers, _ = fetch(site + "/static/img/favicon.svg")
    assert "default-src 'self'" in headers.get("Content-Security-Policy", "")


@pytest.mark.slow
def test_cookies_are_host_prefixed_secure_httponly_and_samesite(site):
    """The admin sign-in sets the CSRF cookie; its attributes are what __Host- requires."""
    _, headers, _ = fetch(site + "/admin/login/")
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("__Host-csrftoken="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= attributes
    assert "Path=/" in cookie and "domain" not in attributes and "SameSite=Lax" in cookie


def test_session_cookie_is_host_prefixed_in_production():
    from .test_settings import read_setting  # runs the settings in a clean process

    real = "a-real-secret-key-for-tests-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
    names = read_setting(
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY",
        DJANGO_DEBUG="False", DJANGO_SECRET_KEY=real,
    )  # fmt: skip
    assert names == "__Host-sessionid __Host-csrftoken True True"
    assert (
        read_setting(
            "getattr(s, 'SESSION_COOKIE_NAME', 'sessionid (default)')", DJANGO_DEBUG="True"
        )
        == "sessionid (default)"
    )


def served_with_policy(rf, response: HttpResponse, use_nonce: bool = False) -> str:
    """The Content-Security-Policy header the site's middleware puts on `response`."""

    def view(request):
        if use_nonce:
            response.content = f'<script nonce="{request.csp_nonce}"></script>'.encode()
        return response

    return ContentSecurityPolicyMiddleware(view)(rf.get("/"))["Content-Security-Policy"]


def test_the_policy_built_once_is_the_one_django_csp_builds(rf):
    header = served_with_policy(rf, HttpResponse("a page"))
    assert header == build_policy()
    assert directives(header) == CSP


def test_a_view_that_changes_its_policy_or_uses_a_nonce_still_gets_its_own(rf, settings):
    changed = HttpResponse("a page")
    changed._csp_update = {"img-src": ["https://images.example.org"]}
    assert "https://images.example.org" in directives(served_with_policy(rf, changed))["img-src"]

    exempt = HttpResponse("a page")
    exempt._csp_exempt = True
    assert "Content-Security-Policy" not in ContentSecurityPolicyMiddleware(lambda r: exempt)(
        rf.get("/")
    )

    # The site uses no nonce (settings.py says why); a policy that asks for one gets it.
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "script-src": [SELF, NONCE]}
    }
    with_nonce = served_with_policy(rf, HttpResponse(), use_nonce=True)
    assert "'nonce-" in directives(with_nonce)["script-src"]
