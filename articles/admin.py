"""The admin where clinicians write articles and FAQ answers.

Editors write; clinical reviewers (the `articles.publish_article` permission) also
publish and record the medical review. The admin holds no review logic: it calls the
workflow in articles/review/ (submit, approve, send_back, withdraw) and reports what it
returns. Every save that changes something keeps a revision (django-simple-history) that
staff can compare with another and restore.
"""

import copy
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from clinic.admin import PageAdmin
from clinic.models import Page
from foundation.editor_help import EDITOR_CSS, EDITOR_JS, editor_help
from foundation.editor_widgets import MarkdownEditorAdmin
from foundation.images import images_without_alt_text

from . import (
    comparison,
    review,
    translation_admin,  # noqa: F401  (registers the translations' admin)
    translation_kinds_admin,  # noqa: F401  (and those of FAQ, glossary, triage and pages)
)
from .history_admin import PlainHistoryAdmin, saved_by
from .models import (
    PENDING_FIELDS,
    REVIEW_WARNING_DAYS,
    Article,
    CitedSource,
    FAQEntry,
    GlossaryTerm,
    PendingChange,
    ReviewState,
    Status,
    rerender_articles,
)
from .readability import MAX_GRADE, report_row
from .review.admin import ReviewedContentAdmin
from .review.rules import PUBLISHER_ONLY_FIELDS
from .triage_admin import editor_help_with_symptoms  # also registers the symptoms' admin

DATE_STYLE = comparison.DATE_STYLE
DATETIME_STYLE = comparison.DATETIME_STYLE


def visibility_label(article: Article) -> str:
    if article.status != Status.PUBLISHED:
        return "Draft (staff only)"
    if article.publish_at > timezone.now():
        when = date_format(timezone.localtime(article.publish_at), DATETIME_STYLE)
        return f"Scheduled for {when}"
    return "Live"


def review_label(due: datetime.date | None, today: datetime.date) -> tuple[str, str]:
    """What to say about an article's next medical review, and how urgent it is."""
    if due is None:
        return "Not reviewed yet", "review-none"
    if due < today:
        return f"Overdue since {date_format(due, DATE_STYLE)}", "review-overdue"
    days_left = (due - today).days
    if days_left <= REVIEW_WARNING_DAYS:
        return f"Due in {days_left} day{'s' if days_left != 1 else ''}", "review-soon"
    return f"Up to date until {date_format(due, DATE_STYLE)}", "review-ok"


def article_review_label(article: Article, today: datetime.date) -> tuple[str, str]:
    """The review column: the text changed since its review counts as not reviewed."""
    if not article.review_is_current:
        if article.reviewed_hash:
            return "Changed since its review", "review-overdue"
        return "Not reviewed yet", "review-none"
    return review_label(article.next_review_due, today)


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
            # "This exact text was reviewed" is checked in Python (a few dozen articles).
            unreviewed = [a.pk for a in queryset if not a.review_is_current]
            return queryset.filter(pk__in=unreviewed)
        return queryset


