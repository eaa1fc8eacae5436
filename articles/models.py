import datetime
import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from clinic.models import Clinician, ClinicProfile
from clinic_site.care_cards import Triage
from clinic_site.content_format import SUMMARY_MAX_LENGTH
from clinic_site.content_version import invalidate
from clinic_site.markdown import GlossaryLink, Rendered, Source, cited_keys, render_markdown
from clinic_site.revisions import normalise_newlines, skip_history_if_unchanged

from . import rendering
from .citations import body_problems, care_card_problems, load_sources, load_sources_quietly
from .readability import ReadingStats, reading_stats

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
    def rendered(cls, body: str) -> Rendered:
        """The body as its page shows it: the sources it cites under References, the first
        use of each glossary term linked, care cards from the triage data. What a save
        stores, and what the editor's and the reviewer's previews show."""
        return render_markdown(
            body,
            sources=load_sources(),
            glossary=GlossaryTerm.links(),
            triage=TriageSymptom.triage_data(),
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
        if not self.review_is_current:
            return ReviewState.NOT_REVIEWED
        today = today or timezone.localdate()
        if self.next_review_due and self.next_review_due < today:
            return ReviewState.OVERDUE
        return ReviewState.REVIEWED

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


class ReviewState:
    REVIEWED = "reviewed"
    OVERDUE = "overdue"
    NOT_REVIEWED = "not_reviewed"


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
    def rendered(cls, answer: str) -> Rendered:
        """The answer as the FAQ page shows it (care cards, no References list or glossary
        links): what a save stores and every preview shows."""
        return render_markdown(answer, triage=TriageSymptom.triage_data())

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
        taken = {}
        for other in GlossaryTerm.objects.exclude(pk=self.pk):
            for form in other.forms():
                taken[form.casefold()] = other.term
        clashes = [f"“{f}” ({taken[f.casefold()]})" for f in self.forms() if f.casefold() in taken]
        if clashes:
            raise ValidationError(
                {"also": "Already used by another entry: " + ", ".join(clashes) + "."}
            )

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


def rerender_articles() -> int:
    """Render every article again (after the glossary changed); how many pages changed."""
    return sum(article.rerender() for article in Article.objects.all())


def rerender_care_cards() -> int:
    """Render again every article and FAQ answer with a "when to get help" card, after the
    triage data or the clinic's phone numbers changed, so every card says what the data
    says now; how many changed. (Cards are rendered into the stored HTML on save.)"""
    from .signals import rendered_again

    marker = "when-to-get-help"
    articles = [a for a in Article.objects.filter(body__contains=marker) if a.rerender()]
    answers = [e for e in FAQEntry.objects.filter(answer__contains=marker) if e.rerender()]
    # rerender() writes with update(), which sends no post_save: the cards' words are
    # searchable text, so those who follow saves (search's index) are told here.
    if articles or answers:
        rendered_again.send(sender=Article, articles=articles, entries=answers)
    return len(articles) + len(answers)


class TriageLevel(models.TextChoices):
    """Where a symptom sends a patient, most urgent first (the content guide's levels).
    The keys are the renderer's (clinic_site/care_cards.py TRIAGE_LEVELS); the labels are
    the headings of the cards and of /when-to-get-help/."""

    EMERGENCY = "emergency", "Call 911 or go to the emergency room now"
    CRISIS = "crisis", "Call or text 988 now"
    CLINIC_TODAY = "clinic_today", "Call the clinic the same day"
    SOON = "soon", "See your own doctor or the clinic within a few days"


class TriageSymptom(models.Model):
    """One symptom and where it sends a patient: the one place its urgency is decided.
    Care cards (`!!! when-to-get-help`) name symptoms by key and /when-to-get-help/ lists
    them all, so a symptom reads the same and goes to the same place on every page.
    Loaded from content/triage.yaml by import_content."""

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text=(
            "The name editors type in a care card, e.g. slow-breathing: lower-case words "
            "joined by hyphens. It is never shown to patients."
        ),
    )
    level = models.CharField(
        max_length=20,
        choices=TriageLevel.choices,
        help_text=(
            "Where this symptom sends a patient, on every card and on /when-to-get-help/. "
            "911 (emergency) for anything that may threaten life or limb, such as a stroke, "
            "trouble breathing or a serious allergic reaction; 988 only for a mental-health "
            "crisis, never for a physical symptom; the clinic the same day for what needs a "
            "clinician today but is not an emergency; your own doctor or the clinic soon "
            "for the rest. Saving changes every card that lists it."
        ),
    )
    text = models.CharField(
        max_length=300,
        help_text=(
            "The symptom in plain words, as patients read it after “Get help if you have:”, "
            "e.g. “Slow, shallow or stopped breathing”. Grade 6 reading level or lower."
        ),
    )
    order = models.PositiveIntegerField(
        default=100, help_text="Position in its level's list (1 is shown first)."
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "when-to-get-help symptom"

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"

    def content_state(self) -> dict:
        return {"key": self.key, "level": self.level, "text": self.text}

    @classmethod
    def triage_data(cls, symptoms: list[dict] | None = None) -> Triage:
        """The triage data as the renderer takes it: from the database, or from `symptoms`
        (dicts with key, level, text, e.g. a content/triage.yaml being imported)."""
        if symptoms is None:
            symptoms = [s.content_state() for s in cls.objects.all()]
        # Read afresh (not ClinicProfile.current(), kept per worker): this runs right after
        # a profile save, before the cache hears of it.
        return rendering.triage(symptoms, dict(TriageLevel.choices), ClinicProfile.load())

    def clean(self) -> None:
        """A key in use by a card cannot be renamed: the card would lose the symptom."""
        if self.pk is None:
            return
        old_key = TriageSymptom.objects.filter(pk=self.pk).values_list("key", flat=True).first()
        if old_key and old_key != self.key:
            users = pages_using_symptom(old_key)
            if users:
                raise ValidationError(
                    {
                        "key": f"“{old_key}” is used by care cards on: {', '.join(users)}. "
                        "Change those cards first, or keep the key."
                    }
                )


def pages_using_symptom(key: str) -> list[str]:
    """Articles and FAQ answers whose care cards list this symptom key."""
    from .citations import card_keys

    found = [
        a.title for a in Article.objects.filter(body__contains=key) if key in card_keys(a.body)
    ]
    found += [
        f"FAQ: {e.question}"
        for e in FAQEntry.objects.filter(answer__contains=key)
        if key in card_keys(e.answer)
    ]
    return found


class CitedSource(models.Model):
    """A source articles may cite: `[^key]` right after the claim, listed in full under
    References. Changing one changes every article that cites it, so an Editor's change
    waits for a clinical reviewer, and each citing article is "changed since its review"
    once the new text is live. Imported from and exported to content/references.yaml."""

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text="How articles cite it, e.g. anand2023 for [^anand2023]. Keep it stable.",
    )
    text = models.TextField(
        help_text=(
            "The full citation, exactly as published: authors, title, journal, year, volume "
            "and pages. Only real, checkable sources."
        )
    )
    url = models.URLField(
        "web address",
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="Optional: https://…",
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = "source"

    def __str__(self) -> str:
        return self.key

    def save(self, *args, **kwargs) -> None:
        self.text = " ".join(self.text.split())  # one line, as in the References list
        with skip_history_if_unchanged(self):
            super().save(*args, **kwargs)

    def as_source(self) -> Source:
        return Source(text=self.text, url=self.url)

    def content_state(self) -> dict:
        return {"key": self.key, "text": self.text, "url": self.url}


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
    return _article_path(get_script_prefix(), slug)


@lru_cache(maxsize=4096)
def _article_path(script_prefix: str, slug: str) -> str:
    # Remembered: pages link to many articles, and reverse() is slow next to a lookup. The
    # answer depends on the script prefix too (reverse() puts it in front), so it is part
    # of the key: a request mounted elsewhere must never leave its prefix in everyone's links.
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


# Left out of a content/ state's fingerprint: added to the files later, so articles
# imported before they existed still count as unedited (the review fingerprint follows
# from the text and the review, which are in it).
ADDED_LATER = ("updated", "review_fingerprint")


def fingerprint(state: dict) -> str:
    """Of a content/ state, without the fields ADDED_LATER."""
    state = {name: value for name, value in state.items() if name not in ADDED_LATER}
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


class ChangeStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for clinical review"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back to the editor"
    # Sent back, and the editor has since sent a revised version for review (a new change).
    REVISED = "revised", "Sent back, then revised"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PendingChange(models.Model):
    """An edit to live content (an article, an FAQ answer, a glossary entry, a page; any
    model registered in articles/review/registry.py) that waits for a clinical reviewer.

    Visitors keep seeing the live item; the edit lives here (the form's values for the
    registered fields) until a reviewer approves it (it goes live, with their review
    recorded) or sends it back with a comment. An Editor's new item of a model without
    drafts waits here too, with no object_id until it is approved.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Empty for a new item that waits to be added."
    )
    item = GenericForeignKey("content_type", "object_id")
    values = models.JSONField(help_text="The edited fields, as the editor saved them.")
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.WAITING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(
        blank=True, help_text="Why it was sent back, for the editor (no patient details)."
    )
    # What happened to it, one plain-words line per step ("December 4, 2026, 9:40 pm: Sent
    # back with a comment (Dr Grace Reviewer)"), written by articles/review/workflow.py.
    events = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pending_change_item")]
        constraints = [
            # One open change per item: a second edit or a revert updates it or is refused.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status__in=["waiting", "sent_back"]),
                name="one_open_change_per_item",
            )
        ]
        verbose_name = "change waiting for clinical review"
        verbose_name_plural = "changes waiting for clinical review"

    def __str__(self) -> str:
        return f"Change to “{self.title}”"

    @property
    def is_open(self) -> bool:
        return self.status in (ChangeStatus.WAITING, ChangeStatus.SENT_BACK)

    @property
    def model(self) -> type[models.Model]:
        return self.content_type.model_class()

    def live_item(self) -> models.Model | None:
        """The item as it is live now (None for a new item that waits to be added)."""
        if self.object_id is None:
            return None
        return self.model.objects.filter(pk=self.object_id).first()

    @property
    def title(self) -> str:
        """What the change is to, in words: the live item's name, else the new one's."""
        live = self.live_item()
        if live is not None:
            return str(live)
        for name in ("title", "question", "term", "key"):
            if self.values.get(name):
                return str(self.values[name])
        return f"A new {self.content_type.name}"

    @property
    def article_id(self) -> int | None:
        """The article this change is to, if it is to an article."""
        return self.object_id if self.model is Article else None

    @property
    def article(self) -> "Article | None":
        return self.live_item() if self.model is Article else None


class ReviewReminder(models.Model):
    """One reminder e-mail sent by `review_reminders`: at most one per recipient and day,
    so running it again (or from two machines) never sends the same list twice."""

    recipient = models.EmailField()
    kind = models.CharField(max_length=20)  # "reviewer" or "escalation"
    sent_on = models.DateField()
    article_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "sent_on"], name="one_review_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.recipient} on {self.sent_on}"


class SentBackEmail(models.Model):
    """An e-mail telling an editor that a clinical reviewer sent her change back, to be
    sent outside the web request (articles/review/notices.py; `manage.py notify_editors`).
    It names the article and carries the reviewer's comment and a link to the admin:
    staff text only, never anything about patients."""

    change = models.ForeignKey(
        PendingChange, on_delete=models.CASCADE, related_name="sent_back_emails"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A sender's claim (see inquiries/services.py for the pattern): one sender at a time.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"E-mail about {self.change}"
