import csv

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html

from .models import Inquiry, InquiryAccessLog

PATIENT_FIELDS = [
    "created_at",
    "language",
    "name",
    "email",
    "phone_display",
    "preferred_contact",
    "topic",
    "message",
    "consent",
    "source_page",
]

CSV_COLUMNS = [
    ("received", "created_at"),
    ("name", "name"),
    ("email", "email"),
    ("phone", "phone_display"),
    ("preferred contact", "get_preferred_contact_display"),
    ("topic", "get_topic_display"),
    ("message", "message"),
    ("status", "get_status_display"),
    ("staff notes", "staff_notes"),
    ("source page", "source_page"),
    ("language", "get_language_display"),
]


class StatusFilter(admin.SimpleListFilter):
    """Status, with spam hidden until someone asks for it, so the daily list stays clean."""

    title = "status"
    parameter_name = "status"
    SHOW_ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*Inquiry.Status.choices, (self.SHOW_ALL, "All, including spam")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value is None:
            # An urgent message flagged as spam is still shown: a person in crisis who
            # pasted a message quickly must not be hidden from staff.
            return queryset.exclude(status=Inquiry.Status.SPAM, urgent=False)
        if value == self.SHOW_ALL:
            return queryset
        return queryset.filter(status=value)

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "All except spam"
            yield choice


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    # The language shows whom to answer in Spanish.
    list_display = [
        "urgent_flag",
        "created_at",
        "name",
        "language",
        "topic",
        "preferred_contact",
        "status",
    ]
    list_display_links = ["created_at", "name"]
    list_filter = [StatusFilter, "urgent", "language", "topic", "preferred_contact"]
    # Urgent first (possible crisis), then newest first.
    ordering = ["-urgent", "-created_at"]
    search_fields = ["name", "email", "phone"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["mark_contacted", "mark_closed", "mark_spam", "clear_urgent", "export_csv"]
    readonly_fields = [*PATIENT_FIELDS, "notified_at", "spam_reason", "over_rate_limit"]
    fieldsets = [
        ("What the person sent", {"fields": PATIENT_FIELDS}),
        ("Follow-up", {"fields": ["urgent", "status", "staff_notes"]}),
        ("Website details", {"fields": ["notified_at", "spam_reason", "over_rate_limit"]}),
    ]

    @admin.display(description="urgent", ordering="urgent")
    def urgent_flag(self, inquiry: Inquiry) -> str:
        # A word and a symbol, not colour alone.
        if not inquiry.urgent:
            return ""
        return format_html(
            '<strong class="inquiry-urgent" title="{}"><span aria-hidden="true">⚠</span> '
            "Urgent</strong>",
            "The message may be about a crisis or thoughts of self-harm.",
        )

    @admin.display(description="phone")
    def phone_display(self, inquiry: Inquiry) -> str:
        return inquiry.phone_display or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Inquiries come only from the website's form.
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inquiries.export_inquiry")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Also find phone numbers however they are typed: stored numbers are digits only."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = "".join(ch for ch in search_term if ch.isdigit())
        if len(digits) >= 4:
            results |= queryset.filter(phone__contains=digits)
        return results, may_have_duplicates

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ):
        if (
            request.method == "GET"
            and self.get_queryset(request).filter(pk=unquote(object_id), urgent=True).exists()
        ):
            self.message_user(
                request,
                "Urgent: the message may be about a crisis or thoughts of self-harm. Please "
                "reach out to the person first, then clear the urgent flag below.",
                messages.WARNING,
            )
        response = super().change_view(request, object_id, form_url, extra_context)
        # Record every time someone opens an inquiry, whether or not they change it.
        if request.method == "GET" and response.status_code == 200:
            inquiry = self.get_object(request, unquote(object_id))
            if inquiry is not None:
                record_access(request, [inquiry], InquiryAccessLog.Action.VIEW)
        return response

    @admin.action(description="Mark selected inquiries as contacted", permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.set_status(request, queryset, Inquiry.Status.CONTACTED)

    @admin.action(description="Mark selected inquiries as closed", permissions=["change"])
    def mark_closed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.set_status(request, queryset, Inquiry.Status.CLOSED)

    @admin.action(description="Mark selected inquiries as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.set_status(request, queryset, Inquiry.Status.SPAM)

    @admin.action(description="Clear the urgent flag of selected inquiries", permissions=["change"])
    def clear_urgent(self, request: HttpRequest, queryset: QuerySet) -> None:
        cleared = 0
        for inquiry in queryset.filter(urgent=True):
            inquiry.urgent = False
            inquiry.save(update_fields=["urgent"])
            self.log_change(request, inquiry, "Cleared the urgent flag.")
            cleared += 1
        self.message_user(request, f"Urgent flag cleared on {cleared}.", messages.SUCCESS)

    def set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        label = Inquiry.Status(status).label.lower()
        for inquiry in queryset:
            inquiry.status = status
            inquiry.save(update_fields=["status"])
            self.log_change(request, inquiry, f"Marked as {label}.")
        self.message_user(request, f"{len(queryset)} marked as {label}.", messages.SUCCESS)

    @admin.action(description="Export selected inquiries to CSV", permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        inquiries = list(queryset.order_by("created_at"))
        record_access(request, inquiries, InquiryAccessLog.Action.EXPORT)
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inquiries-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        write_csv(response, inquiries)
        return response


@admin.register(InquiryAccessLog)
class InquiryAccessLogAdmin(admin.ModelAdmin):
    """The audit trail: superusers can read it, nobody can change it."""

    list_display = ["at", "username", "action", "inquiry"]
    list_filter = ["action"]
    search_fields = ["username"]
    date_hierarchy = "at"
    list_select_related = ["inquiry"]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def record_access(request: HttpRequest, inquiries: list[Inquiry], action: str) -> None:
    InquiryAccessLog.objects.bulk_create(
        InquiryAccessLog(
            inquiry=inquiry,
            user=request.user,
            username=request.user.get_username(),
            action=action,
        )
        for inquiry in inquiries
    )


def write_csv(response: HttpResponse, inquiries: list[Inquiry]) -> None:
    # A byte-order mark so Excel reads the file as UTF-8 (names with accents stay intact).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([heading for heading, _ in CSV_COLUMNS])
    for inquiry in inquiries:
        writer.writerow([spreadsheet_safe(cell_value(inquiry, attr)) for _, attr in CSV_COLUMNS])


def cell_value(inquiry: Inquiry, attr: str) -> str:
    value = getattr(inquiry, attr)
    if callable(value):
        value = value()
    if attr == "created_at":
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def spreadsheet_safe(value: str) -> str:
    """Stop a spreadsheet from running text that starts like a formula (CSV injection)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
