from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from foundation.editor_help import EDITOR_CSS, EDITOR_JS, editor_help
from foundation.editor_widgets import MarkdownEditorAdmin

from .models import Clinician, ClinicProfile, Page


@admin.register(ClinicProfile)
class ClinicProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email"]

    def has_add_permission(self, request) -> bool:
        # One clinic, one profile: it is created by a migration and only edited.
        return not ClinicProfile.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials"]
    fields = ["name", "credentials", "bio", "user"]


class PageAdmin(MarkdownEditorAdmin):
    """The privacy notice and accessibility statement: the same Markdown editor and preview
    as articles; the preview renders as a page's save does (Page.rendered, through
    foundation/content_rendering.py and foundation/editor_views.py).

    Registered by articles/admin.py, under the clinical review rule patients' pages follow.
    """

    list_display = ["title", "address", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True

    class Media:
        css = {"all": EDITOR_CSS}
        js = EDITOR_JS

    def get_fieldsets(self, request: HttpRequest, obj: Page | None = None) -> list:
        return [
            (None, {"fields": ["title", "slug", "summary"]}),
            (
                "Text",
                {
                    "fields": ["body"],
                    "description": format_html(
                        "<p>{}</p>",
                        "Write on the left; the right shows the page as visitors will see "
                        "it. In the privacy notice, {retention_days} is replaced by how many "
                        "days inquiries are kept.",
                    )
                    + editor_help(),
                },
            ),
        ]

    @admin.display(description="Address", ordering="slug")
    def address(self, page: Page) -> str:
        return page.get_absolute_url()
