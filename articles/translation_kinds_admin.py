"""The admins of the translations of the clinic's pages, FAQ answers, glossary entries
and the triage data: the article translations' admin (translation_admin.py), with each
kind's fields and the English file it records when brought up to date."""

import hashlib

from django.contrib import admin

from clinic.content_files import page_file_text
from clinic.models import PageTranslation

from .models import FAQEntryTranslation, GlossaryTermTranslation, TriageTranslation
from .translation_admin import TranslationAdmin
from .translation_sets import (
    english_faq_text,
    english_glossary_text,
    english_triage_text,
    sha256_text,
)

REVIEW_DATES = ["translator", "translated_on", "next_review_due"]


@admin.register(PageTranslation)
class PageTranslationAdmin(TranslationAdmin):
    edit_fields = ["page", "language", "title", "summary", "body", *REVIEW_DATES]
    list_display = ["title", "page", "language", "translator", "english_text", "medical_review"]
    list_select_related = ["page", "reviewer"]
    search_fields = ["title", "summary", "body", "page__title", "page__slug"]

    def english_sha256_now(self, translation: PageTranslation) -> str:
        text = page_file_text(translation.page.content_state())
        return hashlib.sha256(text.encode()).hexdigest()


@admin.register(FAQEntryTranslation)
class FAQEntryTranslationAdmin(TranslationAdmin):
    edit_fields = ["entry", "language", "question", "answer", *REVIEW_DATES]
    list_display = ["question", "entry", "language", "english_text", "medical_review"]
    list_select_related = ["entry", "reviewer"]
    search_fields = ["question", "answer", "entry__question"]

    def english_sha256_now(self, translation: FAQEntryTranslation) -> str:
        return sha256_text(english_faq_text())


@admin.register(GlossaryTermTranslation)
class GlossaryTermTranslationAdmin(TranslationAdmin):
    edit_fields = ["glossary_term", "language", "term", "also", "definition", *REVIEW_DATES]
    list_display = ["term", "glossary_term", "language", "english_text", "medical_review"]
    list_select_related = ["glossary_term", "reviewer"]
    search_fields = ["term", "also", "definition", "glossary_term__term"]

    def english_sha256_now(self, translation: GlossaryTermTranslation) -> str:
        return sha256_text(english_glossary_text())


@admin.register(TriageTranslation)
class TriageTranslationAdmin(TranslationAdmin):
    edit_fields = ["language", "level_headings", "symptom_texts", *REVIEW_DATES]
    list_display = ["__str__", "language", "english_text", "medical_review"]
    list_select_related = ["reviewer"]

    def english_sha256_now(self, translation: TriageTranslation) -> str:
        return sha256_text(english_triage_text())
