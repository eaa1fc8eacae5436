"""The article: its text, its rendering, its clinical review on record, its addresses."""

import datetime
import hashlib
import json
from functools import lru_cache

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from clinic.models import Clinician
from foundation.content_format import SUMMARY_MAX_LENGTH
from foundation.content_version import invalidate
from foundation.markdown import Rendered, Source, cited_keys, render_markdown
from foundation.review_state import one_year_after, review_state_of
from foundation.revisions import normalise_newlines, skip_history_if_unchanged

from ..citations import body_problems, load_sources, load_sources_quietly
from ..readability import ReadingStats, reading_stats
from .faq_and_glossary import FAQEntry, GlossaryTerm
from .triage import TriageSymptom

# A long article gets a table of contents; a short one reads fine without.
TOC_MIN_HEADINGS = 3

# An article whose medical review falls due this soon is flagged in the admin.
REVIEW_WARNING_DAYS = 30

# The text a clinical reviewer signs off. A review belongs to these fields exactly as they
# were when it was recorded: change any of them and the article is "not yet reviewed"
# again until a reviewer signs the new text off. The one list of them (the comparison
# screen, the review fingerprint and the admin's pending changes all read it).
REVIEWED_FIELDS = ("title", "summary", "body")

# Fields a pending change carries: everything an editor may change on the form.
PENDING_FIELDS = (*REVIEWED_FIELDS, "slug", "topic", "order", "author", "status", "publish_at")


