"""The content that follows the clinical review rule: everything a patient reads.

To add a model, register it here with the fields an editor may
change, and give its admin `ReviewedContentAdmin` (articles/review/admin.py) as a base.
"""

from clinic.models import Page

from ..models import (
    PENDING_FIELDS,
    Article,
    CitedSource,
    FAQEntry,
    GlossaryTerm,
    TriageSymptom,
    rerender_articles,
    rerender_care_cards,
)
from .registry import register

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
