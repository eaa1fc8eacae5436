"""The site's two languages as pages see them (issue 28): English at today's addresses,
Spanish under /es/, the address alone saying which (middleware.LanguageFromAddressMiddleware).

Which record is the Spanish version of which English one is the apps' business: each app
registers a finder for its own models here (`register_spanish_version`), as apps register
what their models mean for the page cache. A page under /es/ asks `spanish_version_of(obj)`
and shows `no_spanish_version(request)` when the answer is None: never English content at a
Spanish address.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.sitemaps import Sitemap
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils import translation

SPANISH = "es"
ENGLISH = "en"

# By model label ("articles.Article") or, for a page made of many records, by the page's
# URL name ("articles:faq"): a function answering with the Spanish version patients may
# read, or None.
spanish_finders: dict[str, Callable[[object], object | None]] = {}


def register_spanish_version(key: str, finder: Callable[[object], object | None]) -> None:
    """An app says where the Spanish version of its model (or page) is (AppConfig.ready)."""
    spanish_finders[key] = finder


def spanish_version_of(obj: Model | str) -> object | None:
    """The Spanish version of `obj` that patients may read now (its review rules allow it),
    or None: none written, none reviewed when review is required, or nobody registered a
    finder for it yet. `obj` is a model instance, or a page's URL name for pages made of
    many records (the FAQ, the glossary, when to get help)."""
    key = obj if isinstance(obj, str) else obj._meta.label
    finder = spanish_finders.get(key)
    return finder(obj) if finder is not None else None


def is_spanish() -> bool:
    """The page being built is a Spanish one (its address is under /es/)."""
    return translation.get_language() == SPANISH


def address_in(language: str, request: HttpRequest) -> str:
    """The same page's address in `language`: every public address exists in both, the
    Spanish one being the English one under /es/ (clinic_site/urls.py, i18n_patterns)."""
    path = request.path_info
    prefix = f"/{SPANISH}/"
    english_path = "/" + path.removeprefix(prefix) if path.startswith(prefix) else path
    spanish_path = prefix + english_path.removeprefix("/")
    chosen = spanish_path if language == SPANISH else english_path
    return get_script_prefix().rstrip("/") + chosen


def no_spanish_version(request: HttpRequest) -> HttpResponse:
    """The Spanish page that says this page has no Spanish version yet, with a link to the
    English one. A 404: the Spanish page does not exist, so search engines neither index
    nor pair it (and the page cache, which keeps only 200s, does not keep it: it is gone
    the moment a reviewed translation appears)."""
    english = address_in(ENGLISH, request)
    return render(
        request,
        "no_spanish_version.html",
        {"english_address": english, "robots": "noindex", "has_other_language": False},
        status=404,
    )


def english_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a page with no Spanish version planned yet (a page whose words live in its
    template): under /es/ it says so in Spanish and links to the English page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if is_spanish():
            return no_spanish_version(request)
        return view(request, *args, **kwargs)

    return wrapped


class BothLanguagesSitemap(Sitemap):
    """A sitemap section listing each page in English and, where a Spanish version patients
    may read exists (`spanish_version_of`), in Spanish too, each entry with its
    xhtml:link hreflang pair and x-default (English), as the page heads say."""

    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item) -> list[str]:
        return [ENGLISH, SPANISH] if self.has_spanish(item) else [ENGLISH]

    def has_spanish(self, item) -> bool:
        return spanish_version_of(item) is not None

    def get_urls(self, *args, **kwargs) -> list[dict]:
        urls = super().get_urls(*args, **kwargs)
        for entry in urls:
            # An English-only page has no pair: no hreflang links at all, as in its head.
            if len({alternate["lang_code"] for alternate in entry.get("alternates", [])}) < 3:
                entry["alternates"] = []
        return urls
