import datetime
import hashlib
import json
from functools import lru_cache

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from clinic.models import Clinician
from clinic_site.markdown import render_markdown

from .readability import ReadingStats, reading_stats

# A long article gets a table of contents; a short one reads fine without.
TOC_MIN_HEADINGS = 3

# An article whose medical review falls due this soon is flagged in the admin.
REVIEW_WARNING_DAYS = 30


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


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the page's web address. Lower-case words joined by hyphens.",
    )
    summary = models.CharField(
        max_length=160,
        help_text=(
            "One plain sentence of at most 160 characters. Shown in lists and to search engines."
        ),
    )
    body = MarkdownxField(help_text="The article in Markdown. Start sections with ## Heading.")
    body_html = models.TextField(editable=False, default="")
    headings = models.JSONField(editable=False, default=list)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.BASICS)
    order = models.PositiveIntegerField(
        default=100, help_text="Position in the suggested reading order (1 is read first)."
    )
    references = models.TextField(
        blank=True,
        help_text="One reference per line, shown under the heading References.",
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
    # each save by articles/search_index.py. Unused on SQLite, which has its FTS5 table.
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
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.headings = rendered.headings
        if self.reviewed_on and not self.next_review_due:
            self.next_review_due = one_year_after(self.reviewed_on)
        old_public_slug = self._previously_published_slug()
        super().save(*args, **kwargs)
        self._keep_old_address_working(old_public_slug)

    def get_absolute_url(self) -> str:
        return article_path(self.slug)

    @property
    def reference_list(self) -> list[str]:
        return [line.strip() for line in self.references.splitlines() if line.strip()]

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
        # The current slug belongs to this article now, whatever it pointed to before.
        ArticleSlugRedirect.objects.filter(old_slug=self.slug).delete()
        if old_slug:
            ArticleSlugRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"article": self}
            )

    def content_state(self) -> dict:
        """The fields that content/ files carry, in a comparable form."""
        return {
            "title": self.title,
            "slug": self.slug,
            "summary": self.summary,
            "topic": self.topic,
            "order": self.order,
            "status": self.status,
            "author": self.author.name if self.author else None,
            "reviewer": self.reviewer.name if self.reviewer else None,
            "reviewed_on": self.reviewed_on.isoformat() if self.reviewed_on else None,
            "next_review_due": self.next_review_due.isoformat() if self.next_review_due else None,
            "references": self.reference_list,
            "body": self.body.strip(),
        }


class FAQEntry(models.Model):
    question = models.CharField(max_length=300, unique=True)
    answer = MarkdownxField(
        help_text="Two to five sentences in Markdown, with a link to an article."
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
        self.answer_html = render_markdown(self.answer).html
        super().save(*args, **kwargs)

    def content_state(self) -> dict:
        return {"question": self.question, "answer": self.answer.strip(), "order": self.order}


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


class SearchSynonym(models.Model):
    """Words patients use for the same thing. A search for any of them finds them all."""

    terms = models.CharField(
        max_length=300,
        unique=True,
        help_text=(
            "Two or more words or phrases that mean the same, separated by “=”. "
            "For example: Spravato = esketamine"
        ),
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = "search synonym"

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.split("=") if term.strip()]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if len(self.term_list()) < 2:
            raise ValidationError(
                {"terms": "Give at least two words or phrases, separated by “=”."}
            )


class SearchPromotion(models.Model):
    """A "best bet": this article is shown first when a visitor searches for this query."""

    query = models.CharField(
        max_length=200,
        help_text=(
            "What a visitor types, e.g. “price”. Capitals, punctuation and small words "
            "like “the” or “how” do not matter."
        ),
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_promotions")
    sort_order = models.PositiveIntegerField(
        default=0, help_text="With several promoted articles for one query, lower comes first."
    )

    class Meta:
        ordering = ["query", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["query", "article"], name="one_promotion_per_query")
        ]
        verbose_name = "promoted search result"

    def __str__(self) -> str:
        return f"{self.query} → {self.article}"


class SearchWord(models.Model):
    """Every word the published site uses, for correcting typos in searches. Rebuilt by
    articles/search_index.py after each save; never edited by hand."""

    word = models.CharField(max_length=60, unique=True)
    documents = models.PositiveIntegerField(help_text="How many articles and answers use it.")

    class Meta:
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


@lru_cache(maxsize=4096)
def article_path(slug: str) -> str:
    """An article's address. Remembered: pages link to many articles, and reverse() is
    slow next to a lookup while the URLconf (and the site's script prefix) never changes."""
    return reverse("articles:detail", args=[slug])


def next_scheduled_publish() -> datetime.datetime | None:
    """When the next published-but-scheduled article goes live, or None (for the page cache)."""
    return (
        Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def fingerprint(state: dict) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
