"""The Markdown editor in the admin, told which kind of content it edits.

django-markdownx's widget posts the text to one preview address for every field. Ours
adds the label of the model being edited (`/editor/markdownify/?model=articles.faqentry`),
so the preview renders the text as that model's save will (content_rendering.py), not as
some other content would.
An admin gets it by using `MarkdownEditorAdmin` as a base instead of markdownx's
MarkdownxModelAdmin.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget


def preview_path(model_label: str) -> str:
    """Where the editor posts its text for a preview of this model's content."""
    return f"{settings.MARKDOWNX_URLS_PATH}?{urlencode({'model': model_label})}"


class MarkdownEditor(AdminMarkdownxWidget):
    """markdownx's admin widget, previewing through the renderer of `model_label`."""

    def __init__(self, model_label: str, attrs: dict | None = None):
        self.model_label = model_label
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # After markdownx has set its own (one address for every field).
        context["widget"]["attrs"]["data-markdownx-urls-path"] = preview_path(self.model_label)
        return context


class MarkdownEditorAdmin(admin.ModelAdmin):
    """An admin whose Markdown fields preview as the model being edited renders them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownxField):
            kwargs["widget"] = MarkdownEditor(self.model._meta.label_lower)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
