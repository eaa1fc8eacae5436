"""A translation of an article: a record of its own, with its translator, the English text
it translates, and its own clinical review (issue 28; content/es/README.md). What the
fields shared by every kind of translation mean: clinic/translation.py.

For an article, `english_fingerprint` covers the English title, summary and body. Cited
sources are left out, unlike the review fingerprint (reviewed_text_fingerprint):
references stay in English on the Spanish page, so a corrected source does not make the
Spanish text wrong.

The Spanish text is rendered by the article's own renderer (Article.rendered): the same
citations, care cards and images as the English page.
"""

from django.db import models
from django.utils import translation
from markdownx.models import MarkdownxField

from clinic.translation import Language, TranslationRecord, fields_fingerprint, fields_text
from foundation.content_format import SUMMARY_MAX_LENGTH
from foundation.content_version import invalidate
from foundation.languages import spanish_version_of
from foundation.revisions import normalise_newlines

from .article import Article
from .triage import TriageSymptom

# The fields a translator translates, and the fingerprints cover.
TRANSLATED_FIELDS = ("title", "summary", "body")

__all__ = ["TRANSLATED_FIELDS", "ArticleTranslation", "Language", "text_fingerprint"]


def text_fingerprint(source) -> str:
    """SHA-256 of the title, summary and body of an article, a translation or a dict of
    them (what `english_fingerprint` and a translation's review cover)."""
    return fields_fingerprint(source, TRANSLATED_FIELDS)


def translated_text(source) -> dict[str, str]:
    """The title, summary and body of an article as `english_text_translated` keeps them."""
    return fields_text(source, TRANSLATED_FIELDS)


class ArticleTranslation(TranslationRecord):
    TRANSLATED_FIELDS = TRANSLATED_FIELDS
    ENGLISH = "article"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
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

    class Meta:
        ordering = ["article__order", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="one_translation_per_language"
            )
        ]

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
        the Spanish triage data when patients may read it (spanish_version_of, the Spanish
        "When to get help"), else the English data's words marked lang="en"."""
        with translation.override(language):
            triage = spanish_version_of("when_to_get_help")
            if triage is None:  # the English words, marked as English (never passed off)
                triage = TriageSymptom.marked_english_triage(language)
            return Article.rendered(body, triage=triage)

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

    def content_state(self) -> dict:
        """The fields a content/es file carries that belong to the translation, in the
        form translation_files.parse_translation gives (the English article's topic and
        order are written from the article). A review is part of it only while current."""
        return {
            "title": self.title,
            "slug": self.article.slug,
            "summary": self.summary,
            **self.common_state(),
            "body": self.body.strip(),
        }
