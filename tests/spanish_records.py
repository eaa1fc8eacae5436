"""Spanish translation records of the FAQ, glossary, triage data and trust pages, made
as a translator and a reviewer would (tests of the Spanish pages)."""

import datetime

from articles.models import (
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    TriageSymptom,
    TriageTranslation,
)
from clinic.models import Page, PageTranslation
from tests.reviewing import a_clinician

REVIEWED_ON = datetime.date(2026, 12, 1)
SPANISH_HEADINGS = {
    "emergency": "Llame al 911 o vaya a la sala de emergencias ahora",
    "crisis": "Llame al 988 y marque 2 para español, o envíe AYUDA al 988, ahora",
    "clinic_today": "Llame a la clínica el mismo día",
    "soon": "Consulte a su propio médico o a la clínica en los próximos días",
}


def translated(record, reviewed: bool):
    """The record made from the English as it is now, reviewed or not, saved."""
    record.translator = "Ana Traductora"
    record.translated_on = datetime.date(2026, 11, 30)
    record.translates_current_english()
    if reviewed:
        record.record_review(a_clinician("Dra. Revisora", "MD"), REVIEWED_ON)
    record.save()
    return record


def translate_everything(make_faq, reviewed: bool) -> dict:
    entry = make_faq(question="Can I drive home?", answer="No. Ask someone to drive you.")
    term = GlossaryTerm.objects.create(
        term="Dissociation", slug="dissociation", definition="Feeling apart from your body."
    )
    TriageSymptom.objects.create(key="slow-breathing", level="emergency", text="Slow breathing")
    TriageSymptom.objects.create(key="bad-mood", level="soon", text="A low mood that stays")
    pages = {
        slug: Page.objects.update_or_create(
            slug=slug, defaults={"title": title, "summary": "About it.", "body": "English."}
        )[0]
        for slug, title in (("privacy", "Privacy notice"), ("accessibility", "Accessibility"))
    }
    return {
        "faq": translated(
            FAQEntryTranslation(
                entry=entry,
                question="¿Puedo manejar a casa?",
                answer="No. Pida a alguien que lo lleve.",
            ),
            reviewed,
        ),
        "glossary": translated(
            GlossaryTermTranslation(
                glossary_term=term, term="Disociación", definition="Sentirse separado del cuerpo."
            ),
            reviewed,
        ),
        "triage": translated(
            TriageTranslation(
                level_headings=[
                    {"key": k, "heading": SPANISH_HEADINGS[k]} for k in SPANISH_HEADINGS
                ],
                symptom_texts=[
                    {"key": "slow-breathing", "level": "emergency", "text": "Respiración lenta"},
                    {"key": "bad-mood", "level": "soon", "text": "Un ánimo bajo que no se va"},
                ],
            ),
            reviewed,
        ),
        **{
            slug: translated(
                PageTranslation(
                    page=page,
                    title={"privacy": "Aviso de privacidad", "accessibility": "Accesibilidad"}[
                        slug
                    ],
                    summary="Lo que hacemos.",
                    body="Guardamos sus mensajes {retention_days} días.",
                ),
                reviewed,
            )
            for slug, page in pages.items()
        },
    }
