"""The Spanish pages (issue 28): a translation is shown under /es/ only when its review rules
allow, says at the top when the English changed since, and the Spanish pages carry no
English interface text; hreflang pairs in the head and the sitemap only where both
languages exist."""

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real

from articles.models import ArticleTranslation, TriageSymptom
from clinic.models import Page
from tests.reviewing import a_clinician, sign_off
from tests.spanish_records import translate_everything

PO_FILE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Other parts of the site whose Spanish is looked after with their own pages and tests.
NOT_HERE = {"inquiries", "search"}
ENGLISH_CHANGED_ON = datetime.date(2026, 12, 4)
SPANISH_BODY = (
    "## Antes de la sesión\n\nNo coma nada durante seis horas.\n\n"
    "## Durante la sesión\n\nUn miembro del equipo se queda con usted.\n\n"
    "## Después de la sesión\n\nNo maneje hasta el día siguiente.\n"
)


def po_entries() -> dict[str, str]:
    """msgid -> msgstr of the Spanish catalogue's source (one line each, as it is written)."""
    entries, msgid = {}, None
    for line in PO_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = unquote(line[6:])
        elif line.startswith("msgstr ") and msgid:
            entries[msgid] = unquote(line[7:])
    return entries


def unquote(text: str) -> str:
    return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def template_strings() -> set[str]:
    """Every literal the public templates pass to _()."""
    literal = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).parts[0] in NOT_HERE:
            continue
        for match in literal.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) if match.group(1) is not None else match.group(2))
    return found


def english_phrases() -> list[str]:
    """Pieces of the English interface (between tags and placeholders, long enough to be
    words of a sentence rather than a name) that a Spanish page must never show."""
    pieces = set()
    for msgid, msgstr in po_entries().items():
        if msgid == msgstr:
            continue
        for piece in re.split(r"<[^>]+>|%\(\w+\)s", msgid):
            piece = piece.strip(" .,:;?!()")
            if len(piece) >= 12 and piece not in msgstr:
                pieces.add(piece)
    return sorted(pieces)


@pytest.fixture
def spanish(db, make_article):
    """An English article with a reviewed Spanish translation, and one without any."""
    article = make_article(title="A treatment day", slug="a-treatment-day", order=1)
    sign_off(article)
    translation = ArticleTranslation(
        article=article,
        title="Un día de tratamiento",
        summary="Qué pasa antes, durante y después de una sesión de ketamina.",
        body=SPANISH_BODY,
        translator="Ana Traductora",
        translated_on=datetime.date(2026, 11, 30),
    )
    translation.translates_current_english()
    translation.record_review(a_clinician("Dra. Revisora", "MD"), datetime.date(2026, 12, 1))
    translation.save()
    make_article(title="Costs and insurance", slug="costs-and-insurance", order=2)
    Page.objects.update_or_create(
        slug="privacy", defaults={"title": "Privacy notice", "body": "How we use data."}
    )
    return translation


def test_every_interface_string_of_the_templates_has_its_spanish(db):
    entries = po_entries()
    missing = sorted(s for s in template_strings() if not entries.get(s))
    assert not missing, f"no Spanish in locale/es/LC_MESSAGES/django.po for: {missing}"
    # The committed .mo says what the .po says (compile it again after editing the .po).
    catalog = trans_real.translation("es")._catalog
    stale = sorted(msgid for msgid, msgstr in entries.items() if catalog.get(msgid) != msgstr)
    assert not stale, f"django.mo is older than django.po for: {stale}"


SPANISH_PAGES = [
    "/es/",
    "/es/articles/",
    "/es/articles/a-treatment-day/",
    "/es/articles/costs-and-insurance/",  # no Spanish version: says so
    "/es/faq/",
    "/es/glossary/",
    "/es/when-to-get-help/",
    "/es/privacy/",
    "/es/accessibility/",
    "/es/check-your-mood/",
    "/es/no-such-page/",
]
# Shown in Spanish (200) when every kind of translation exists, unreviewed and stale.
SHOWN_IN_SPANISH = {
    "/es/",
    "/es/articles/",
    "/es/articles/a-treatment-day/",
    "/es/faq/",
    "/es/glossary/",
    "/es/when-to-get-help/",
    "/es/privacy/",
    "/es/accessibility/",
}


