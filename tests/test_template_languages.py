"""Interface strings are translated when a template is compiled, one Jinja2 environment per
language (foundation/template_languages.py): the same words as Django's gettext at render
time, no call left for a string without variables, and no language leaking into another."""

from django.template import engines
from django.utils import translation

from foundation.template_languages import Jinja2ByLanguage

SOURCE = (
    '{{ _("Skip to main content") }}|'
    '{{ _("Or call us at <a href=\\"%(href)s\\">%(phone)s</a>.", href="tel:1", phone="1") }}|'
    '{{ _("100%% private") }}|{{ x._("not a call") if x else "" }}'
)


def render(language: str, source: str = SOURCE) -> str:
    with translation.override(language):
        return engines["jinja2"].from_string(source).render({"x": None})


def test_the_site_uses_one_environment_per_language():
    backend = engines["jinja2"]
    assert isinstance(backend, Jinja2ByLanguage)
    with translation.override("es"):
        spanish = backend.env
    with translation.override("en"):
        english = backend.env
    assert spanish is not english
    assert (spanish.interface_language, english.interface_language) == ("es", "en")


def test_strings_are_translated_as_gettext_translates_them():
    spanish = render("es")
    assert spanish.startswith("Saltar al contenido principal|")
    # With variables: translated at render time, the markup of the translation kept.
    assert 'O llámenos al <a href="tel:1">1</a>.' in spanish
    assert "|100% private|" in spanish  # "%%" is one "%", as the i18n extension gives it
    english = render("en")
    assert english.startswith("Skip to main content|")
    assert 'Or call us at <a href="tel:1">1</a>.' in english


def test_a_string_without_variables_is_no_call_in_the_compiled_template():
    backend = engines["jinja2"]
    with translation.override("es"):
        code = backend.env.compile('{{ _("Skip to main content") }}', raw=True)
    assert "Saltar al contenido principal" in code
    assert "gettext" not in code and "'_'" not in code


def test_a_template_compiled_in_one_language_is_never_served_in_the_other():
    name = "includes/crisis_notice.html"
    with translation.override("es"):
        spanish = engines["jinja2"].get_template(name).render({})
    with translation.override("en"):
        english = engines["jinja2"].get_template(name).render({})
    assert "marque 2" in spanish and "marque 2" not in english