class Topic(models.TextChoices):
    BASICS = "basics", "Understanding ketamine therapy"
    TREATMENT = "treatment", "Treatment and what to expect"
    SAFETY = "safety", "Safety and side effects"
    PLANNING = "planning", "Deciding and planning"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What visitors may see: published, and not scheduled for later.

        The one definition of "published", used by every public view, list and feed.
        """
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())

    def review_due(self, within_days: int = REVIEW_WARNING_DAYS) -> "ArticleQuerySet":
        """Articles whose medical review is overdue or falls due within `within_days`."""
        horizon = timezone.localdate() + datetime.timedelta(days=within_days)
        return self.filter(next_review_due__lte=horizon)

    def with_review_on_record(self) -> "ArticleQuerySet":
        """Articles with a reviewer, a date and a signed-off version recorded (the text may
        have changed since: see Article.review_state for what is true now)."""
        return self.filter(reviewer__isnull=False, reviewed_on__isnull=False).exclude(
            reviewed_hash=""
        )


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the page's web address. Lower-case words joined by hyphens.",
    )
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=(
            f"One plain sentence of at most {SUMMARY_MAX_LENGTH} characters. "
            "Shown in lists and to search engines."
        ),
    )
    body = MarkdownxField(
        help_text=(
            "The article in Markdown. Start sections with ## Heading. Cite a source right "
            "after the claim with its key, like this: [^anand2023] (keys are under Patient "
            "education › Sources); the numbered list under References is made for you. "
            "For when to get help, use a care card that lists symptom keys: "
            '!!! when-to-get-help "After a dose, get help if you notice:", then one key per '
            "line indented by four spaces, like - slow-breathing (every key, with where it "
            "sends the reader and its words, is in Formatting help). For other information, "
            '!!! info "Good to know" with its text indented by four spaces.'
        )
    )
    body_html = models.TextField(editable=False, default="")
    headings = models.JSONField(editable=False, default=list)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.BASICS)
    order = models.PositiveIntegerField(
        default=100, help_text="Position in the suggested reading order (1 is read first)."
    )
    author = models.ForeignKey(
        Clinician,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_written",
    )
    reviewer = models.ForeignKey(
        Clinician,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_reviewed",
        verbose_name="medical reviewer",
    )
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="The date the medical reviewer last checked this article."
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Left empty, it is set to one year after the review date."
    )
    # Fingerprint of REVIEWED_FIELDS as the reviewer signed them off ("" = never reviewed).
    reviewed_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The day the text last changed in substance: from the content/ file, or the day an
    # approved change went live. Never the day of an import or of a save that changed
    # nothing a reader sees.
    text_updated_on = models.DateField("text last updated", null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only a clinical reviewer can publish. A draft is seen by staff only.",
    )
    publish_at = models.DateTimeField(
        default=timezone.now,
        help_text=(
            "A published article appears on the site from this moment on. "
            "Set a later date to schedule it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Fingerprint of the content/ file as last imported: tells import_content whether
    # someone has edited the article in the admin since.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    # PostgreSQL's search document (title A, summary and key terms B, body C), written after
    # each save by the search app (search/backends/postgresql.py), which hooks into the save
    # signals: articles never imports it. Unused on SQLite, which has its FTS5 table.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    # Every save keeps a full copy (who, when, what): staff can compare and restore.
    # The rendered HTML and the search document are left out: rebuilt on every save.
    history = HistoricalRecords(excluded_fields=["body_html", "headings", "search_document"])

    class Meta:
        ordering = ["order", "title"]
        permissions = [
            ("publish_article", "Can publish articles and record the medical review"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render()
        if self.reviewed_on and not self.next_review_due:
            self.next_review_due = one_year_after(self.reviewed_on)
        old_public_slug = self._previously_published_slug()
        with skip_history_if_unchanged(self):
            super().save(*args, **kwargs)
        self._keep_old_address_working(old_public_slug)

    def get_absolute_url(self) -> str:
        return article_path(self.slug)

    @classmethod
    def rendered(cls, body: str, triage=None) -> Rendered:
        """The body as its page shows it: the sources it cites under References, the first
        use of each glossary term linked, care cards from the triage data (`triage`, or
        the English one). What a save stores, and what the editor's and the reviewer's
        previews show."""
        return render_markdown(
            body,
            sources=load_sources(),
            glossary=GlossaryTerm.links(),
            triage=triage or TriageSymptom.triage_data(),
        )

    def render(self) -> None:
        """Put the body's HTML and headings on the article, as its save stores them."""
        self.body = normalise_newlines(self.body)
        rendered = self.rendered(self.body)
        self.body_html, self.headings = rendered.html, rendered.headings

    def clean(self) -> None:
        errors = {}
        problems = body_problems(self.body)
        if problems:
            errors["body"] = problems
        slug_problem = self.slug_taken_by_an_old_address()
        if slug_problem:
            errors["slug"] = slug_problem
        if errors:
            raise ValidationError(errors)

    def slug_taken_by_an_old_address(self) -> str | None:
        """Why this slug may not be used: it is a former address of another article, and
        old links and bookmarks lead there through it. None if it is free."""
        if not self.slug:
            return None
        old = (
            ArticleSlugRedirect.objects.filter(old_slug=self.slug)
            .exclude(article_id=self.pk)
            .select_related("article")
            .first()
        )
        if old is None:
            return None
        return (
            f"The address {article_path(self.slug)} used to belong to “{old.article.title}”, "
            "and old links and bookmarks still lead there. Please choose another web address."
        )

    @property
    def text_fingerprint(self) -> str:
        return reviewed_text_fingerprint(self)

    @property
    def review_is_current(self) -> bool:
        """A reviewer signed off exactly this title, summary and body (citations included)."""
        return bool(
            self.reviewer_id
            and self.reviewed_on
            and self.reviewed_hash
            and self.reviewed_hash == self.text_fingerprint
        )

    def review_state(self, today: datetime.date | None = None) -> str:
        """ "reviewed", "overdue" (reviewed, next review date passed) or "not_reviewed"."""
        return review_state_of(self, today)

    def record_review(self, reviewer: Clinician, day: datetime.date | None = None) -> None:
        """Sign off the text as it is now (saved by the caller)."""
        day = day or timezone.localdate()
        self.reviewer = reviewer
        self.reviewed_on = day
        self.next_review_due = one_year_after(day)
        self.reviewed_hash = self.text_fingerprint

    @property
    def cited_keys(self) -> list[str]:
        """The keys of the sources this article cites (CitedSource), in order."""
        return cited_keys(self.body)

    def rerender(self) -> bool:
        """Render the body again (e.g. after the glossary changed) without a new revision
        or a new "last updated" date. True if the page changed."""
        rendered = self.rendered(self.body)
        headings = [list(pair) for pair in rendered.headings]  # as stored (JSON)
        if (rendered.html, headings) == (self.body_html, [list(p) for p in self.headings]):
            return False
        self.body_html, self.headings = rendered.html, rendered.headings
        Article.objects.filter(pk=self.pk).update(body_html=self.body_html, headings=self.headings)
        invalidate()  # update() sends no post_save: cached pages must still follow
        return True

    @property
    def show_table_of_contents(self) -> bool:
        return len(self.headings) >= TOC_MIN_HEADINGS

    @property
    def is_visible_to_visitors(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()

    def reading_stats(self) -> ReadingStats:
        return reading_stats(self.body)

    def _previously_published_slug(self) -> str | None:
        """The stored slug, if this article was published under a slug it is about to lose."""
        if self.pk is None:
            return None
        stored = Article.objects.filter(pk=self.pk).values("slug", "status").first()
        if stored and stored["status"] == Status.PUBLISHED and stored["slug"] != self.slug:
            return stored["slug"]
        return None

    def _keep_old_address_working(self, old_slug: str | None) -> None:
        # An article taking back an old address of its own: it is its page again. An old
        # address of another article is never deleted here (the admin refuses such a slug,
        # see clean; a save from elsewhere, such as an import, leaves the redirect working).
        ArticleSlugRedirect.objects.filter(old_slug=self.slug, article=self).delete()
        if old_slug:
            ArticleSlugRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"article": self}
            )

    def content_state(self) -> dict:
        """The fields that content/ files carry, in a comparable form. A review is part
        of it only while it is current, with the fingerprint of the text it covers: a
        file never carries a review on to text nobody reviewed."""
        current = self.review_is_current
        return {
            "title": self.title,
            "slug": self.slug,
            "summary": self.summary,
            "topic": self.topic,
            "order": self.order,
            "status": self.status,
            "author": self.author.name if self.author else None,
            "reviewer": self.reviewer.name if current else None,
            "reviewed_on": self.reviewed_on.isoformat() if current else None,
            "next_review_due": (
                self.next_review_due.isoformat() if current and self.next_review_due else None
            ),
            "review_fingerprint": self.reviewed_hash if current else None,
            "body": self.body.strip(),
            "updated": self.text_updated_on.isoformat() if self.text_updated_on else None,
        }


