"""The admin's side of the review rule, for any registered content (articles/review/content.py).

`ReviewedContentAdmin` sends every save through `workflow.submit`, from whichever admin
road it comes: the add and change forms, the change list's editable columns, and
django-simple-history's revert. It reports the outcome with a message and holds no
workflow state on the request or the object: whether a save waits is read back from the
database (`workflow.is_held`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ..models import Article
from . import registry, workflow
from .rules import ReviewRefused, can_publish, display_name


class ReviewedContentAdmin:
    """Mix in before the ModelAdmin (or SimpleHistoryAdmin) of a registered model."""

    change_form_template = "admin/reviewed_change_form.html"

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        item = super().get_object(request, object_id, from_field)
        if item is not None:
            # An Editor continues from the change that waits; a reviewer sees the live item.
            workflow.version_to_edit(item, request.user)
        return item

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        live = self.model._default_manager.filter(pk=object_id).first()
        context = {**(extra_context or {}), **pending_banner(request, live)}
        return super().change_view(request, object_id, form_url, context)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        signs_off = form.cleaned_data.get("record_review", False) if form is not None else False
        try:
            outcome = workflow.submit(obj, request.user, signs_off=signs_off)
        except ReviewRefused as refused:
            # The form checked the same rule; this is someone else's save in between.
            self.message_user(request, refused.message, messages.ERROR)
            return
        if outcome.message:
            level = messages.WARNING if outcome.warning else messages.INFO
            self.message_user(request, outcome.message, level)

    def log_addition(self, request: HttpRequest, obj, message):
        if obj.pk is None:
            return None  # nothing was added: the new item waits (the change has its history)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj, message):
        if workflow.is_held(obj):
            noun = registry.spec_for(obj).noun
            message = f"Saved a change for clinical review; the live {noun} is unchanged."
        return super().log_change(request, obj, message)

    def response_add(self, request: HttpRequest, obj, post_url_continue=None) -> HttpResponse:
        if obj.pk is None:  # waits for a reviewer: the list of changes shows it
            return HttpResponseRedirect(reverse("admin:articles_pendingchange_changelist"))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        if not workflow.is_held(obj):
            return super().response_change(request, obj)
        # The workflow's message says it waits; back to the form, which shows the change.
        opts = obj._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting live content is a change patients see: a clinical reviewer's to make.
        spec = registry.spec_for(self.model)
        if not can_publish(request.user) and (obj is None or spec.is_live(obj) or not spec.drafts):
            return False
        return super().has_delete_permission(request, obj)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        # simple_history saves a posted revision without checking the change permission;
        # the save itself goes through save_model, so a revert follows the rule too.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def pending_banner(request: HttpRequest, live) -> dict:
    """The context for the banner over a change form while a change waits or was sent back."""
    change = workflow.open_change(live)
    if change is None:
        return {"open_change": None}
    is_article = isinstance(live, Article)
    return {
        "open_change": change,
        "noun": registry.spec_for(live).noun,
        "review_url": reverse("admin:articles_pendingchange_change", args=[change.pk]),
        "preview_url": f"{live.get_absolute_url()}?change={change.pk}" if is_article else "",
        "discard_url": reverse("admin:articles_article_discard_change", args=[change.pk]),
        "can_review": can_publish(request.user),
        "shows_change": workflow.continues(request.user, change),
        "live_is_reviewed": bool(getattr(live, "review_is_current", False)),
        "submitted_by_name": display_name(change.submitted_by),
        "decided_by_name": display_name(change.decided_by) if change.decided_by else "",
    }