class ArticleForm(forms.ModelForm):
    """The change form, plus the reviewer's sign-off and the publishing rule."""

    record_review = forms.BooleanField(
        required=False,
        label="Record my clinical review of this text",
        help_text=(
            "Tick only if you have checked the title, summary and text exactly as they will "
            "be saved. Your name, credentials and today's date will show on the article, "
            "and the next review will be due in one year."
        ),
    )
    request: HttpRequest  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = [*PENDING_FIELDS, "next_review_due"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not review.can_publish(self.request.user):
            # Not shown, and not accepted either: a posted record_review=on is ignored
            # here, and the workflow refuses a sign-off from anyone who may not publish.
            del self.fields["record_review"]

    def clean_record_review(self) -> bool:
        signs_off = self.cleaned_data.get("record_review", False)
        if signs_off and review.clinician_for(self.request.user) is None:
            raise forms.ValidationError(review.NO_CLINICIAN_MESSAGE)
        return signs_off

    def _post_clean(self) -> None:
        super()._post_clean()
        signs_off = self.cleaned_data.get("record_review", False)
        refusal = review.refusal(self.request.user, self.instance, signs_off)
        if refusal:
            self.add_error("status" if "status" in self.fields else None, refusal)


@admin.register(Article)
class ArticleAdmin(ReviewedContentAdmin, PlainHistoryAdmin, MarkdownEditorAdmin):
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
    readonly_fields = [
        "checks_before_publishing",
        "visible_on_site",
        "review_of_this_text",
        "reviewer",
        "reviewed_on",
    ]
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "order"]}),
        (
            "Text",
            {
                "fields": ["body", "checks_before_publishing"],
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
            {
                "fields": [
                    "author",
                    "review_of_this_text",
                    "reviewer",
                    "reviewed_on",
                    "next_review_due",
                ]
            },
        ),
    ]
    object_history_template = "admin/articles/article/object_history.html"

    def changed_labels(self, older, newer) -> list[str]:
        return comparison.changed_labels(older, newer)

    class Media:
        css = {"all": EDITOR_CSS}
        js = EDITOR_JS

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> list:
        fieldsets = copy.deepcopy(self.fieldsets)
        fieldsets[1][1]["description"] = (
            format_html("<p>{}</p>", fieldsets[1][1]["description"]) + editor_help_with_symptoms()
        )
        if review.can_publish(request.user):
            fieldsets[3][1]["fields"].insert(2, "record_review")
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Article | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    # --- Changes waiting for review ---------------------------------------------------

    def discard_change_view(self, request: HttpRequest, change_id: str) -> HttpResponse:
        """Withdraw a change that waits or was sent back (the live article stays as it is)."""
        change = get_object_or_404(PendingChange, pk=change_id)
        opts = change.model._meta
        may_change = request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        if request.method != "POST" or not may_change:
            raise PermissionDenied
        outcome = review.withdraw(change, request.user)
        self.message_user(request, outcome.message, messages.INFO)
        if change.object_id is None:
            return HttpResponseRedirect(reverse("admin:articles_pendingchange_changelist"))
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[change.object_id])
        )

    # --- History ----------------------------------------------------------------------

    @admin.display(description="On the site", ordering="status")
    def visible_on_site(self, article: Article) -> str:
        return visibility_label(article)

    @admin.display(description="Next medical review", ordering="next_review_due")
    def medical_review(self, article: Article) -> str:
        label, css_class = article_review_label(article, timezone.localdate())
        return format_html('<span class="{}">{}</span>', css_class, label)

    @admin.display(description="Clinical review of this text")
    def review_of_this_text(self, article: Article) -> str:
        if article.pk is None:
            return "Not reviewed yet."
        state = article.review_state()
        if state == ReviewState.NOT_REVIEWED:
            if article.reviewed_hash:
                who = article.reviewer or "the reviewer"
                return (
                    f"Not reviewed: the text has changed since {who} reviewed it on "
                    f"{date_format(article.reviewed_on, DATE_STYLE)}."
                )
            return "Not reviewed yet."
        reviewed = (
            f"Reviewed by {article.reviewer} on {date_format(article.reviewed_on, DATE_STYLE)}."
        )
        if state == ReviewState.OVERDUE:
            return f"{reviewed} Its next review is overdue."
        return reviewed

    @admin.display(description="Checks before publishing")
    def checks_before_publishing(self, article: Article) -> str:
        if article.pk is None:
            return "Save the article once to see its reading level and checks."
        row = report_row(article, timezone.localdate())
        stats = row.stats
        summary = format_html(
            "Reading level: grade {} (aim for {} or below) · {} words · about {} min to read"
            " · {} sources cited",
            stats.grade,
            f"{MAX_GRADE:g}",
            stats.words,
            stats.minutes,
            row.references,
        )
        warnings = list(row.flags)
        if stats.grade > MAX_GRADE:
            warnings.append("Shorter sentences and everyday words lower the reading grade.")
        # Rendered afresh: a revision being restored has no stored HTML.
        missing = images_without_alt_text(Article.rendered(article.body).html)
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
        if not review.can_publish(request.user):
            fields += PUBLISHER_ONLY_FIELDS
        return fields

    def get_urls(self) -> list:
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        discard = path(
            "changes/<int:change_id>/discard/",
            self.admin_site.admin_view(self.discard_change_view),
            name="articles_article_discard_change",
        )
        # Before simple_history's "<id>/history/<revision>/", which would match it too.
        return [compare, discard, *super().get_urls()]

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two revisions of an article side by side, as a line-by-line difference."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revisions = list(article.history.select_related("history_user"))
        for revision in revisions:
            revision.saved_by = saved_by(revision)
        older, newer = chosen_revisions(revisions, request.GET)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {article}",
            "opts": self.model._meta,
            "original": article,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "older_label": "Older version",
            "newer_label": "Newer version",
            "differences": comparison.differences(older, newer) if older and newer else [],
            "restore_url": reverse(
                "admin:articles_article_simple_history", args=[article.pk, older.history_id]
            )
            if older
            else None,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)


