"""The admin where clinicians write articles and FAQ answers.

Editors write; clinical reviewers (the `articles.publish_article` permission) also
publish and record the medical review. Every save keeps a revision (django-simple-history)
that staff can compare with another and restore.
"""

import datetime
import difflib

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from markdownx.admin import MarkdownxModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from clinic_site.images import images_without_alt_text
from clinic_site.markdown import markdownify

from .models import (
    REVIEW_WARNING_DAYS,
    Article,
    FAQEntry,
    SearchPromotion,
    SearchSynonym,
    Status,
)
from .readability import MAX_GRADE, report_row

# What only a clinical reviewer may set: whether the article is public, and its review.
PUBLISHER_ONLY_FIELDS = ("status", "reviewer", "reviewed_on", "next_review_due")

# The fields shown side by side when two revisions are compared.
COMPARED_FIELDS = ("title", "summary", "body", "references")


def can_publish(request: HttpRequest) -> bool:
    return request.user.has_perm("articles.publish_article")


def visibility_label(article: Article) -> str:
    if article.status != Status.PUBLISHED:
        return "Draft (staff only)"
    if article.publish_at > timezone.now():
        when = date_format(timezone.localtime(article.publish_at), "j M Y, H:i")
        return f"Scheduled for {when}"
    return "Live"


def review_label(due: datetime.date | None, today: datetime.date) -> tuple[str, str]:
    """What to say about an article's next medical review, and how urgent it is."""
    if due is None:
        return "Not reviewed yet", "review-none"
    if due < today:
        return f"Overdue since {date_format(due, 'j M Y')}", "review-overdue"
    days_left = (due - today).days
    if days_left <= REVIEW_WARNING_DAYS:
        return f"Due in {days_left} day{'s' if days_left != 1 else ''}", "review-soon"
    return f"Up to date until {date_format(due, 'j M Y')}", "review-ok"


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("due", f"Overdue or due within {REVIEW_WARNING_DAYS} days"),
            ("overdue", "Overdue"),
            ("never", "Not reviewed yet"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.review_due()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "never":
            return queryset.filter(next_review_due__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin, MarkdownxModelAdmin):
    list_display = [
        "title",
        "visible_on_site",
        "topic",
        "reviewer",
        "reviewed_on",
        "medical_review",
        "updated_at",
    ]
    list_filter = [ReviewDueFilter, "status", "topic", "reviewer"]
    search_fields = ["title", "slug", "summary", "body"]
    list_select_related = ["reviewer"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["checks_before_publishing", "visible_on_site"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "order"]}),
        (
            "Text",
            {
                "fields": ["body", "checks_before_publishing", "references"],
                "description": (
                    "Write on the left; the right shows the page as visitors will see it. "
                    "To add a picture, drag it into the text, paste it, or use "
                    "“Add an image”, then describe it between the square brackets."
                ),
            },
        ),
        ("Publishing", {"fields": ["status", "publish_at", "visible_on_site"]}),
        (
            "Author and medical review",
            {"fields": ["author", "reviewer", "reviewed_on", "next_review_due"]},
        ),
    ]
    history_list_display = ["status"]
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": ["articles/admin/editor.css"]}
        js = ["articles/admin/editor.js"]

    @admin.display(description="On the site", ordering="status")
    def visible_on_site(self, article: Article) -> str:
        return visibility_label(article)

    @admin.display(description="Next medical review", ordering="next_review_due")
    def medical_review(self, article: Article) -> str:
        label, css_class = review_label(article.next_review_due, timezone.localdate())
        return format_html('<span class="{}">{}</span>', css_class, label)

    @admin.display(description="Checks before publishing")
    def checks_before_publishing(self, article: Article) -> str:
        if article.pk is None:
            return "Save the article once to see its reading level and checks."
        row = report_row(article, timezone.localdate())
        stats = row.stats
        summary = format_html(
            "Reading level: grade {} (aim for {} or below) · {} words · about {} min to read",
            stats.grade,
            f"{MAX_GRADE:g}",
            stats.words,
            stats.minutes,
        )
        warnings = list(row.flags)
        if stats.grade > MAX_GRADE:
            warnings.append("Shorter sentences and everyday words lower the reading grade.")
        # Rendered afresh: a revision being restored has no stored HTML.
        missing = images_without_alt_text(markdownify(article.body))
        if missing:
            warnings.append(
                f"{len(missing)} image(s) without a description (alt text): " + ", ".join(missing)
            )
        items = format_html_join(
            "", '<li class="check-warning">⚠ {}</li>', ((w,) for w in warnings)
        )
        return format_html('<ul class="publishing-checks"><li>{}</li>{}</ul>', summary, items)

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "publish_at" and field is not None:
            # The admin's date and time boxes share one <label>, which names only the
            # first: a screen reader user would hear nothing for either (axe "label").
            date, time = field.widget.widgets
            date.attrs["aria-label"] = "Publish on date"
            time.attrs["aria-label"] = "Publish at time"
        return field

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list:
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request):
            fields += PUBLISHER_ONLY_FIELDS
        return fields

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if not can_publish(request):
            # Read-only fields are not in the form, but restoring an old revision starts
            # from that revision's values: keep the current ones, whatever the source.
            keep_publisher_only_fields(obj)
        super().save_model(request, obj, form, change)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        # simple_history saves a posted revision without checking the change permission.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self) -> list:
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        # Before simple_history's "<id>/history/<revision>/", which would match it too.
        return [compare, *super().get_urls()]

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two revisions of an article side by side, as a line-by-line difference."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revisions = list(article.history.select_related("history_user"))
        older, newer = chosen_revisions(revisions, request.GET)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {article}",
            "opts": self.model._meta,
            "original": article,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "differences": revision_differences(older, newer) if older and newer else [],
            "restore_url": reverse(
                "admin:articles_article_simple_history", args=[article.pk, older.history_id]
            )
            if older
            else None,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)


