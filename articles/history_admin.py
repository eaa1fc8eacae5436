"""The admin's history pages in plain words, for every model that keeps revisions
(django-simple-history): when, who by name, and what changed."""

from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import review


class PlainHistoryAdmin(SimpleHistoryAdmin):
    """History in plain words: when, who (by name) and what changed, one date style."""

    object_history_template = "admin/plain_history.html"
    object_history_list_template = "admin/plain_history_list.html"

    def changed_labels(self, older, newer) -> list[str]:
        names = [f.name for f in self.model._meta.fields if f.editable and not f.primary_key]
        return [
            str(self.model._meta.get_field(name).verbose_name).capitalize()
            for name in names
            if getattr(older, name, None) != getattr(newer, name, None)
        ]

    def render_history_view(self, request: HttpRequest, template, context, **kwargs):
        page = context.get("page_obj")
        if page is not None:
            page.object_list = list(page.object_list)
            for record in page.object_list:
                previous = record.prev_record
                record.saved_by = saved_by(record)
                record.what_changed = (
                    self.changed_labels(previous, record) if previous else ["First version"]
                )
        context["show_status"] = hasattr(self.model, "status")
        return super().render_history_view(request, template, context, **kwargs)


def saved_by(record) -> str:
    """Who saved a revision, by name; the change reason says how if not in the admin."""
    if record.history_user_id is None and record.history_change_reason:
        return record.history_change_reason
    return review.display_name(record.history_user)
