"""The content that follows the clinical review rule: everything a patient reads.

To add a model, register it here with the fields an editor may
change, and give its admin `ReviewedContentAdmin` (articles/review/admin.py) as a base.
"""

from clinic.models import Page, PageTranslation

from ..models import (
    PENDING_FIELDS,
    Article,
    ArticleTranslation,
    CitedSource,
    FAQEntry,
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    TriageSymptom,
    TriageTranslation,
    rerender_articles,
    rerender_care_cards,
)
from .registry import register
from .rules import translation_may_be_shown

register(Article, fields=PENDING_FIELDS, noun="article", drafts=True)
register(FAQEntry, fields=("question", "answer", "order"), noun="FAQ answer")
register(
    GlossaryTerm,
    fields=("term", "slug", "also", "definition"),
    noun="glossary entry",
    # Its own save renders the articles again, which link the first use of each term.
)
register(Page, fields=("title", "slug", "summary", "body"), noun="page")
register(
    CitedSource,
    fields=("key", "text", "url"),
    noun="source",
    after_save=rerender_articles,  # each citing article lists it under References
)
register(
    TriageSymptom,
    fields=("key", "level", "text"),
    noun="triage symptom",
    after_save=rerender_care_cards,  # every care card that lists it says what it says now
)

# Translations (issue 28: the same pending-change and REQUIRE_MEDICAL_REVIEW rules as
# English). Live while patients may read one; its change carries the translated text,
# who translated it and when, and the English it translates (a translation brought up
# to date waits too). Approval records the reviewer's review of it (workflow.approve).
TRANSLATION_FIELDS = ("language", "translator", "translated_on")
ENGLISH_TRANSLATED = ("english_fingerprint", "english_text_translated", "english_sha256")


def register_translation(
    model, english: tuple[str, ...], text: tuple[str, ...], noun: str, read_as=None
):
    """`english`: the foreign key to the English item; `text`: its translated fields;
    `read_as`: what the reviewer compares instead of them, if they are data, not text."""
    shown = translation_may_be_shown if model is ArticleTranslation else model.may_be_shown
    register(
        model,
        fields=(*english, *TRANSLATION_FIELDS, *text, *ENGLISH_TRANSLATED),
        noun=noun,
        shown=shown,
        compared=(*(read_as or text), "translator", "translated_on"),
    )


register_translation(
    ArticleTranslation, ("article",), ("title", "summary", "body"), "article translation"
)
register_translation(PageTranslation, ("page",), ("title", "summary", "body"), "page translation")
register_translation(
    FAQEntryTranslation, ("entry",), ("question", "answer"), "FAQ answer translation"
)
register_translation(
    GlossaryTermTranslation,
    ("glossary_term",),
    ("term", "also", "definition"),
    "glossary entry translation",
)
register_translation(
    TriageTranslation,
    (),
    ("level_headings", "symptom_texts"),
    "triage data translation",
    read_as=("levels", "symptoms"),  # one paragraph per heading or symptom
)