@pytest.fixture
def spanish_everywhere(spanish, make_faq, settings):
    """Besides the article: the FAQ, glossary, triage data and trust pages in Spanish,
    not yet reviewed (shown with review off) and stale, so every notice is on the page."""
    settings.REQUIRE_MEDICAL_REVIEW = False
    records = translate_everything(make_faq, reviewed=False)
    for english, field in (
        (records["faq"].entry, "answer"),
        (records["glossary"].glossary_term, "definition"),
        (records["privacy"].page, "body"),
    ):
        setattr(english, field, getattr(english, field) + " Changed.")
        english.save()
    symptom = TriageSymptom.objects.first()
    symptom.text += " now"
    symptom.save()
    return records


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_spanish_pages_have_no_english_interface_text(client, spanish_everywhere, path):
    client.get("/articles/a-treatment-day/")  # the English parts kept first, as a worker would
    client.get(path.removeprefix("/es"))
    response = client.get(path)
    assert response.status_code == (200 if path in SHOWN_IN_SPANISH else 404)
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "marque 2 para español" in html and "AYUDA" in html  # the crisis notice
    shown = [phrase for phrase in english_phrases() if phrase in html]
    assert not shown, f"English interface text on {path}: {shown}"
    assert 'hreflang="en" lang="en">Read this page in English</a>' in html


def test_english_pages_stay_english_at_their_addresses(client, spanish):
    html = client.get("/articles/a-treatment-day/").content.decode()
    assert '<html lang="en">' in html and "In crisis or thinking about suicide?" in html
    assert "Un día de tratamiento" not in html
    assert '<a href="/es/articles/a-treatment-day/" hreflang="es" lang="es">' in html