def reviewed_text_fingerprint(source, sources: dict[str, Source] | None = None) -> str:
    """Fingerprint of everything a patient reads of an article (a revision of one, or a
    dict): its REVIEWED_FIELDS and the full text and address of each source it cites, so
    changing a source's text ends the review of every article that cites it.

    `sources`: key -> Source (by default the sources as they are now, citations.load_sources).
    """
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, "")
    # Empty fields are left out: a field dropped from REVIEWED_FIELDS once it is empty
    # everywhere leaves every recorded review standing.
    values = {name: normalise_newlines(str(get(name) or "")).strip() for name in REVIEWED_FIELDS}
    present = {name: value for name, value in values.items() if value}
    keys = cited_keys(values["body"])
    if keys:
        sources = load_sources_quietly() if sources is None else sources
        present["sources"] = [cited_source_state(key, sources.get(key)) for key in keys]
    return hashlib.sha256(json.dumps(present, sort_keys=True).encode()).hexdigest()


def cited_source_state(key: str, source: Source | None) -> list[str]:
    """A cited source as the fingerprint covers it (a key with no source: the key alone)."""
    return [key, source.text, source.url] if source is not None else [key]


class ArticleSlugRedirect(models.Model):
    """An address a published article used to have, so old links and bookmarks still work."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old article address"
        verbose_name_plural = "old article addresses"

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article.slug}"


def article_path(slug: str) -> str:
    """An article's address, under the current request's script prefix."""
    return _article_path(get_script_prefix(), get_language(), slug)


@lru_cache(maxsize=4096)
def _article_path(script_prefix: str, language: str, slug: str) -> str:
    # Remembered: pages link to many articles, and reverse() is slow next to a lookup. The
    # answer depends on the script prefix too (reverse() puts it in front), so it is part
    # of the key: a request mounted elsewhere must never leave its prefix in everyone's links.
    # So is the language: a Spanish page's links are under /es/.
    return reverse("articles:detail", args=[slug])


def next_scheduled_publish() -> datetime.datetime | None:
    """When the next published-but-scheduled article goes live, or None (for the page cache)."""
    return (
        Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def rerender_care_cards() -> int:
    """Render again every article, translation and FAQ answer with a "when to get help"
    card, after the triage data or the clinic's phone numbers changed, so every card says
    what the data says now; how many changed. (Cards are rendered into the stored HTML on save.)"""
    from ..signals import rendered_again

    marker = "when-to-get-help"
    articles = [a for a in Article.objects.filter(body__contains=marker) if a.rerender()]
    answers = [e for e in FAQEntry.objects.filter(answer__contains=marker) if e.rerender()]
    # Translations carry the same cards (by name: translation.py imports this module).
    translations = apps.get_model("articles", "ArticleTranslation").objects
    translated = [t for t in translations.filter(body__contains=marker) if t.rerender()]
    answers_translated = apps.get_model("articles", "FAQEntryTranslation").objects
    translated_answers = [
        t for t in answers_translated.filter(answer__contains=marker) if t.rerender()
    ]
    # rerender() writes with update(), which sends no post_save: the cards' words are
    # searchable text, so those who follow saves (search's indexes) are told here.
    if articles or answers or translated or translated_answers:
        rendered_again.send(
            sender=Article,
            articles=articles,
            entries=answers,
            translations=translated,
            entry_translations=translated_answers,
        )
    return len(articles) + len(answers) + len(translated) + len(translated_answers)
