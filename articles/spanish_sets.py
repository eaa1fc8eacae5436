"""The Spanish FAQ, glossary and "When to get help" (issue 28): the finders
foundation.languages.spanish_version_of asks for the pages made of many records
("articles:faq", "articles:glossary", "when_to_get_help"; registered in apps.py).

Each answer is built once per content version (English pages ask too, for their hreflang
links) and always with Spanish active, whichever page asks first: the one memo then holds
the Spanish answer, never an English address or label kept by an English request.

Stale and unreviewed are said per entry on the FAQ and the glossary (each answer and
definition is a translation of its own, translated and reviewed on its own day), and the
page also lists at the top the entries whose English changed. "When to get help" is one
translation: its notice is the page's.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from clinic.models import ClinicProfile
from foundation.care_cards import Triage
from foundation.content_version import per_content_version
from foundation.languages import SPANISH

from . import rendering
from .models import (
    FAQEntryTranslation,
    GlossaryTermTranslation,
    TriageLevel,
    TriageSymptom,
    TriageTranslation,
)
from .translation_queries import (
    shown_faq_translations,
    shown_glossary_translations,
    shown_triage_translation,
)


@dataclass(frozen=True)
class SpanishFAQEntry:
    """One Spanish answer as the FAQ page reads an entry: the English entry's pk (the
    same #faq-<pk> anchor in both languages), the translated question and answer."""

    pk: int
    question: str
    answer_html: str
    translation: FAQEntryTranslation
    is_stale: bool
    english_changed_on: datetime.date | None

    def review_state(self, today: datetime.date | None = None) -> str:
        return self.translation.review_state(today)


@dataclass(frozen=True)
class SpanishGlossaryEntry:
    """One Spanish definition, at the English entry's slug (/es/glossary/#<slug>)."""

    term: str
    slug: str
    definition_html: str
    translation: GlossaryTermTranslation
    is_stale: bool
    english_changed_on: datetime.date | None

    def review_state(self, today: datetime.date | None = None) -> str:
        return self.translation.review_state(today)


@dataclass(frozen=True)
class SpanishTriage(Triage):
    """The triage data in Spanish, as the care cards take it, with what the page says of
    its translation (stale since when, its review)."""

    translation: TriageTranslation | None = None
    is_stale: bool = False
    english_changed_on: datetime.date | None = None

    def review_state(self, today: datetime.date | None = None) -> str:
        return self.translation.review_state(today)


def changed_on(item) -> datetime.date | None:
    return item.english_changed_on if item.is_stale else None


@per_content_version
def spanish_faq() -> list[SpanishFAQEntry]:
    """The Spanish answers patients may read, in the English FAQ's order."""
    shown = shown_faq_translations(SPANISH)
    ordered = sorted(shown.values(), key=lambda t: (t.entry.order, t.entry.pk))
    return [
        SpanishFAQEntry(
            pk=t.entry_id,
            question=t.question,
            answer_html=t.answer_html,
            translation=t,
            is_stale=t.is_stale,
            english_changed_on=changed_on(t),
        )
        for t in ordered
    ]


@per_content_version
def spanish_glossary() -> list[SpanishGlossaryEntry]:
    """The Spanish definitions patients may read (the page sorts them by the Spanish term)."""
    return [
        SpanishGlossaryEntry(
            term=t.term,
            slug=t.glossary_term.slug,
            definition_html=t.definition_html,
            translation=t,
            is_stale=t.is_stale,
            english_changed_on=changed_on(t),
        )
        for t in shown_glossary_translations(SPANISH).values()
    ]


def spanish_triage(profile: ClinicProfile | None = None) -> SpanishTriage | None:
    """The triage data in Spanish, read now (a save renders cards with it): each English
    symptom at the level the English gives it (the English decides where a symptom sends
    a patient; the translation only words it), in the translation's words. A symptom the
    translation does not word yet keeps its English words rather than leaving the card:
    the translation is then stale, and the page says so. None: no translation patients
    may read."""
    translated = shown_triage_translation(SPANISH)
    if translated is None:
        return None
    english = TriageSymptom.objects.all()
    with translation.override(SPANISH):  # the address of the Spanish page
        help_url = reverse("when_to_get_help")
    headings = {
        level: translated.level_heading(level) or label for level, label in TriageLevel.choices
    }
    return SpanishTriage(
        symptoms={s.key: (s.level, translated.symptom_text(s.key) or s.text) for s in english},
        headings=headings,
        # Read afresh: this runs while a profile save renders the cards again.
        clinic=rendering.clinic_contacts(profile or ClinicProfile.load(), SPANISH),
        help_url=help_url,
        translation=translated,
        is_stale=translated.is_stale,
        english_changed_on=changed_on(translated),
    )


# What the pages read: once per content version (the English pages ask for hreflang).
spanish_triage_for_pages = per_content_version(spanish_triage)


def faq_finder(_name: str) -> list[SpanishFAQEntry] | None:
    return spanish_faq() or None


def glossary_finder(_name: str) -> list[SpanishGlossaryEntry] | None:
    return spanish_glossary() or None


def triage_finder(_name: str) -> SpanishTriage | None:
    return spanish_triage_for_pages()
