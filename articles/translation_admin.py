"""The admin for translations (issue 28): editors write them as they write the English;
only a clinical reviewer records a translation's review. "Translations to update" lists
each translation, of every kind, whose English changed since the version it translates,
with the English changes word by word (articles/comparison.py, the comparison clinical
review uses). The admins of the FAQ, glossary, triage and page translations are in
translation_kinds_admin.py, on the base here.

Translations follow the review rule English text follows (articles/review/content.py
registers them; `ReviewedContentAdmin` sends every save through `review.submit`): an
Editor's change to a translation patients may read waits as a PendingChange, the
reviewed text stays on the Spanish page, and a clinical reviewer compares and approves it.

Checked on the server: a posted field the form does not show is ignored (the form lists
its fields), the review fields are kept as stored whatever is posted, and a sign-off
from someone who may not publish is refused (review.submit).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format

from clinic.models import PageTranslation
from foundation.editor_help import EDITOR_CSS, EDITOR_JS
from foundation.editor_widgets import MarkdownEditorAdmin

from . import comparison, review
from .models import (
    ArticleTranslation,
    FAQEntryTranslation,
    GlossaryTermTranslation,
    TriageTranslation,
)
from .review.admin import ReviewedContentAdmin
from .translation_files import english_file_sha256

# Every kind of translation, in the order "Translations to update" lists them.
TRANSLATION_MODELS = (
    ArticleTranslation,
    PageTranslation,
    FAQEntryTranslation,
    GlossaryTermTranslation,
    TriageTranslation,
)
TRIAGE_LABELS = {"levels": "Level headings", "symptoms": "Symptoms"}


def stale_translations(queryset=None, models=TRANSLATION_MODELS) -> list:
    """Translations whose English changed since the version they translate (compared in
    Python: the fingerprint is worked out from the English text), of the `queryset`'s
    model or of every kind."""
    if queryset is None:
        return [t for model in models for t in stale_translations(model.objects.all())]
    english = queryset.model.ENGLISH
    queryset = queryset.select_related(english) if english else queryset
    return [t for t in queryset if t.is_stale]


def english_changes(translation) -> list[comparison.FieldDifference]:
    """What changed in the English since the version translated, word by word. If that
    version is unknown (imported from a file naming an older English file), everything
    shows as added."""
    if isinstance(translation, TriageTranslation):  # the whole data, read as text
        then, now = translation.english_text_translated, translation.english_text_now()
        return [
            comparison.FieldDifference(
                name, label, comparison.long_text_rows(then.get(name, ""), now[name])
            )
            for name, label in TRIAGE_LABELS.items()
            if then.get(name, "").strip() != now[name].strip()
        ]
    return comparison.differences(
        translation.english_then(), translation.english_item(), translation.TRANSLATED_FIELDS
    )


def english_link(translation) -> tuple[str, str]:
    """(what the translation translates, its admin address)."""
    if isinstance(translation, TriageTranslation):
        url = reverse("admin:articles_triagesymptom_changelist")
        return "The when-to-get-help symptoms", url
    english = translation.english_item()
    opts = english._meta
    return str(english), reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[english.pk]
    )


class EnglishChangedFilter(admin.SimpleListFilter):
    title = "English text"
    parameter_name = "english"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("changed", "Changed since translated (to update)"), ("same", "Up to date")]

    def queryset(self, request: HttpRequest, queryset):
        stale = [t.pk for t in stale_translations(queryset)]
        if self.value() == "changed":
            return queryset.filter(pk__in=stale)
        if self.value() == "same":
            return queryset.exclude(pk__in=stale)
        return queryset


class TranslationForm(forms.ModelForm):
    translates_current_english = forms.BooleanField(
        required=False,
        label="This text now translates the English as it is today",
        help_text=(
            "Tick after bringing the translation up to date with every change in the "
            "English (see “Translations to update”)."
        ),
    )
    record_review = forms.BooleanField(
        required=False,
        label="Record my clinical review of this translation",
        help_text="Tick only if you have checked the translated text as it is saved.",
    )
    request: HttpRequest  # set by TranslationAdmin.get_form

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not review.can_publish(self.request.user):
            del self.fields["record_review"]  # not shown, and a posted value is ignored

    def clean_record_review(self) -> bool:
        signs_off = self.cleaned_data.get("record_review", False)
        if signs_off and review.clinician_for(self.request.user) is None:
            raise forms.ValidationError(review.NO_CLINICIAN_MESSAGE)
        return signs_off

    def _post_clean(self) -> None:
        # What the save would refuse (another person's change waits), next to the form.
        super()._post_clean()
        signs_off = self.cleaned_data.get("record_review", False)
        refusal = review.refusal(self.request.user, self.instance, signs_off)
        if refusal:
            self.add_error(None, refusal)


class TranslationAdmin(ReviewedContentAdmin, MarkdownEditorAdmin):
    """What every translation's admin shares. A subclass names `edit_fields` (what an
    editor edits) and `english_sha256_now` (the English file's SHA-256 as export writes
    it now, recorded when a translation is brought up to date)."""

    form = TranslationForm
    edit_fields: list[str] = []
    list_filter = [EnglishChangedFilter, "language"]
    readonly_fields = ["english_text", "reviewer", "reviewed_on"]
    change_list_template = "admin/articles/articletranslation/change_list.html"

    class Media:
        css = {"all": EDITOR_CSS}
        js = EDITOR_JS

    def english_sha256_now(self, translation) -> str:
        raise NotImplementedError

    def get_fields(self, request: HttpRequest, obj=None) -> list:
        fields = [*self.edit_fields, "english_text", "translates_current_english"]
        fields += ["reviewer", "reviewed_on"]
        if review.can_publish(request.user):
            fields.append("record_review")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list:
        fields = list(super().get_readonly_fields(request, obj))
        if not review.can_publish(request.user):
            fields.append("next_review_due")  # as on articles (PUBLISHER_ONLY_FIELDS)
        return fields

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if form.cleaned_data.get("translates_current_english") or obj.pk is None:
            # A new translation made in the admin translates the English as it is now.
            obj.translates_current_english()
            obj.english_sha256 = self.english_sha256_now(obj)
        # Live or waiting, with the review recorded if a reviewer signs it off
        # (review.submit refuses a sign-off from anyone who may not publish).
        super().save_model(request, obj, form, change)

    @admin.display(description="English text")
    def english_text(self, translation) -> str:
        if translation.pk is None:
            return "Saving records the English text as it is now."
        if not translation.is_stale:
            return "Up to date with the English."
        changed = date_format(translation.english_changed_on, comparison.DATE_STYLE)
        return f"The English changed since this was translated (English updated {changed})."

    @admin.display(description="Medical review")
    def medical_review(self, translation) -> str:
        if translation.review_is_current:
            state = f"Reviewed on {date_format(translation.reviewed_on, comparison.DATE_STYLE)}"
        else:
            state = "Changed since its review" if translation.reviewed_hash else "Not reviewed yet"
        change = review.open_change(translation)
        if change is not None:
            state += (
                "; a change waits for review"
                if change.status == "waiting"
                else "; a change was sent back"
            )
        return state


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(TranslationAdmin):
    edit_fields = [
        "article",
        "language",
        "title",
        "summary",
        "body",
        "translator",
        "translated_on",
        "next_review_due",
    ]
    list_display = ["title", "article", "language", "translator", "english_text", "medical_review"]
    list_select_related = ["article", "reviewer"]
    search_fields = ["title", "summary", "body", "article__title", "article__slug"]

    def english_sha256_now(self, translation: ArticleTranslation) -> str:
        return english_file_sha256(translation.article)

    def get_urls(self) -> list:
        to_update = path(
            "to-update/",
            self.admin_site.admin_view(self.to_update_view),
            name="articles_articletranslation_to_update",
        )
        return [to_update, *super().get_urls()]

    def to_update_view(self, request: HttpRequest) -> HttpResponse:
        """Translations to update: each stale one, of every kind the user may see, with
        what changed in the English."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        visible = [
            model
            for model in TRANSLATION_MODELS
            if request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
            or request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        ]
        entries = []
        for translation in stale_translations(models=visible):
            opts = translation._meta
            english_name, english_url = english_link(translation)
            entries.append(
                {
                    "translation": translation,
                    "kind": opts.verbose_name,
                    "change_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change", args=[translation.pk]
                    ),
                    "english_name": english_name,
                    "english_url": english_url,
                    "differences": english_changes(translation),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Translations to update",
            "opts": self.model._meta,
            "entries": entries,
            "older_label": "English when translated",
            "newer_label": "English now",
        }
        template = "admin/articles/articletranslation/to_update.html"
        return TemplateResponse(request, template, context)
