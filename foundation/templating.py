"""The Jinja2 environment the site's own pages are rendered with (templates/, see settings).

Why Jinja2 and not Django's template language for these pages: Jinja2 compiles a template
to Python once, and a page then renders several times faster. That is what lets a page the
page cache cannot serve (search, an article just after a save) keep up under load
(bench/run). The admin keeps Django's engine (clinic_site/templates/).

The templates read like Django's, with these differences: `url('name', arg)` and
`static('path')` are functions, `{{ csrf_input }}` replaces `{% csrf_token %}`, methods
are called with `()`, and `loop.index` replaces `forloop.counter`.
"""

import json
from datetime import date, datetime
from functools import lru_cache

from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .content_version import ContentMemo
from .languages import address_in


def environment(**options) -> Environment:
    # Interface strings are written `{{ _("Skip to main content") }}` and translated by
    # Django's own gettext (locale/es/LC_MESSAGES/django.po), in the language the address
    # chose (foundation.middleware.LanguageFromAddressMiddleware).
    # A `_("...")` without variables is translated when the template is compiled, in the
    # environment made for each language (foundation/template_languages.py).
    extensions = [
        *options.pop("extensions", ()),
        "jinja2.ext.i18n",
        "foundation.template_languages.TranslatedWhenCompiled",
    ]
    env = Environment(extensions=extensions, **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(
        url=url,
        static=static_url,
        kept_fragment=kept_fragment,
        language=page_language,
        address_in=page_address_in,
    )
    env.filters.update(date=date_filter, pluralize=defaultfilters.pluralize, jsonld=jsonld)
    return env


@pass_context
def url(context: Context, view_name: str, *args) -> str:
    """The path of a named URL, as Django's {% url %} tag gives it."""
    prefix = context.get("script_prefix") or get_script_prefix()
    return reversed_path(prefix, page_language(context), view_name, args)


@pass_context
def page_language(context: Context) -> str:
    """The language the page is rendered in: read once per render (`script_prefix`), as
    Django keeps it in a context-local that is slow to read a dozen times a page."""
    return context.get("page_language") or translation.get_language()


@pass_context
def page_address_in(context: Context, language: str) -> str:
    """This page's address in `language` (the language switch, hreflang alternates)."""
    return address_in(language, context["request"])


def script_prefix(request: HttpRequest) -> dict:
    """Context processor: where this request's site is mounted, and its language, read once
    per page.

    A page asks `url()` for a couple of dozen addresses (header, footer, breadcrumbs), and
    Django keeps the script prefix in a context-local that is slow to read next to the
    lookup of the address itself. Macros imported without context read it themselves.
    """
    return {"script_prefix": get_script_prefix(), "page_language": translation.get_language()}


@lru_cache(maxsize=1024)
def reversed_path(script_prefix: str, language: str, view_name: str, args: tuple) -> str:
    # reverse() walks the URL patterns each time, and a page asks for a dozen fixed
    # addresses (header, footer). The answer only depends on these four things: the
    # language is the /es/ prefix reverse() adds when Spanish is active.
    return reverse(view_name, args=args)


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """The address of a static file, with its content hash in production.

    Kept per process: the manifest of hashed names is read once at start-up and does not
    change until the next deployment restarts the workers."""
    return static(path)


@receiver(setting_changed)
def forget_addresses(setting: str, **kwargs) -> None:
    """Tests that change where URLs or static files live must not get the old answers."""
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES"}:
        reversed_path.cache_clear()
        static_url.cache_clear()


# The parts every page shares (the crisis notice, the header, the footer), rendered once per
# worker and kept until the next save (docs/caching.md): they are the same on every page
# at one address, and were a sixth of what rendering an article cost.
kept_fragments: ContentMemo[Markup] = ContentMemo(max_entries=256)


@pass_context
def kept_fragment(context: Context, template_name: str, *variant) -> Markup:
    """The template rendered with this page's context, kept per worker until the next save,
    by its name, the script prefix, the language and `variant`. Only for a template that depends on
    nothing else: the clinic profile (a save empties what was kept), addresses, and what
    the caller passes as `variant` (the page's place in the menu, say)."""
    prefix = context.get("script_prefix") or get_script_prefix()

    def render() -> Markup:
        template = context.environment.get_template(template_name)
        return Markup(template.render(context.get_all()))  # noqa: S704 (autoescaped template)

    try:
        key = (template_name, prefix, translation.get_language(), variant)
        return kept_fragments.get_or_build(key, render)
    except DatabaseError:
        # Keeping asks the database when the next scheduled change goes live; an error page
        # shown while the database is away renders its parts itself (foundation/views.py).
        return render()


def date_filter(value: date | datetime | None, format_string: str) -> str:
    """Django's |date filter, in the site's time zone as Django's templates show dates."""
    if value is None:
        return ""
    return defaultfilters.date(template_localtime(value), format_string)


# What json_script escapes, so that text from the database can never close the <script>.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld(data: dict) -> SafeString:
    """Structured data for a <script type="application/ld+json"> block.

    Escapes <, > and & the way Django's json_script does.
    """
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(text)
