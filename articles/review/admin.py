"""The admin's side of the review rule, for any registered content (articles/review/content.py).

`PendingChangeAdmin` is the reviewers' list and review screen (live item and change side
by side, Approve / Send back).

`ReviewedContentAdmin` sends every save through `workflow.submit`, from whichever admin
road it comes: the add and change forms, the change list's editable columns, and
django-simple-history's revert. It reports the outcome with a message and holds no
workflow state on the request or the object: whether a save waits is read back from the
database (`workflow.is_held`).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from foundation import content_rendering

from .. import comparison
from ..models import Article, ChangeStatus, PendingChange
from . import registry, workflow
from .rules import (
    NO_CLINICIAN_MESSAGE,
    ReviewRefused,
    can_publish,
    clinician_for,
    display_name,
)

DATETIME_STYLE = comparison.DATETIME_STYLE


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
        if not can_publish(request.user) and (
            obj is None or spec.is_live(obj) or not spec.may_be_offline
        ):
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


class ChangeStatusFilter(admin.SimpleListFilter):
    """Waiting changes by default: the list is the reviewers' to-do list."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*ChangeStatus.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            selected = self.value() == value or (self.value() is None and value == "waiting")
            yield {
                "selected": selected,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value() or ChangeStatus.WAITING)


def compared_fields(change: PendingChange) -> tuple:
    if change.model is Article:
        return comparison.COMPARED_FIELDS
    return registry.spec_for(change.model).compared_fields


def may_edit_reviewed_content(user) -> bool:
    """Anyone who edits some content under the review rule sees the changes list."""
    return any(
        user.has_perm(f"{spec.model._meta.app_label}.change_{spec.model._meta.model_name}")
        for spec in registry.registered()
    )


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Changes to live content that wait for a clinical reviewer; opening one shows the
    live item and the change side by side, with Approve and Send back."""

    list_display = [
        "change_to",
        "kind",
        "submitted_by_name",
        "saved_on",
        "status",
        "fields_changed",
    ]
    list_display_links = ["change_to"]
    list_filter = [ChangeStatusFilter]
    list_select_related = ["content_type", "submitted_by"]
    list_per_page = 50

    # Anyone who edits content sees the list and their comments; only a clinical
    # reviewer decides (checked in the view). Nothing is added or deleted by hand.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_edit_reviewed_content(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_edit_reviewed_content(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Change to")
    def change_to(self, change: PendingChange) -> str:
        return change.title

    @admin.display(description="Kind")
    def kind(self, change: PendingChange) -> str:
        noun = registry.spec_for(change.model).noun
        return noun[0].upper() + noun[1:]

    @admin.display(description="Saved by")
    def submitted_by_name(self, change: PendingChange) -> str:
        return display_name(change.submitted_by)

    @admin.display(description="Saved on", ordering="submitted_at")
    def saved_on(self, change: PendingChange) -> str:
        return date_format(timezone.localtime(change.submitted_at), DATETIME_STYLE)

    @admin.display(description="What changed")
    def fields_changed(self, change: PendingChange) -> str:
        if not change.is_open:
            return ""  # decided: the live item has moved on since
        live = change.live_item()
        if live is None:
            return "New"
        fields = compared_fields(change)
        return ", ".join(comparison.changed_labels(live, workflow.proposed(change), fields))

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        """The review screen: live item and change side by side, Approve / Send back."""
        change = get_object_or_404(
            PendingChange.objects.select_related("content_type", "submitted_by", "decided_by"),
            pk=unquote(object_id),
        )
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        may_decide = can_publish(request.user) and change.status == ChangeStatus.WAITING
        comment = ""
        error = ""
        if request.method == "POST":
            if not can_publish(request.user):
                raise PermissionDenied
            action = request.POST.get("action")
            comment = request.POST.get("comment", "")
            try:
                if action == "approve":
                    whole = request.POST.get("reviewed_whole_text") == "on"
                    outcome = workflow.approve(change, request.user, reviewed_whole_text=whole)
                elif action == "send_back":
                    outcome = workflow.send_back(change, request.user, comment)
                else:
                    raise ReviewRefused("Please choose Approve or Send back.")
                self.message_user(request, outcome.message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:articles_pendingchange_changelist"))
            except ReviewRefused as refused:
                error = refused.message
        return TemplateResponse(
            request,
            "admin/articles/pendingchange/review.html",
            {
                **self.admin_site.each_context(request),
                **review_screen(request, change),
                "opts": self.model._meta,
                "may_decide": may_decide,
                "comment": comment,
                "error": error,
            },
        )


def review_screen(request: HttpRequest, change: PendingChange) -> dict:
    """What the review screen shows of a change: the comparison, and the whole text when
    approving signs off all of it."""
    live = change.live_item()
    proposed = workflow.proposed(change)
    spec = registry.spec_for(change.model)
    fields = compared_fields(change)
    is_article = change.model is Article
    item_opts = change.model._meta
    blank = change.model()
    whole_text = [
        (comparison.label(proposed, name, False), comparison.plain_value(proposed, name, False))
        for name in fields
    ]
    return {
        "title": f"Review the change to “{change.title}”",
        "change": change,
        "noun": spec.noun,
        "live": live,
        "differences": comparison.differences(live or blank, proposed, fields),
        "older_label": "Live now",
        "newer_label": "With this change",
        "submitted_by_name": display_name(change.submitted_by),
        "decided_by_name": display_name(change.decided_by) if change.decided_by else "",
        "live_changed_since": bool(
            live is not None
            and getattr(live, "updated_at", None)
            and live.updated_at > change.submitted_at
        ),
        "whole_text_needed": workflow.needs_whole_text_review(change),
        "records_review": spec.records_review,  # a translation: approving signs it off
        # Content other than articles is short: its screen always shows all of it, which
        # approving signs off (a translation's review is recorded: workflow.approve).
        "whole_text": [] if is_article else whole_text,
        "proposed": proposed,
        # What approval publishes, rendered as the item's save renders it.
        "proposed_html": content_rendering.html_of(proposed) or "",
        "has_clinician": clinician_for(request.user) is not None,
        "no_clinician_message": NO_CLINICIAN_MESSAGE,
        "preview_url": f"{live.get_absolute_url()}?change={change.pk}"
        if is_article and live
        else "",
        "article_url": (
            reverse(f"admin:{item_opts.app_label}_{item_opts.model_name}_change", args=[live.pk])
            if live is not None
            else ""
        ),
    }
