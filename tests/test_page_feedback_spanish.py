""" "Was this page helpful?" from a Spanish page (issue 28): answered and thanked in Spanish,
counted at the Spanish page's own address (the /es/ prefix is the language: nothing more is
stored). And the Spanish catalogs of the contact form and page feedback: every interface
string of their templates has Spanish, and the contact form's .mo is its .po compiled."""

import gettext
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from jinja2.ext import babel_extract

from insights.models import FeedbackComment
from tests.test_contact_form_spanish import english_words_in, main_text
from tests.test_insights import FEEDBACK, SAME_ORIGIN, answers_of, beacon, views_of

FEEDBACK_ES = "/es/feedback/"
# An article with a Spanish version (content/es/articles/), and its English address.
ARTICLE_ES = "/es/articles/what-is-ketamine-therapy/"
ARTICLE_EN = "/articles/what-is-ketamine-therapy/"
TEMPLATES = ["inquiries/contact.html", "inquiries/fields.html", "inquiries/sent.html",
             "insights/feedback_thanks.html"]  # fmt: skip
CATALOGS = ["inquiries"]  # page feedback's Spanish is in locale/es (tests/test_spanish_pages.py)
# The same word in both languages.
SAME_IN_SPANISH = {"Error:"}


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    call_command("import_content", stdout=StringIO())


def test_a_spanish_answer_without_javascript_is_thanked_in_spanish_and_counted_apart(client, site):
    article = client.get(ARTICLE_ES).content.decode()  # the widget posts here, and so:
    assert f'action="{FEEDBACK_ES}"' in article
    assert f'<input type="hidden" name="page" value="{ARTICLE_ES}">' in article
    response = client.post(FEEDBACK_ES, {"page": ARTICLE_ES, "helpful": "no"}, **SAME_ORIGIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/es/feedback/thanks/?")
    thanks = client.get(response["Location"])
    page = thanks.content.decode()
    assert '<html lang="es">' in page
    text = main_text(thanks)
    assert "Gracias por su respuesta." in text
    assert "¿Qué faltó o qué no quedó claro? (opcional)" in text
    assert f'<a href="{ARTICLE_ES}">Volver a la página</a>' in page
    assert english_words_in(text) == set(), text
    assert answers_of(ARTICLE_ES) == (0, 1) and answers_of(ARTICLE_EN) == (0, 0)


def test_a_spanish_answer_with_javascript_gets_spanish_json(client, site):
    response = client.post(
        FEEDBACK_ES, {"page": ARTICLE_ES, "helpful": "yes"}, HTTP_ACCEPT="application/json",
        **SAME_ORIGIN,
    )  # fmt: skip
    assert response.json() == {"outcome": "answered", "message": "Gracias por su respuesta."}
    assert answers_of(ARTICLE_ES) == (1, 0)


def test_a_spanish_comment_too_long_gets_a_spanish_error_next_to_the_box(client, site):
    response = client.post(
        FEEDBACK_ES, {"page": ARTICLE_ES, "helpful": "no", "comment": "x" * 301}, **SAME_ORIGIN
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'<p class="field-error" id="page-feedback-error">(.*?)</p>\s*<textarea',
                      page, re.S)  # fmt: skip
    assert error and "Por favor, acorte su comentario a 300 caracteres o menos." in error[1]
    assert english_words_in(main_text(response)) == set()
    assert FeedbackComment.objects.count() == 0


def test_a_spanish_address_without_a_spanish_version_is_not_counted(client, site, make_article):
    """That address is the "no Spanish version" page: it asks nothing, and a post naming
    it (or an address that does not exist) is stored nowhere."""
    make_article(slug="english-only")
    assert client.get("/es/articles/english-only/").status_code == 404
    for path in ("/es/articles/english-only/", "/es/no-such-page/"):
        client.post(FEEDBACK_ES, {"page": path, "helpful": "yes"}, **SAME_ORIGIN)
        beacon(client, path, **SAME_ORIGIN)
        assert answers_of(path) == (0, 0) and views_of(path) == 0
    client.post(FEEDBACK, {"page": "/articles/english-only/", "helpful": "yes"}, **SAME_ORIGIN)
    assert answers_of("/articles/english-only/") == (1, 0)  # the English page counts


def test_a_spanish_page_view_is_counted_at_its_own_address(client, site):
    assert beacon(client, ARTICLE_ES, **SAME_ORIGIN).status_code == 204
    assert views_of(ARTICLE_ES) == 1 and views_of(ARTICLE_EN) == 0


# --- The catalogs ------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_interface_string_of_the_template_has_spanish(template):
    source = Path(settings.BASE_DIR, "templates", template)
    with source.open("rb") as file:
        found = [entry[2] for entry in babel_extract(file, ["_"], [], {})]
    messages = [m[0] if isinstance(m, tuple) else m for m in found]
    assert messages, template
    with translation.override("es"):
        missing = [m for m in messages if m not in SAME_IN_SPANISH and translation.gettext(m) == m]
    assert missing == []


@pytest.mark.parametrize("app", CATALOGS)
def test_the_committed_mo_file_is_the_po_file_compiled(app):
    folder = Path(settings.BASE_DIR, app, "locale", "es", "LC_MESSAGES")
    with (folder / "django.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog
    written = po_entries((folder / "django.po").read_text(encoding="utf-8"))
    compiled.pop("", None)
    assert compiled == written


def po_entries(text: str) -> dict[str, str]:
    """{msgid: msgstr} of a .po file (header left out): the simple form our files use,
    with no plurals or contexts."""
    entries, key, parts = {}, None, {}
    for line in text.splitlines() + [""]:
        line = line.strip()
        match = re.match(r'(msgid|msgstr) (".*")$', line)
        if match:
            key = match[1]
            parts[key] = unquote(match[2])
        elif line.startswith('"') and key:
            parts[key] += unquote(line)
        elif not line and "msgstr" in parts:
            if parts["msgid"]:
                entries[parts["msgid"]] = parts["msgstr"]
            key, parts = None, {}
    return entries


def unquote(quoted: str) -> str:
    return quoted[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