def test_reviewed_translation_is_shown_with_its_translator_and_review(client, spanish):
    response = client.get("/es/articles/a-treatment-day/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Un día de tratamiento</h1>" in html
    assert "No maneje hasta el día siguiente." in html
    assert "Traducción del inglés: Ana Traductora" in html
    assert "Revisado por Dra. Revisora, MD, el" in html and "1 de diciembre de 2026" in html
    assert "stale-notice" not in html
    assert '"inLanguage": "es"' in html and 'content="es_US"' in html


def test_stale_translation_says_so_until_it_is_updated_and_reviewed_again(client, spanish):
    english = spanish.article
    english.body += "\n\nDrink a glass of water when you get home.\n"
    english.text_updated_on = ENGLISH_CHANGED_ON
    english.save()

    html = client.get("/es/articles/a-treatment-day/").content.decode()
    notice = re.search(r'<div class="stale-notice".*?</div>', html, re.S).group(0)
    assert "La versión en inglés de este artículo cambió" in notice
    assert "4 de diciembre de 2026" in notice
    assert 'href="/articles/a-treatment-day/" hreflang="en"' in notice
    assert html.index("stale-notice") < html.index("<h1>")  # at the top

    translation = ArticleTranslation.objects.get(pk=spanish.pk)
    translation.body += "\nTome un vaso de agua cuando llegue a casa.\n"
    translation.translates_current_english()
    translation.record_review(a_clinician("Dra. Revisora", "MD"))
    translation.save()
    html = client.get("/es/articles/a-treatment-day/").content.decode()
    assert "stale-notice" not in html
    assert "Tome un vaso de agua cuando llegue a casa." in html
    assert "Revisado por Dra. Revisora" in html


def test_with_review_required_an_unreviewed_translation_is_not_shown(client, spanish, settings):
    settings.REQUIRE_MEDICAL_REVIEW = True
    translation = ArticleTranslation.objects.get(pk=spanish.pk)
    translation.body += "\nUna frase que nadie revisó.\n"
    translation.save()  # the review no longer covers this text

    response = client.get("/es/articles/a-treatment-day/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Esta página todavía no está en español" in html
    assert 'href="/articles/a-treatment-day/" hreflang="en"' in html
    assert "Una frase que nadie revisó" not in html and "Un día de tratamiento" not in html
    assert "Un día de tratamiento" not in client.get("/es/articles/").content.decode()
    english = client.get("/articles/a-treatment-day/").content.decode()
    assert 'rel="alternate" hreflang="es"' not in english

    settings.REQUIRE_MEDICAL_REVIEW = False
    translation.save()  # a save moves the content version on: the rule is read again
    html = client.get("/es/articles/a-treatment-day/").content.decode()
    assert "Todavía no revisado" in html and "Una frase que nadie revisó" in html


def test_spanish_index_lists_only_spanish_articles(client, spanish):
    html = client.get("/es/articles/").content.decode()
    assert 'href="/es/articles/a-treatment-day/">Un día de tratamiento</a>' in html
    assert "Costs and insurance" not in html
    assert "El tratamiento y qué esperar" in html or "Entender la terapia" in html


def test_hreflang_pairs_in_the_head_only_where_both_languages_exist(client, spanish):
    for path in ("/articles/a-treatment-day/", "/es/articles/a-treatment-day/"):
        html = client.get(path).content.decode()
        assert (
            '<link rel="alternate" hreflang="en" href="http://testserver/articles/a-treatment-day/">'
            in html
        )
        assert (
            '<link rel="alternate" hreflang="es" href="http://testserver/es/articles/a-treatment-day/">'
            in html
        )
        assert (
            '<link rel="alternate" hreflang="x-default" href="http://testserver/articles/a-treatment-day/">'
            in html
        )
    for path in ("/articles/costs-and-insurance/", "/es/articles/costs-and-insurance/", "/faq/"):
        assert '<link rel="alternate" hreflang' not in client.get(path).content.decode(), path


def test_sitemap_lists_spanish_pages_with_hreflang_pairs(client, spanish):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    pairs = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    both = {
        "en": "http://testserver/articles/a-treatment-day/",
        "es": "http://testserver/es/articles/a-treatment-day/",
        "x-default": "http://testserver/articles/a-treatment-day/",
    }
    assert pairs["http://testserver/articles/a-treatment-day/"] == both
    assert pairs["http://testserver/es/articles/a-treatment-day/"] == both
    assert pairs["http://testserver/es/"]["es"] == "http://testserver/es/"
    assert pairs["http://testserver/articles/costs-and-insurance/"] == {}
    assert not any("/es/articles/costs" in loc or "/es/faq/" in loc for loc in pairs)


def test_was_this_page_helpful_on_a_spanish_page_is_taken_and_answered_in_spanish(client, spanish):
    html = client.get("/es/articles/a-treatment-day/").content.decode()
    assert 'action="/es/feedback/"' in html and "¿Le fue útil esta página?" in html
    # The lists of pages are first built in this Spanish request: English pages still count.
    response = client.post(
        "/es/feedback/",
        {"page": "/es/articles/a-treatment-day/", "helpful": "yes"},
        HTTP_ACCEPT="application/json",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Gracias por su respuesta."
    response = client.post(
        "/feedback/",
        {"page": "/articles/a-treatment-day/", "helpful": "yes"},
        HTTP_ACCEPT="application/json",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.json()["message"] == "Thank you for your answer."


def test_care_cards_in_a_spanish_article_speak_spanish(client, spanish):
    translation = ArticleTranslation.objects.get(pk=spanish.pk)
    translation.body += '\n!!! emergency "Llame al 911 si:"\n    Le cuesta respirar.\n'
    translation.translates_current_english()
    translation.record_review(a_clinician("Dra. Revisora", "MD"))
    translation.save()
    html = client.get("/es/articles/a-treatment-day/").content.decode()
    assert 'care-card__label">Emergencia<' in html and "Le cuesta respirar." in html
    english = spanish.article
    english.body += '\n!!! emergency "Call 911 if:"\n    You cannot breathe.\n'
    english.save()
    assert (
        'care-card__label">Emergency<' in client.get("/articles/a-treatment-day/").content.decode()
    )


def test_a_translated_faq_is_shown_and_paired(client, make_faq, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    translate_everything(make_faq, reviewed=False)
    html = client.get("/es/faq/").content.decode()
    assert "<summary>¿Puedo manejar a casa?</summary>" in html
    assert "Can I drive home?" not in html
    assert "<h1>Preguntas y respuestas</h1>" in html
    english = client.get("/faq/").content.decode()
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/faq/">' in english
    assert "http://testserver/es/faq/" in client.get("/sitemap.xml").content.decode()


def test_a_draft_or_unknown_article_is_a_plain_404_and_an_old_address_redirects(
    client, spanish, make_article
):
    make_article(title="Draft", slug="a-draft", status="draft")
    for path in ("/es/articles/a-draft/", "/es/articles/no-such-article/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Esta página todavía no está en español" not in response.content.decode()
    article = spanish.article
    article.slug = "treatment-day"
    article.save()  # the old address is kept as a redirect (ArticleSlugRedirect)
    response = client.get("/es/articles/a-treatment-day/")
    assert response.status_code == 301 and response["Location"] == "/es/articles/treatment-day/"
    assert client.get("/es/articles/treatment-day/").status_code == 200
