"""What the Spanish pages may show (issue 28): for each English item, the translation
patients may read in a language, or None. Never a silent fallback to English: None
means the page says it has no version in that language and links to the English one.

A translation is shown only when its own review satisfies the rule English text follows
(REQUIRE_MEDICAL_REVIEW on: only a translation a clinician reviewed exactly as it is). A
stale translation is still returned: its `is_stale` says the English changed since the
version it translates, and `english_changed_on` when, so the page can say so at the top.

    shown_translation(article_or_faq_entry_or_glossary_term_or_page, "es")
    shown_faq_translations("es")       # {FAQEntry id: translation}, for the FAQ page
    shown_glossary_translations("es")  # {GlossaryTerm id: translation}, for the glossary
    shown_triage_translation("es")     # the symptoms' texts and the levels' headings
"""

from clinic.models import Page, shown_page_translation

from .models import (
    Article,
    FAQEntry,
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    TriageTranslation,
)
from .review import translation_may_be_shown


def shown_translation(english, language: str):
    """The translation of an article, FAQ answer, glossary entry or page that patients
    may read in `language`, or None."""
    if isinstance(english, Page):
        return shown_page_translation(english, language)
    if not isinstance(english, Article | FAQEntry | GlossaryTerm):
        raise TypeError(f"{type(english).__name__} has no translations.")
    translation = english.translations.filter(language=language).first()
    if translation is None:
        return None
    allowed = (
        translation_may_be_shown(translation)  # the article must be on the site too
        if isinstance(english, Article)
        else translation.may_be_shown()
    )
    return translation if allowed else None


def shown_faq_translations(language: str) -> dict[int, FAQEntryTranslation]:
    """Every FAQ answer's translation patients may read, by the English entry's id (the
    FAQ page lists the English order; an answer without one is left out or linked)."""
    translations = FAQEntryTranslation.objects.filter(language=language).select_related("entry")
    return {t.entry_id: t for t in translations if t.may_be_shown()}


def shown_glossary_translations(language: str) -> dict[int, GlossaryTermTranslation]:
    """Every glossary entry's translation patients may read, by the English term's id."""
    translations = GlossaryTermTranslation.objects.filter(language=language).select_related(
        "glossary_term"
    )
    return {t.glossary_term_id: t for t in translations if t.may_be_shown()}


def shown_triage_translation(language: str) -> TriageTranslation | None:
    """The triage data's translation patients may read (`symptom_text(key)`,
    `level_heading(level)`), or None."""
    translation = TriageTranslation.objects.filter(language=language).first()
    return translation if translation is not None and translation.may_be_shown() else None
