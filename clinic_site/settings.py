"""Settings for the clinic site, read from environment variables.

With no environment at all the site runs on a laptop: a SQLite file in the project,
the local-memory cache and e-mail printed to the console. Every variable is listed
in `.env.example`. A value that cannot be parsed stops start-up with a message that
names the variable, so a typo never silently changes how the site behaves.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from foundation.client_address import meta_key

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

# The fallback key is only good for a laptop: `check --deploy` flags it, and the
# README tells how to set a real one in production.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "django-insecure-local-development-key-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The admin lives at a configurable path so it is not where every bot looks first.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "clinic",
    "articles",
    "search",
    "inquiries",
    "insights",
    "patient_tools",
    "simple_history",
    "foundation.apps.SignInProtectionConfig",  # django-axes
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, static files too.
    "foundation.middleware.ContentSecurityPolicyMiddleware",
    "foundation.middleware.PermissionsPolicyMiddleware",
    # Right after SecurityMiddleware, so static files get security headers but skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page, and 304 Not Modified for a visitor who already has it.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Where Django's LocaleMiddleware goes (after sessions, before CommonMiddleware), in its
    # place: the language is read from the address only (see the class for why).
    "foundation.middleware.LanguageFromAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "foundation.middleware.DatabaseUnavailableMiddleware",
    # The admin's odd ids and filters: a 404 or a polite 400, never a 500.
    "foundation.admin_guard.AdminOddRequestsMiddleware",
    # Records who made each change in the article history (needs request.user).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: refuses sign-ins from locked-out clients.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "clinic_site.urls"
WSGI_APPLICATION = "clinic_site.wsgi.application"

# The site's pages (templates/) are Jinja2: it renders them several times faster than
# Django's engine, which matters for pages the page cache cannot serve (see
# foundation/templating.py). The admin needs Django's engine; our admin templates are in
# clinic_site/templates/ (searched before the apps' own, so ours replace the admin's).
TEMPLATES = [
    {
        # Django's Jinja2 backend, one environment per language: interface strings are
        # translated when a template is compiled (foundation/template_languages.py).
        "BACKEND": "foundation.template_languages.Jinja2ByLanguage",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "foundation.templating.environment",
            "context_processors": [
                "clinic.context_processors.clinic",
                "foundation.templating.script_prefix",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clinic_site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)
        if DATABASE_URL
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL could not be read: {error}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one file. IMMEDIATE transactions take the
    # write lock at BEGIN, so a writer waits its turn (up to the timeout) instead of
    # failing half-way with "database is locked"; WAL lets readers go on meanwhile.
    # Each worker keeps its connection: opening one (and running the PRAGMAs) took longer
    # than most pages take to render.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------

CACHE_URL = env_str("REDIS_URL") or env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"REDIS_URL / CACHE_URL must start with redis:// or rediss://, not {CACHE_URL!r}."
    )
# The "content version" (foundation/content_version.py) must be one number for
# every worker, or a save seen by one worker would leave the others serving old pages.
# Redis is shared already. Local memory is not (each gunicorn worker has its own), so
# without Redis the number is kept in files that all workers on this machine read.
PAGE_CACHE_VERSION_DIR = env_str("PAGE_CACHE_VERSION_DIR") or str(BASE_DIR / "var" / "page-cache")
CACHES["content_version"] = (
    CACHES["default"]
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": PAGE_CACHE_VERSION_DIR,
    }
)

# How long a browser, proxy or CDN may reuse a public page before asking again (seconds).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 300)

# Whole public pages kept in the cache above for anonymous visitors (foundation/page_cache.py).
# Saving content in the admin replaces them at once, so this is only an upper bound.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=1)

# Searches whose results page each worker keeps until the next save (search/views.py): a
# popular search is answered without asking the database or rendering again. 0: off.
SEARCH_RESULT_CACHE_SIZE = env_int("SEARCH_RESULT_CACHE_SIZE", 200)
# Content insights: each worker adds its counts of searches and page views up in memory and
# writes them this many milliseconds after the first (insights/pending.py). 0: each count
# is written in its own request.
INSIGHTS_WRITE_DELAY_MS = env_int("INSIGHTS_WRITE_DELAY_MS", 1000)
# pyspellchecker's word lists: a real word in one of them is never "corrected" by search.
SEARCH_DICTIONARY_LANGUAGES = ("en", "es")

# --- Passwords --------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------

# English at today's addresses, Spanish under /es/ (clinic_site/urls.py). The address alone
# says the language (foundation.middleware.LanguageFromAddressMiddleware): no cookie, no
# Accept-Language. The admin stays in English. "en", not "en-us": the language Django
# activates for an address without a prefix must be this code exactly, or i18n_patterns
# would give English pages an /en/ prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
USE_I18N = True
# The site's own interface strings (locale/es/LC_MESSAGES/django.po; the compiled .mo is
# committed, so a fresh checkout needs no compilemessages).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_TZ = True
# Dates read one way everywhere, admin included: "March 4, 2026" (foundation/formats/en/);
# on Spanish pages "4 de marzo de 2026" (foundation/formats/es/).
FORMAT_MODULE_PATH = "foundation.formats"

# --- Static files and uploads -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names + gzip/brotli copies; whitenoise then sends a one-year cache header.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0
# Not in whitenoise's own list: served as application/octet-stream otherwise.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# --- E-mail -----------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds one step of talking to the mail server may take. Mail is never sent inside a web
# request (inquiries/services.py); this bounds how long a sender waits on a stuck server,
# well under gunicorn's 30-second worker timeout all the same.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "website@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Inquiries --------------------------------------------------------------------
# The contact form (inquiries/). See inquiries/services.py for what happens on submit.

# Who is e-mailed "a new inquiry arrived" (never what the patient wrote). Empty: nobody;
# inquiries are still saved, stay "not e-mailed", and show on the admin home page.
INQUIRY_NOTIFY_EMAILS = env_list("INQUIRY_NOTIFY_EMAILS")
for _address in INQUIRY_NOTIFY_EMAILS:
    if "@" not in _address:
        raise ImproperlyConfigured(
            f"INQUIRY_NOTIFY_EMAILS must be e-mail addresses separated by commas, not {_address!r}."
        )

# Staff notifications are sent by `manage.py notify_inquiries` (a timer, every minute).
# True: also from a thread started after the inquiry is saved, so `scripts/run` (a single
# development server) needs nothing else; on by default with DJANGO_DEBUG.
INQUIRY_NOTIFY_AFTER_RESPONSE = env_bool("INQUIRY_NOTIFY_AFTER_RESPONSE", DEBUG)
# How long a sender's claim on a notification holds. A sender that dies holding one (killed
# mid-send) is assumed gone after this, and the next run sends it. Longer than a slow send.
INQUIRY_NOTIFY_LEASE_SECONDS = env_int("INQUIRY_NOTIFY_LEASE_SECONDS", 300, minimum=1)

# A form sent sooner than this after it was shown is almost surely a bot (0: no check).
INQUIRY_MIN_SECONDS = env_int("INQUIRY_MIN_SECONDS", 3)


def env_rate(name: str, default: str) -> tuple[int, int] | None:
    """'5/h' -> (5, 3600): at most 5 per hour. '0' (or '0/h') -> None: no limit."""
    raw = env_str(name) or default  # Set but empty: the default, like env_int.
    if raw == "0":
        return None
    count, _, unit = raw.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit.strip().lower())
    if not count.strip().isdigit() or seconds is None:
        raise ImproperlyConfigured(
            f"{name} must look like 5/h (a number, then /s, /m, /h or /d), or 0, not {raw!r}."
        )
    return (int(count), seconds) if int(count) > 0 else None


# Inquiries per client address per period, counted in the database (all workers share it).
INQUIRY_RATE_LIMIT = env_rate("INQUIRY_RATE_LIMIT", "5/h")

# Searches per client address per period, counted in the default cache (Redis in
# production): generous for people, a 429 for scripts (foundation/search_limit.py). A
# search that suggests a crisis is always answered. 0: no limit (bench/run's load).
SEARCH_RATE_LIMIT = env_rate("SEARCH_RATE_LIMIT", "60/m")

# Inquiries older than this are deleted by `manage.py purge_inquiries` (run it daily).
INQUIRY_RETENTION_DAYS = env_int("INQUIRY_RETENTION_DAYS", 365, minimum=1)

# Empty: the client address is REMOTE_ADDR. Behind a trusted proxy, the header it sets,
# e.g. X-Forwarded-For (the last address in it, the one the proxy appended, is used). It
# serves the contact form's rate limit and sign-in protection alike (clinic_site/
# client_address.py). INQUIRY_CLIENT_IP_HEADER is its old name and still read.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER") or env_str("INQUIRY_CLIENT_IP_HEADER")
if not all(ch.isalnum() or ch == "-" for ch in CLIENT_IP_HEADER):
    raise ImproperlyConfigured(
        f"CLIENT_IP_HEADER must be a header name like X-Forwarded-For, not {CLIENT_IP_HEADER!r}."
    )
INQUIRY_CLIENT_IP_HEADER = CLIENT_IP_HEADER  # the old name, for code that still reads it

# The site's public address, for links in e-mails (there is no request to build them from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")

# --- Clinical review ----------------------------------------------------------------

# On (the default, and what production needs): no article is published, in the admin, by
# import_content or by a scheduled publish_at, without a clinician's review of its text on
# record. scripts/run turns it off so the demo shows content; every unreviewed article
# then says so on its page. A system check warns when it is off with DEBUG off.
REQUIRE_MEDICAL_REVIEW = env_bool("REQUIRE_MEDICAL_REVIEW", True)

# Who `review_reminders` sends the list of overdue articles to (besides each reviewer).
REVIEW_ESCALATION_EMAILS = env_list("REVIEW_ESCALATION_EMAILS")
for _address in REVIEW_ESCALATION_EMAILS:
    if "@" not in _address:
        raise ImproperlyConfigured(
            "REVIEW_ESCALATION_EMAILS must be e-mail addresses separated by commas, "
            f"not {_address!r}."
        )

# --- Content insights -------------------------------------------------------------
# Page views, searches and "Was this page helpful?" (insights/), counted without cookies
# and without storing addresses. Comments and search texts older than this are deleted by
# `manage.py purge_insights` (run it daily); the privacy notice states the period.
INSIGHTS_RETENTION_DAYS = env_int("INSIGHTS_RETENTION_DAYS", 365, minimum=1)

# "Was this page helpful?" answers and comments per client address per period, counted in
# the database like INQUIRY_RATE_LIMIT (0: no limit).
FEEDBACK_RATE_LIMIT = env_rate("FEEDBACK_RATE_LIMIT", "30/h")

# --- Security (production) --------------------------------------------------------

SECURE_PROXY_SSL_HEADER = None
_proxy_header = env_str("DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_header:
    # e.g. "X-Forwarded-Proto": trusted only when the TLS proxy always sets it.
    SECURE_PROXY_SSL_HEADER = (meta_key(_proxy_header), "https")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Which article a patient reads is health information: other sites are not told.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: the editor (markdownx) takes the token from the form's
# hidden csrfmiddlewaretoken field when it finds no cookie named "csrftoken".
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if SESSION_COOKIE_SECURE:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, for Path=/
    # and without Domain, so neither a subdomain nor plain HTTP can set or overwrite it.
    # Only with Secure cookies: a browser drops a __Host- cookie that is not Secure.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Nothing from other origins, no inline or eval'd script, no inline styles. No nonces:
# public pages are served from a full-page cache, where a nonce would be stale. JSON-LD
# blocks (<script type="application/ld+json">) are data, never run, so need no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Powerful browser features this site never uses, switched off for it and anything it
# might embed (foundation/middleware.py sends the header).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
    "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
    "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip
CSRF_FAILURE_VIEW = "foundation.views.csrf_failure"

# --- Logging: never log request bodies (patients' messages are health information). ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Markdown editor --------------------------------------------------------------

# The sources articles may cite, by key (see articles/citations.py).
CITATION_SOURCES_FILE = BASE_DIR / "content" / "references.yaml"
# The editor's preview and image upload are our own views (foundation/editor_views.py):
# markdownx's own URLs accept anonymous posts and store SVG and GIF files as sent. The
# preview renders as the save of the model being edited does (the editor's widget names
# the model: foundation/editor_widgets.py, foundation/content_rendering.py).
MARKDOWNX_URLS_PATH = "/editor/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/editor/upload/"

# --- Admin sign-in protection (django-axes) ---------------------------------------
# Counted in the database, so every worker and server shares the count.

# 5 wrong passwords for one username from one address lock that pair for 15 minutes,
# right password or not. An address that fails 20 times across any usernames is locked
# too, and so is a username that fails 20 times across any addresses (see
# foundation/login_protection.py for the three limits).
# Quiet start-up: axes otherwise prints a banner before every management command.
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20  # our own settings, read by the handler below
LOGIN_USERNAME_FAILURE_LIMIT = 20
# ... except at a known place: an address this username signed in from successfully within
# this many days, where only the first two limits apply (the owner is never locked out of
# the office by strangers' guesses; see foundation/login_protection.py).
LOGIN_KNOWN_PLACE_DAYS = 90
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "foundation.login_protection.ThreeLimitDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# A clinician who mistyped twice and then got it right starts again from zero (for that
# username from that address only: see ThreeLimitDatabaseHandler.reset_user_attempts).
AXES_RESET_ON_SUCCESS = True
# The same client address as the contact form's rate limit: REMOTE_ADDR, or the last
# entry of the trusted proxy's header (CLIENT_IP_HEADER) behind a proxy; IPv6 by its /64.
AXES_CLIENT_IP_CALLABLE = "foundation.client_address.client_address"
