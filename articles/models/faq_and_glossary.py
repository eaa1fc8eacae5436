"""FAQ answers and glossary terms: short medical text with its own history, rendered on
save. A term's save renders the articles again, so each links its terms' first use."""

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from foundation.content_version import invalidate
from foundation.markdown import GlossaryLink, Rendered, cited_keys, render_markdown
from foundation.revisions import normalise_newlines, skip_history_if_unchanged

from ..citations import care_card_problems
from .triage import TriageSymptom


class FAQEntry(models.Model):
    question = models.CharField(max_length=300, unique=True)
    answer = MarkdownxField(
        help_text=(
            "Two to five sentences in Markdown, with a link to an article. A when-to-get-help "
            "care card works here too (see Formatting help)."
        )
    )
    answer_html = models.TextField(editable=False, default="")
    order = models.PositiveIntegerField(
        default=100, help_text="Position on the FAQ page (1 is shown first)."
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    search_document = SearchVectorField(null=True, editable=False)  # question B, answer C

    history = HistoricalRecords(excluded_fields=["answer_html", "search_document"])

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs) -> None:
        self.render()
        with skip_history_if_unchanged(self):
            super().save(*args, **kwargs)

    @classmethod
    def rendered(cls, answer: str, triage=None) -> Rendered:
        """The answer as the FAQ page shows it (care cards from `triage`, or the English
        triage data; no References list or glossary links): what a save stores and every
        preview shows."""
        return render_markdown(answer, triage=triage or TriageSymptom.triage_data())

    def render(self) -> None:
        self.answer = normalise_newlines(self.answer)
        self.answer_html = self.rendered(self.answer).html

    def rerender(self) -> bool:
        """Render the answer again (after the triage data or the clinic's phone numbers
        changed), without a new revision. True if the answer's HTML changed."""
        html = self.rendered(self.answer).html
        if html == self.answer_html:
            return False
        self.answer_html = html
        FAQEntry.objects.filter(pk=self.pk).update(answer_html=html)
        invalidate()  # update() sends no post_save: cached pages must still follow
        return True

    def clean(self) -> None:
        problems = self.answer_problems(self.answer)
        if problems:
            raise ValidationError({"answer": problems})

    @staticmethod
    def answer_problems(answer: str) -> list[str]:
        """What saving refuses in an answer (also shown above the editor's preview)."""
        problems = []
        if cited_keys(answer):
            problems.append(
                "An answer does not list sources: please remove the [^key] "
                "markers and link to the article that cites them."
            )
        return problems + care_card_problems(answer)

    def content_state(self) -> dict:
        return {"question": self.question, "answer": self.answer.strip(), "order": self.order}


class GlossaryTerm(models.Model):
    """A word the articles use, explained in plain words on /glossary/. The first use of
    the term (or another of its forms) in each article links to its entry."""

    term = models.CharField(
        max_length=100, unique=True, help_text="The word or phrase as patients see it."
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The entry's place on the glossary page (/glossary/#slug). Keep it stable.",
    )
    also = models.TextField(
        "other forms",
        blank=True,
        help_text=(
            "Other words that should link to this entry, one per line: a plural, a short "
            "form (e.g. NMDA receptors)."
        ),
    )
    definition = MarkdownxField(
        help_text="One to three plain sentences (grade 8 or lower). You may link to an article."
    )
    definition_html = models.TextField(editable=False, default="")
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    # Definitions are medical text: every save is kept, as for articles and FAQ answers.
    history = HistoricalRecords(excluded_fields=["definition_html"])

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"

    def __str__(self) -> str:
        return self.term

    def save(self, *args, **kwargs) -> None:
        self.render()
        stored = GlossaryTerm.objects.filter(pk=self.pk).first() if self.pk else None
        super().save(*args, **kwargs)
        if stored is None or stored.link() != self.link():
            # Each article links the first use of each term: every article follows now,
            # whoever saved (the admin, an approved change, import_content). A deleted
            # term is followed by articles/apps.py (post_delete, bulk deletes included).
            rerender_articles()

    def get_absolute_url(self) -> str:
        return f"{reverse('articles:glossary')}#{self.slug}"

    @classmethod
    def rendered(cls, definition: str) -> Rendered:
        """The definition as /glossary/ shows it: what a save stores, every preview shows."""
        return render_markdown(definition)

    def render(self) -> None:
        self.definition_html = self.rendered(self.definition).html

    @classmethod
    def links(cls) -> list[GlossaryLink]:
        """Every term as the article renderer links it."""
        return [term.link() for term in cls.objects.all()]

    def clean(self) -> None:
        """Each form links to one entry only: two terms claiming one word is an error."""
        refuse_form_clashes(self, GlossaryTerm.objects.exclude(pk=self.pk))

    def other_forms(self) -> list[str]:
        return [line.strip() for line in self.also.splitlines() if line.strip()]

    def forms(self) -> list[str]:
        return [self.term, *self.other_forms()]

    def link(self) -> GlossaryLink:
        return GlossaryLink(forms=tuple(self.forms()), url=self.get_absolute_url())

    def content_state(self) -> dict:
        return {
            "term": self.term,
            "slug": self.slug,
            "also": self.other_forms(),
            "definition": self.definition.strip(),
        }


def refuse_form_clashes(entry, others) -> None:
    """A glossary entry (or its translation) whose term or other forms another of
    `others` already claims: each form links to one entry only."""
    taken = {}
    for other in others:
        for form in other.forms():
            taken[form.casefold()] = other.term
    clashes = [f"“{f}” ({taken[f.casefold()]})" for f in entry.forms() if f.casefold() in taken]
    if clashes:
        raise ValidationError(
            {"also": "Already used by another entry: " + ", ".join(clashes) + "."}
        )


def rerender_articles() -> int:
    """Render every article and article translation again (after the glossary or the
    sources changed); how many pages changed."""
    # By name: article.py imports this module (an article links the glossary's terms).
    Article = apps.get_model("articles", "Article")
    ArticleTranslation = apps.get_model("articles", "ArticleTranslation")
    changed = sum(article.rerender() for article in Article.objects.all())
    # Translations render by the article's renderer, so they follow too.
    return changed + sum(t.rerender() for t in ArticleTranslation.objects.all())
