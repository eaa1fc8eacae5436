"""Translations of FAQ answers, glossary entries and the triage data: records of their
own (issue 28), each with its translator, the English text it translates and its own
clinical review (the shared fields and rules: clinic/translation.py; articles:
translation.py). Their files are content/es/faq.md, glossary.yaml and triage.yaml
(articles/translation_sets.py reads and writes them)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from markdownx.models import MarkdownxField

from clinic.translation import TranslationRecord
from foundation.content_version import invalidate
from foundation.languages import spanish_version_of
from foundation.revisions import normalise_newlines

from .faq_and_glossary import FAQEntry, GlossaryTerm, refuse_form_clashes
from .triage import TriageLevel, TriageSymptom


class FAQEntryTranslation(TranslationRecord):
    """The translation of one FAQ answer (its question and answer)."""

    TRANSLATED_FIELDS = ("question", "answer")
    ENGLISH = "entry"

    entry = models.ForeignKey(FAQEntry, on_delete=models.CASCADE, related_name="translations")
    question = models.CharField(max_length=300)
    answer = MarkdownxField(help_text="The translated answer in Markdown (the same care cards).")
    answer_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["entry__order", "entry__pk", "language"]
        verbose_name = "FAQ answer translation"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "language"], name="one_faq_translation_per_language"
            )
        ]

    def render(self) -> None:
        """The answer's HTML, by the English answer's renderer (the same care cards)."""
        self.answer = normalise_newlines(self.answer)
        self.answer_html = self.rendered_in_its_language().html

    def rendered_in_its_language(self):
        """As an article translation renders: the cards' own words in the translation's
        language, their symptoms from the Spanish triage data once patients may read it."""
        with translation.override(self.language):
            triage = spanish_version_of("when_to_get_help")
            if triage is None:  # the English words, marked as English (never passed off)
                triage = TriageSymptom.marked_english_triage(self.language)
            return FAQEntry.rendered(self.answer, triage=triage)

    def clean(self) -> None:
        problems = FAQEntry.answer_problems(self.answer)  # what the English answer refuses
        if problems:
            raise ValidationError({"answer": problems})

    def rerender(self) -> bool:
        """Render the answer again (its care cards follow the triage data)."""
        html = self.rendered_in_its_language().html
        if html == self.answer_html:
            return False
        self.answer_html = html
        FAQEntryTranslation.objects.filter(pk=self.pk).update(answer_html=html)
        invalidate()  # update() sends no post_save: cached pages must still follow
        return True

    def content_state(self) -> dict:
        return {
            "question": self.question,
            "en": self.entry.question,
            "answer": self.answer.strip(),
            **self.common_state(),
        }


class GlossaryTermTranslation(TranslationRecord):
    """The translation of one glossary entry: its term, other forms and definition."""

    TRANSLATED_FIELDS = ("term", "also", "definition")
    ENGLISH = "glossary_term"

    glossary_term = models.ForeignKey(
        GlossaryTerm, on_delete=models.CASCADE, related_name="translations"
    )
    term = models.CharField(max_length=100)
    also = models.TextField(
        "other forms", blank=True, help_text="Other forms as the translated pages write them."
    )
    definition = MarkdownxField()
    definition_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["glossary_term__term", "language"]
        verbose_name = "glossary entry translation"
        constraints = [
            models.UniqueConstraint(
                fields=["glossary_term", "language"], name="one_glossary_translation_per_language"
            )
        ]

    def render(self) -> None:
        self.also = normalise_newlines(self.also)
        self.definition = normalise_newlines(self.definition)
        self.definition_html = GlossaryTerm.rendered(self.definition).html

    # The same forms as an English entry's, checked against the other entries of its
    # language (the Spanish pages link the first use of each, as the English ones do).
    other_forms = GlossaryTerm.other_forms
    forms = GlossaryTerm.forms

    def clean(self) -> None:
        others = GlossaryTermTranslation.objects.filter(language=self.language)
        refuse_form_clashes(self, others.exclude(pk=self.pk))

    def content_state(self) -> dict:
        return {
            "term": self.term,
            "slug": self.glossary_term.slug,
            "also": self.other_forms(),
            "definition": self.definition.strip(),
            **self.common_state(),
        }


def english_triage(symptoms: list[dict] | None = None) -> dict[str, str]:
    """The English triage data as a translation of it covers it: the level headings and
    each symptom (key, level, text), one per paragraph, read as text. `symptoms`: as
    content/triage.yaml gives them (by default the stored ones)."""
    if symptoms is None:
        symptoms = [s.content_state() for s in TriageSymptom.objects.all()]
    return {
        "levels": triage_text([{"key": k, "heading": label} for k, label in TriageLevel.choices]),
        "symptoms": triage_text(symptoms),
    }


def triage_text(items: list[dict]) -> str:
    """Levels ({key, heading}) or symptoms ({key, level, text}) as paragraphs, one each:
    what the fingerprints cover and staff compare word by word."""
    lines = []
    for item in items:
        where = f"{item['key']} ({item['level']})" if "level" in item else item["key"]
        lines.append(f"{where}: {item.get('heading', item.get('text', ''))}")
    return "\n\n".join(lines)


class TriageTranslation(TranslationRecord):
    """The translation of the triage data, one per language: every level's heading and
    every symptom's text (keys and levels stay the English ones). One record, as the
    data is one list on /when-to-get-help/ and in every care card."""

    TRANSLATED_FIELDS = ("levels", "symptoms")

    # {key, heading} per level and {key, level, text} per symptom, in the file's order.
    level_headings = models.JSONField(default=list)
    symptom_texts = models.JSONField(default=list)

    class Meta:
        ordering = ["language"]
        verbose_name = "triage data translation"
        constraints = [
            models.UniqueConstraint(fields=["language"], name="one_triage_translation_per_language")
        ]

    def __str__(self) -> str:
        return f"When to get help ({self.get_language_display()})"

    # The fields the shared record fingerprints and compares, as text.
    @property
    def levels(self) -> str:
        return triage_text(self.level_headings)

    @property
    def symptoms(self) -> str:
        return triage_text(self.symptom_texts)

    def english_item(self) -> None:
        return None  # the English is the whole triage data, not one item

    def english_text_now(self) -> dict[str, str]:
        return english_triage()

    @property
    def english_changed_on(self) -> datetime.date:
        """The day a symptom last changed (its last saved revision)."""
        last = TriageSymptom.history.order_by("-history_date").first()
        return timezone.localdate(last.history_date) if last else timezone.localdate()

    def clean(self) -> None:
        """The shape the pages read: every level once, in order, with a heading; each
        symptom a key, its level and a text (a level is where the English sends it:
        the English decides, this only words it)."""
        errors = {}
        levels = self.level_headings
        if (
            not isinstance(levels, list)
            or not all(
                isinstance(lv, dict) and str(lv.get("heading") or "").strip() for lv in levels
            )
            or [lv.get("key") for lv in levels] != TriageLevel.values
        ):
            errors["level_headings"] = (
                "Give each level once, in this order, with its heading: "
                + ", ".join(TriageLevel.values)
                + ' (e.g. [{"key": "emergency", "heading": "…"}, …]).'
            )
        symptoms = self.symptom_texts
        if not isinstance(symptoms, list) or not all(
            isinstance(s, dict)
            and s.get("key")
            and s.get("level") in TriageLevel.values
            and str(s.get("text") or "").strip()
            for s in symptoms
        ):
            errors["symptom_texts"] = (
                'Give each symptom as {"key": …, "level": …, "text": …}, with the English '
                "symptom's key and level and a translated text."
            )
        if errors:
            raise ValidationError(errors)

    def symptom_text(self, key: str) -> str | None:
        return next((s["text"] for s in self.symptom_texts if s["key"] == key), None)

    def level_heading(self, key: str) -> str | None:
        return next((lv["heading"] for lv in self.level_headings if lv["key"] == key), None)

    def content_state(self) -> dict:
        return {
            "levels": self.level_headings,
            "symptoms": self.symptom_texts,
            **self.common_state(),
        }


__all__ = [
    "FAQEntryTranslation",
    "GlossaryTermTranslation",
    "TriageTranslation",
    "english_triage",
]
