"""A translation of an article: a record of its own, with its translator, the English text
it translates, and its own clinical review (issue 28; content/es/README.md).

What "the English text it translates" means, exactly:

- `english_fingerprint` is `text_fingerprint(article)`: the SHA-256 of the English
  article's title, summary and body (newlines normalised, ends stripped, as JSON with
  sorted keys). Cited sources are left out, unlike the review fingerprint
  (reviewed_text_fingerprint): references stay in English on the Spanish page, so a
  corrected source does not make the Spanish text wrong.
- A translation is stale when that fingerprint differs from the one of the English
  article as it is now (`is_stale`). An empty fingerprint means "made from an English
  version the site does not have" (its file named an older English file): stale.
- `english_text_translated` keeps that English title, summary and body, so staff can see
  word by word what changed in the English since (articles/translation_admin.py).
- `english_sha256` is the SHA-256 of the English *file's* bytes the content/es file
  names; kept as given so export writes it back unchanged (a round trip is lossless).

The Spanish text is rendered by the article's own renderer (Article.rendered): the same
citations, care cards and images as the English page.
"""

import datetime
import hashlib
import json

from django.db import models
from django.utils import timezone, translation
from markdownx.models import MarkdownxField

from clinic.models import Clinician
from foundation.content_format import SUMMARY_MAX_LENGTH
from foundation.content_version import invalidate
from foundation.languages import spanish_version_of
from foundation.revisions import normalise_newlines

from .article import Article, one_year_after, review_state_of

# The fields a translator translates, and the fingerprints cover.
TRANSLATED_FIELDS = ("title", "summary", "body")


class Language(models.TextChoices):
    SPANISH = "es", "Spanish"