def chosen_revisions(revisions: list, query: dict) -> tuple:
    """The revisions named by ?from=&to= (history ids); by default the last two saves."""
    by_id = {str(revision.history_id): revision for revision in revisions}
    newer = by_id.get(query.get("to", "")) or (revisions[0] if revisions else None)
    older = by_id.get(query.get("from", "")) or (revisions[1] if len(revisions) > 1 else newer)
    return older, newer


@admin.register(FAQEntry)
class FAQEntryAdmin(ReviewedContentAdmin, PlainHistoryAdmin, MarkdownEditorAdmin):
    list_display = ["question", "order"]
    list_editable = ["order"]
    search_fields = ["question", "answer"]
    fields = ["question", "answer", "order"]

    class Media:
        css = {"all": EDITOR_CSS}
        js = EDITOR_JS

    def get_fieldsets(self, request: HttpRequest, obj: FAQEntry | None = None) -> list:
        return [(None, {"fields": self.fields, "description": editor_help_with_symptoms()})]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ReviewedContentAdmin, PlainHistoryAdmin, MarkdownEditorAdmin):
    """Terms explained on /glossary/. Saving or deleting one renders the articles again
    (GlossaryTerm.save, and a signal for deletes), so the first use of each term in every
    article links to its entry at once."""

    list_display = ["term", "slug", "forms_list"]
    search_fields = ["term", "also", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    fields = ["term", "slug", "also", "definition"]

    class Media:
        css = {"all": EDITOR_CSS}
        js = EDITOR_JS

    def get_fieldsets(self, request: HttpRequest, obj: GlossaryTerm | None = None) -> list:
        return [(None, {"fields": self.fields, "description": editor_help()})]

    @admin.display(description="Other forms")
    def forms_list(self, term: GlossaryTerm) -> str:
        return ", ".join(term.other_forms())


@admin.register(CitedSource)
class CitedSourceAdmin(ReviewedContentAdmin, PlainHistoryAdmin):
    """The sources articles cite. A change shows in every citing article's References and
    ends its review, so an Editor's change waits for a clinical reviewer."""

    list_display = ["key", "text", "url"]
    search_fields = ["key", "text", "url"]
    fields = ["key", "text", "url"]

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # "doi.org/…" means https://doi.org/…
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: CitedSource, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        rerender_articles()  # the References lists (nothing changes if the edit waits)


@admin.register(Page)
class ReviewedPageAdmin(ReviewedContentAdmin, PageAdmin):
    """The clinic's pages (privacy, accessibility, trust): read by patients, so an
    Editor's change waits for a clinical reviewer as an article's does."""
