"""The articles app's models, by responsibility, each module importing only those below it:

- content_state: the fingerprint of an item's content/ state (import_content);
- triage: where a symptom sends a patient (care cards, /when-to-get-help/);
- faq_and_glossary: FAQ answers and glossary terms (their care cards read triage);
- article: the article, its rendering (glossary links, care cards), its review on record,
  its addresses;
- sources: the sources articles cite;
- review: changes waiting for a clinical reviewer, reminders, sent-back e-mails;
- translation: an article's translation, the English text it translates, its own review;
- translation_kinds: translations of FAQ answers, glossary entries and the triage data.

Two functions below look a model above them up by name (apps.get_model), as
citations.stored_sources does, so that no two modules import each other: a glossary term's
save renders the articles again (rerender_articles), and a symptom's key may not change
while a card uses it (pages_using_symptom).

Everything is imported here (the history models django-simple-history makes beside each
model with a history too): Django finds the models in articles.models, and the rest of the
project imports from articles.models only."""

from foundation.review_state import ReviewState

from .article import (
    PENDING_FIELDS,
    REVIEW_WARNING_DAYS,
    REVIEWED_FIELDS,
    TOC_MIN_HEADINGS,
    Article,
    ArticleQuerySet,
    ArticleSlugRedirect,
    HistoricalArticle,
    Status,
    Topic,
    article_path,
    cited_source_state,
    next_scheduled_publish,
    one_year_after,
    rerender_care_cards,
    reviewed_text_fingerprint,
)
from .content_state import ADDED_LATER, fingerprint
from .faq_and_glossary import (
    FAQEntry,
    GlossaryTerm,
    HistoricalFAQEntry,
    HistoricalGlossaryTerm,
    rerender_articles,
)
from .review import ChangeStatus, PendingChange, ReviewReminder, SentBackEmail
from .sources import CitedSource, HistoricalCitedSource
from .translation import (
    TRANSLATED_FIELDS,
    ArticleTranslation,
    Language,
    text_fingerprint,
    translated_text,
)
from .translation_kinds import (
    FAQEntryTranslation,
    GlossaryTermTranslation,
    TriageTranslation,
    english_triage,
)
from .triage import HistoricalTriageSymptom, TriageLevel, TriageSymptom, pages_using_symptom

__all__ = [
    "ADDED_LATER",
    "PENDING_FIELDS",
    "REVIEWED_FIELDS",
    "REVIEW_WARNING_DAYS",
    "TOC_MIN_HEADINGS",
    "TRANSLATED_FIELDS",
    "Article",
    "ArticleQuerySet",
    "ArticleSlugRedirect",
    "ArticleTranslation",
    "ChangeStatus",
    "CitedSource",
    "FAQEntry",
    "FAQEntryTranslation",
    "GlossaryTermTranslation",
    "TriageTranslation",
    "english_triage",
    "GlossaryTerm",
    "HistoricalArticle",
    "HistoricalCitedSource",
    "HistoricalFAQEntry",
    "HistoricalGlossaryTerm",
    "HistoricalTriageSymptom",
    "Language",
    "PendingChange",
    "ReviewReminder",
    "ReviewState",
    "SentBackEmail",
    "Status",
    "Topic",
    "TriageLevel",
    "TriageSymptom",
    "article_path",
    "cited_source_state",
    "fingerprint",
    "next_scheduled_publish",
    "one_year_after",
    "pages_using_symptom",
    "rerender_articles",
    "rerender_care_cards",
    "reviewed_text_fingerprint",
    "text_fingerprint",
    "translated_text",
]
