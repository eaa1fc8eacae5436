"""Interface strings translated once, when a template is compiled, not on every render.

`{{ _("Skip to main content") }}` called Django's gettext on every render, four calls deep
through Jinja2's i18n extension: a fifth of what a page the page cache cannot serve cost
(bench/run, "article-uncached"). A string with no variables is the same on every render in
one language. So each language has its own Jinja2 environment (an overlay of the one the
settings build: same loader, globals and filters, its own compiled templates), chosen by
the active language (`Jinja2ByLanguage`), and `TranslatedWhenCompiled` replaces each such
call by its translation, marked safe exactly as the i18n extension marks it. A call with
variables (`_("Page %(n)s", n=page)`) is left as it is, and translated at render time.
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.template.backends.jinja2 import Jinja2
from django.utils import translation
from jinja2 import Environment
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream


class TranslatedWhenCompiled(Extension):
    """`_("text")` becomes `("translation"|safe)` in an environment made for one language
    (one with `interface_language` set); elsewhere templates are left alone."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        language = getattr(self.environment, "interface_language", None)
        if language is None:
            return stream
        return translated(list(stream), language)


def translated(tokens: list[Token], language: str) -> Iterator[Token]:
    index = 0
    while index < len(tokens):
        text = literal_call(tokens, index)
        translation_text = translate(text, language) if text is not None else None
        if translation_text is None:
            yield tokens[index]
            index += 1
            continue
        lineno = tokens[index].lineno
        yield Token(lineno, "lparen", "(")
        yield Token(lineno, "string", translation_text)
        yield Token(lineno, "pipe", "|")
        yield Token(lineno, "name", "safe")
        yield Token(lineno, "rparen", ")")
        index += 4


def literal_call(tokens: list[Token], index: int) -> str | None:
    """The text of `_("text")` starting at `index` (not `x._(...)`), or None."""
    window = tokens[index : index + 4]
    if len(window) < 4 or (index > 0 and tokens[index - 1].type == "dot"):
        return None
    name, opening, text, closing = window
    if (name.type, name.value, opening.type, text.type, closing.type) != (
        "name",
        "_",
        "lparen",
        "string",
        "rparen",
    ):
        return None
    return text.value


def translate(text: str, language: str) -> str | None:
    """What the i18n extension's `_` gives in `language` (Django's gettext, then `% {}`:
    "%%" is one "%"), or None when that would fail (left to render time to say so)."""
    with translation.override(language):
        message = translation.gettext(text)
    try:
        return message % {}
    except (TypeError, ValueError, KeyError):
        return None


def language_environment(base: Environment, language: str) -> Environment:
    environment = base.overlay()
    environment.interface_language = language
    return environment


class Jinja2ByLanguage(Jinja2):
    """Django's Jinja2 backend, with one environment per language of settings.LANGUAGES
    (the active language picks it; any other language gets the settings' own)."""

    @property
    def env(self) -> Environment:
        return self.by_language.get(translation.get_language(), self.base_env)

    @env.setter
    def env(self, environment: Environment) -> None:  # set once, by Jinja2.__init__
        self.base_env = environment
        self.by_language = {
            code: language_environment(environment, code) for code, _ in settings.LANGUAGES
        }