def text_fingerprint(source) -> str:
    """SHA-256 of the title, summary and body of an article, a translation or a dict of
    them (what `english_fingerprint` and a translation's review cover)."""
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, "")
    values = {name: normalise_newlines(str(get(name) or "")).strip() for name in TRANSLATED_FIELDS}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def translated_text(source) -> dict[str, str]:
    """The title, summary and body of an article as `english_text_translated` keeps them."""
    return {name: normalise_newlines(getattr(source, name) or "") for name in TRANSLATED_FIELDS}


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.SPANISH)
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=f"One plain sentence of at most {SUMMARY_MAX_LENGTH} characters.",
    )
    body = MarkdownxField(
        help_text=(
            "The translated article in Markdown, with the English article's citations "
            "[^key], care cards (the same symptom keys) and images, in the same order."
        )
    )
    body_html = models.TextField(editable=False, default="")
    headings = models.JSONField(editable=False, default=list)
    translator = models.CharField(
        max_length=300, help_text="Who translated this text, named honestly."
    )
    translated_on = models.DateField(null=True, blank=True)
    # See the module docstring: what the translation was made from.
    english_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    english_text_translated = models.JSONField(default=dict, blank=True, editable=False)
    english_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    reviewer = models.ForeignKey(
        Clinician,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations_reviewed",
        verbose_name="medical reviewer",
    )
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="The date a clinician last checked this translation."
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Left empty, it is set to one year after the review date."
    )
    # Fingerprint (text_fingerprint) of the translated text as the reviewer signed it off.
    reviewed_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Where it lives in content/ (content/es/articles/<name>.md), kept by export_content;
    # and the English file it names (translation_of).
    source_file = models.CharField(max_length=300, blank=True, editable=False)
    translation_of = models.CharField(max_length=300, blank=True, editable=False)
    # Fingerprint of the content/ file as last imported (as Article.source_hash): tells
    # import_content whether someone has edited the translation in the admin since.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article__order", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_language_display()})"

    def save(self, *args, **kwargs) -> None:
        self.render()
        if self.reviewed_on and not self.next_review_due:
            self.next_review_due = one_year_after(self.reviewed_on)
        super().save(*args, **kwargs)

    def render(self) -> None:
        """The body's HTML and headings, by the English article's renderer."""
        self.body = normalise_newlines(self.body)
        rendered = self.rendered_in_its_language()
        self.body_html, self.headings = rendered.html, rendered.headings

    def rendered_in_its_language(self):
        return self.rendered(self.body, self.language)

    @classmethod
    def rendered(cls, body: str, language: str = Language.SPANISH):
        """Article.rendered, with the translation's language active: the renderer's own
        words (the References heading, the care cards' labels and what to do) and its
        links (glossary, when to get help) are then the Spanish page's; the cards list
        the Spanish triage data once it is registered (spanish_version_of, the Spanish
        "When to get help"), the English data's until then."""
        with translation.override(language):
            return Article.rendered(body, triage=spanish_version_of("when_to_get_help"))

    def rerender(self) -> bool:
        """Render the body again (the glossary, sources, triage data or clinic numbers
        changed: care cards carry them) without counting as an edit. True if it changed."""
        rendered = self.rendered_in_its_language()
        headings = [list(pair) for pair in rendered.headings]  # as stored (JSON)
        if (rendered.html, headings) == (self.body_html, [list(p) for p in self.headings]):
            return False
        self.body_html, self.headings = rendered.html, rendered.headings
        ArticleTranslation.objects.filter(pk=self.pk).update(
            body_html=self.body_html, headings=self.headings
        )
        invalidate()  # update() sends no post_save: cached pages must still follow
        return True

    # --- The English text it translates -------------------------------------------------

    @property
    def is_stale(self) -> bool:
        """The English article changed (title, summary or body) since the version translated."""
        return self.english_fingerprint != text_fingerprint(self.article)

    @property
    def english_changed_on(self) -> datetime.date:
        """When the English text last changed in substance (its "text last updated" date;
        the day of its last save if it has none)."""
        article = self.article
        return article.text_updated_on or timezone.localdate(article.updated_at)

    def translates_current_english(self) -> None:
        """Record that this text translates the English article as it is now (saved by the
        caller; english_sha256 is set by whoever knows the English file, see
        translation_files.english_file_sha256)."""
        self.english_fingerprint = text_fingerprint(self.article)
        self.english_text_translated = translated_text(self.article)

    def english_then(self) -> Article:
        """The English text this was translated from, as an (unsaved) article to compare."""
        return Article(
            **{name: self.english_text_translated.get(name, "") for name in TRANSLATED_FIELDS}
        )

    def content_state(self) -> dict:
        """The fields a content/es file carries that belong to the translation, in the
        form translation_files.parse_translation gives (the English article's topic and
        order are written from the article). A review is part of it only while current."""
        current = self.review_is_current
        return {
            "title": self.title,
            "slug": self.article.slug,
            "summary": self.summary,
            "language": self.language,
            "translation_of": self.translation_of,
            "english_sha256": self.english_sha256,
            "translated_on": self.translated_on.isoformat() if self.translated_on else None,
            "translator": self.translator,
            "reviewer": self.reviewer.name if current else None,
            "reviewed_on": self.reviewed_on.isoformat() if current else None,
            "next_review_due": (
                self.next_review_due.isoformat() if current and self.next_review_due else None
            ),
            "review_fingerprint": self.reviewed_hash if current else None,
            "body": self.body.strip(),
        }

    # --- Its own clinical review --------------------------------------------------------

    @property
    def review_is_current(self) -> bool:
        """A reviewer signed off exactly this Spanish title, summary and body."""
        return bool(
            self.reviewer_id
            and self.reviewed_on
            and self.reviewed_hash
            and self.reviewed_hash == text_fingerprint(self)
        )

    def review_state(self, today: datetime.date | None = None) -> str:
        """ "reviewed", "overdue" or "not_reviewed", as for English articles (what the
        Spanish page's review label says)."""
        return review_state_of(self, today)

    def record_review(self, reviewer: Clinician, day: datetime.date | None = None) -> None:
        """Sign off the translation as it is now (saved by the caller)."""
        day = day or timezone.localdate()
        self.reviewer = reviewer
        self.reviewed_on = day
        self.next_review_due = one_year_after(day)
        self.reviewed_hash = text_fingerprint(self)
