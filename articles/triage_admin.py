"""The when-to-get-help symptoms in the admin (a clinician decides each symptom's level
and wording here or in content/triage.yaml), and the list of keys the editors' help shows.

Saving or deleting a symptom renders every article and FAQ answer with a care card again,
so every card says what the list says now.
"""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.safestring import SafeString

from foundation.editor_help import editor_help

from . import review
from .history_admin import PlainHistoryAdmin
from .models import TriageLevel, TriageSymptom, pages_using_symptom, rerender_care_cards
from .review.admin import ReviewedContentAdmin


def symptom_rows() -> list[tuple[str, str, str]]:
    """(key, where it sends a patient, text) for every symptom, most urgent first."""
    labels = dict(TriageLevel.choices)
    rank = {level: position for position, level in enumerate(TriageLevel.values)}
    symptoms = sorted(TriageSymptom.objects.all(), key=lambda s: (rank.get(s.level, 99), s.order))
    return [(s.key, labels.get(s.level, s.level), s.text) for s in symptoms]


def editor_help_with_symptoms() -> SafeString:
    """The formatting help, with the symptom keys a care card may list."""
    return editor_help(symptoms=symptom_rows())


@admin.register(TriageSymptom)
class TriageSymptomAdmin(ReviewedContentAdmin, PlainHistoryAdmin):
    """Clinical reviewers add, change and delete symptoms, and their saves go live at once;
    Editors only see them (the Editor group has view permission only). Under the review
    rule (articles/review/content.py), a change that comes from content/triage.yaml
    through import_content waits for a clinical reviewer, as other live content does."""

    list_display = ["text", "level", "key", "order"]
    list_filter = ["level"]
    search_fields = ["key", "text"]
    fields = ["key", "level", "text", "order"]
    ordering = ["order"]  # the file's order: most urgent level first

    def get_fieldsets(self, request: HttpRequest, obj: TriageSymptom | None = None) -> list:
        return [
            (
                None,
                {
                    "fields": self.fields,
                    "description": (
                        "One symptom and where it sends a patient. Care cards in articles and "
                        "FAQ answers list symptoms by key, and the page “When to get help” "
                        "lists them all, so saving here changes every card that lists this "
                        "symptom. 988 is only for a mental-health crisis."
                    ),
                },
            )
        ]

    def save_model(self, request: HttpRequest, obj: TriageSymptom, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not review.is_held(obj):  # a waiting change renders the cards once approved
            rerender_care_cards()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A symptom a card lists cannot go: the card would silently lose it. The page then
        # shows no delete button; the help text on the list says why.
        if obj is not None and pages_using_symptom(obj.key):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each checked as above
        return actions

    def delete_model(self, request: HttpRequest, obj: TriageSymptom) -> None:
        super().delete_model(request, obj)
        rerender_care_cards()

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        symptom = self.get_object(request, object_id)
        users = pages_using_symptom(symptom.key) if symptom else []
        if users and request.method == "GET":
            messages.info(
                request,
                f"Care cards on these pages list this symptom: {', '.join(users)}. "
                "Saving changes all of them; it cannot be deleted while they list it.",
            )
        return super().change_view(request, object_id, form_url, extra_context)
