"""The Spanish FAQ, glossary, "When to get help" and trust pages (issue 28): each is shown
under /es/ from its own translation records when their review rules allow, says "not yet
reviewed" and, when the English changed since, says so at the top in Spanish with the
date and a link to the English page; the English page pairs with it (hreflang, sitemap)
only while it is shown."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from articles.models import (
    ArticleTranslation,
    FAQEntryTranslation,
    TriageLevel,
    TriageSymptom,
    TriageTranslation,
)
from clinic.models import Page
from tests.reviewing import sign_off
from tests.spanish_records import SPANISH_HEADINGS, translate_everything, translated

SPANISH_PAGES = [
    "/es/faq/",
    "/es/glossary/",
    "/es/when-to-get-help/",
    "/es/privacy/",
    "/es/accessibility/",
]


@pytest.fixture
def unreviewed(db, make_faq, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    return translate_everything(make_faq, reviewed=False)


@pytest.fixture
def reviewed(db, make_faq, settings):
    settings.REQUIRE_MEDICAL_REVIEW = True
    return translate_everything(make_faq, reviewed=True)


SHOWN = {
    "/es/faq/": "<summary>¿Puedo manejar a casa?</summary>",
    "/es/glossary/": ">Disociación</dt>",
    "/es/when-to-get-help/": "Respiración lenta",
    "/es/privacy/": "<h1>Aviso de privacidad</h1>",
    "/es/accessibility/": "<h1>Accesibilidad</h1>",
}


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_with_review_off_an_unreviewed_translation_is_shown_labelled(client, unreviewed, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert SHOWN[path] in html
    assert "Todavía no revisado" in html
    assert "AYUDA" in html and "marque 2 para español" in html  # the crisis notice
    assert "stale-notice" not in html
    if path in ("/es/faq/", "/es/glossary/"):  # said at the top too, and counted
        assert "todavía no ha revisado 1 de estas traducciones" in html
    english = client.get(path.removeprefix("/es")).content.decode()
    assert f'<link rel="alternate" hreflang="es" href="http://testserver{path}">' in english


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_with_review_on_an_unreviewed_translation_is_not_shown(client, unreviewed, path, settings):
    settings.REQUIRE_MEDICAL_REVIEW = True
    Page.objects.first().save()  # a save moves the content version on: the rule is read again
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Esta página todavía no está en español" in html
    assert f'href="{path.removeprefix("/es")}" hreflang="en"' in html
    assert SHOWN[path] not in html
    english = client.get(path.removeprefix("/es")).content.decode()
    assert 'rel="alternate" hreflang="es"' not in english
    assert f"http://testserver{path}" not in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_with_review_on_a_reviewed_translation_is_shown_and_paired(client, reviewed, path):
    html = client.get(path).content.decode()
    assert SHOWN[path] in html and "Todavía no revisado" not in html
    english = client.get(path.removeprefix("/es")).content.decode()
    assert f'<link rel="alternate" hreflang="es" href="http://testserver{path}">' in english
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver{path}</loc>" in sitemap


def test_reviewed_pages_name_translator_and_reviewer(client, reviewed):
    for path in ("/es/when-to-get-help/", "/es/privacy/"):
        html = client.get(path).content.decode()
        assert "Traducción del inglés: Ana Traductora" in html
        assert "Revisado por Dra. Revisora, MD, el" in html, path


def test_a_stale_faq_answer_says_so_at_the_top_and_in_the_answer(client, reviewed):
    entry = reviewed["faq"].entry
    entry.answer = "No. Ask someone to drive you, and do not drive until tomorrow."
    entry.save()
    with override("es"):
        changed = date_format(timezone.localdate(entry.history.first().history_date))

    html = client.get("/es/faq/").content.decode()
    top = re.search(r'<div class="stale-notice".*?</div>', html, re.S).group(0)
    assert "La versión en inglés de estas respuestas cambió" in top
    assert f'href="#faq-{entry.pk}">¿Puedo manejar a casa?</a>' in top
    assert html.index("stale-notice") < html.index("<h1>")
    answer = re.search(r'<details class="faq-item".*?</details>', html, re.S).group(0)
    assert "El texto en inglés se actualizó el" in answer
    assert f"El texto en inglés se actualizó el {changed}." in answer
    assert f'href="/faq/#faq-{entry.pk}" hreflang="en"' in answer

    translation = FAQEntryTranslation.objects.get(pk=reviewed["faq"].pk)
    translation.answer = "No. Pida a alguien que lo lleve y no maneje hasta mañana."
    translated(translation, reviewed=True)
    assert "stale-notice" not in client.get("/es/faq/").content.decode()


def test_a_stale_glossary_entry_says_so(client, unreviewed):
    term = unreviewed["glossary"].glossary_term
    term.definition = "Feeling apart from your body or your surroundings."
    term.save()
    html = client.get("/es/glossary/").content.decode()
    assert "La versión en inglés de estas definiciones cambió" in html
    assert 'href="#dissociation">Disociación</a>' in html
    assert 'href="/glossary/#dissociation" hreflang="en"' in html


def test_stale_triage_says_so_and_the_english_decides_the_level(client, reviewed):
    symptom = TriageSymptom.objects.get(key="bad-mood")
    symptom.level = TriageLevel.CLINIC_TODAY
    symptom.save()
    html = client.get("/es/when-to-get-help/").content.decode()
    notice = re.search(r'<div class="stale-notice".*?</div>', html, re.S).group(0)
    assert "La versión en inglés de esta página cambió" in notice
    assert 'href="/when-to-get-help/" hreflang="en"' in notice
    assert html.index("stale-notice") < html.index("<h1>")
    # The Spanish words, at the level the English sends the symptom to now.
    card = re.search(r'care-card--clinic_today".*?</div>\s*</div>', html, re.S).group(0)
    assert "Un ánimo bajo que no se va" in card
    assert "Llame a la clínica el mismo día" in card
    assert "care-card--soon" not in html


def test_a_stale_trust_page_says_so(client, reviewed):
    page = Page.objects.get(slug="privacy")
    page.body = "English, changed."
    page.save()
    html = client.get("/es/privacy/").content.decode()
    assert "La versión en inglés de esta página cambió" in html
    assert 'href="/privacy/" hreflang="en"' in html
    assert "Guardamos sus mensajes" in html


def test_spanish_article_cards_use_the_spanish_triage_and_the_spanish_address(
    client, reviewed, make_article
):
    """The English page asks first (its hreflang link), as a worker would: the Spanish
    triage it keeps still links the Spanish "When to get help"."""
    client.get("/when-to-get-help/")
    article = make_article(title="A treatment day", slug="a-treatment-day")
    sign_off(article)
    translation = ArticleTranslation(
        article=article,
        title="Un día de tratamiento",
        summary="Qué pasa en una sesión.",
        body="## Antes\n\nNo coma.\n\n!!! when-to-get-help\n    - slow-breathing\n",
    )
    translated(translation, reviewed=True)
    html = client.get("/es/articles/a-treatment-day/").content.decode()
    assert "Respiración lenta" in html and "Slow breathing" not in html
    assert SPANISH_HEADINGS["emergency"] in html
    assert 'href="/es/when-to-get-help/"' in html


def test_spanish_faq_cards_follow_the_spanish_triage_data(client, reviewed):
    answer = FAQEntryTranslation.objects.get(pk=reviewed["faq"].pk)
    answer.answer += "\n\n!!! when-to-get-help\n    - slow-breathing\n"
    translated(answer, reviewed=True)
    html = client.get("/es/faq/").content.decode()
    assert 'care-card__label">Emergencia<' in html and "Respiración lenta" in html
    assert "Slow breathing" not in html

    triage = TriageTranslation.objects.get(pk=reviewed["triage"].pk)
    triage.symptom_texts[0]["text"] = "Respira muy despacio"
    translated(triage, reviewed=True)
    html = client.get("/es/faq/").content.decode()
    assert "Respira muy despacio" in html and "Respiración lenta" not in html


def test_without_a_spanish_triage_patients_may_read_cards_mark_the_english_words(
    client, unreviewed, make_article, settings
):
    """REQUIRE_MEDICAL_REVIEW on, the Spanish triage data not reviewed: a reviewed Spanish
    article's cards keep the symptoms (a card never loses them) in English, marked so."""
    settings.REQUIRE_MEDICAL_REVIEW = True
    article = make_article(title="A treatment day", slug="a-treatment-day")
    sign_off(article)
    translated(
        ArticleTranslation(
            article=article,
            title="Un día de tratamiento",
            summary="Qué pasa en una sesión.",
            body="## Antes\n\nNo coma.\n\n!!! when-to-get-help\n    - slow-breathing\n",
        ),
        reviewed=True,
    )
    html = client.get("/es/articles/a-treatment-day/").content.decode()
    assert '<li lang="en">Slow breathing</li>' in html and "Respiración lenta" not in html
    assert '<span lang="en">Call 911 or go to the emergency room now</span>' in html
    assert 'care-card__label">Emergencia<' in html