def keep_publisher_only_fields(article: Article) -> None:
    """Set the publisher-only fields to their stored values (a new article: defaults)."""
    stored = Article.objects.filter(pk=article.pk).first() if article.pk else None
    for name in PUBLISHER_ONLY_FIELDS:
        field = Article._meta.get_field(name)
        value = getattr(stored, field.attname) if stored else field.get_default()
        setattr(article, field.attname, value)


def chosen_revisions(revisions: list, query: dict) -> tuple:
    """The revisions named by ?from=&to= (history ids); by default the last two saves."""
    by_id = {str(revision.history_id): revision for revision in revisions}
    newer = by_id.get(query.get("to", "")) or (revisions[0] if revisions else None)
    older = by_id.get(query.get("from", "")) or (revisions[1] if len(revisions) > 1 else newer)
    return older, newer


def revision_differences(older, newer) -> list[tuple[str, list[str]]]:
    """(field label, unified diff lines) for each compared field that differs."""
    differences = []
    for name in COMPARED_FIELDS:
        before = (getattr(older, name) or "").splitlines()
        after = (getattr(newer, name) or "").splitlines()
        if before == after:
            continue
        lines = difflib.unified_diff(
            before, after, fromfile="older", tofile="newer", lineterm="", n=2
        )
        label = Article._meta.get_field(name).verbose_name.capitalize()
        differences.append((label, list(lines)[2:]))  # without the ---/+++ header lines
    return differences


@admin.register(FAQEntry)
class FAQEntryAdmin(SimpleHistoryAdmin, MarkdownxModelAdmin):
    list_display = ["question", "order"]
    list_editable = ["order"]
    search_fields = ["question", "answer"]
    fields = ["question", "answer", "order"]

    class Media:
        css = {"all": ["articles/admin/editor.css"]}
        js = ["articles/admin/editor.js"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Words patients use for the same thing: a search for one finds pages with any."""

    list_display = ["terms"]
    search_fields = ["terms"]


@admin.register(SearchPromotion)
class SearchPromotionAdmin(admin.ModelAdmin):
    """Best bets: an article shown first for a search, whatever else it finds."""

    list_display = ["query", "article", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["query", "article__title"]
    autocomplete_fields = ["article"]
