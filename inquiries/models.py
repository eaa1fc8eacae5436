from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .phone import format_phone

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 30
MESSAGE_MAX_LENGTH = 2000
SOURCE_PAGE_MAX_LENGTH = 200


class Inquiry(models.Model):
    """A prospective patient's request to be contacted, sent through the contact form.

    What people write here is private health information: it is shown only to staff with
    the inquiry permissions, never e-mailed or logged, and deleted after the retention period.
    """

    # The labels are the form's choices too, so they are translated (the Spanish form).
    class PreferredContact(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("Email")

    class Topic(models.TextChoices):
        INFUSION = "infusion", _("Ketamine infusion therapy")
        PSYCHOTHERAPY = "psychotherapy", _("Ketamine-assisted psychotherapy")
        ESKETAMINE = "esketamine", _("Esketamine nasal spray (Spravato)")
        COSTS = "costs", _("Costs and insurance")
        OTHER = "other", _("Something else")

    # The language of the form the person used (the page's address says it): staff answer
    # in it. Staff-facing labels, so plain English whatever the page's language.
    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish (español)"

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"
        SPAM = "spam", "Spam"

    # What the visitor sent.
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    phone = models.CharField(
        max_length=PHONE_MAX_LENGTH,
        blank=True,
        help_text="Stored as digits only (with + for numbers outside the US).",
    )
    preferred_contact = models.CharField(
        "preferred contact",
        max_length=10,
        choices=PreferredContact.choices,
        help_text="How the person asked to be contacted.",
    )
    topic = models.CharField(
        max_length=20, choices=Topic.choices, help_text="What the person wants to ask about."
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    consent = models.BooleanField(
        default=False,
        help_text="The person agreed to the privacy notice and to being contacted.",
    )
    source_page = models.CharField(
        max_length=SOURCE_PAGE_MAX_LENGTH,
        blank=True,
        help_text="The page of this website the person was reading before the contact form.",
    )
    language = models.CharField(
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
        editable=False,
        help_text=(
            "The language of the contact form the person used. Please answer in it: "
            "a Spanish inquiry gets a reply in Spanish."
        ),
    )
    created_at = models.DateTimeField("received", default=timezone.now, editable=False)

    # What staff do with it.
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        help_text=(
            "New: nobody has answered yet. Contacted: someone from the clinic has reached "
            "the person. Closed: nothing more to do. Spam: not a real request."
        ),
    )
    urgent = models.BooleanField(
        "urgent",
        default=False,
        help_text=(
            "Set by the website when the message suggests a crisis or thoughts of self-harm. "
            "Please reach out to the person first. Clear it once someone has followed up."
        ),
    )
    staff_notes = models.TextField(
        blank=True,
        help_text="For the care team only: who called back, when, and what was agreed.",
    )

    # Bookkeeping.
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When staff were e-mailed about this inquiry. Empty: not (yet) e-mailed.",
    )
    # A sender's claim on the notification (inquiries/services.py): until this moment no
    # other sender takes it; after it, a sender that died holding it is assumed gone.
    notify_claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    spam_reason = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="Why the website flagged this as spam, if it did.",
    )
    over_rate_limit = models.BooleanField(
        "sent over the rate limit",
        default=False,
        editable=False,
        help_text=(
            "The person's connection had already sent the most messages the form accepts in "
            "a short time. It was kept only because it may be about a crisis."
        ),
    )

    class Meta:
        verbose_name = "inquiry"
        verbose_name_plural = "inquiries"
        ordering = ["-created_at"]
        permissions = [("export_inquiry", "Can export inquiries to a spreadsheet (CSV)")]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["-urgent", "-created_at"], name="inquiry_urgent_first"),
        ]

    def __str__(self) -> str:
        # Shown in admin breadcrumbs and access logs: the number, not the person's name.
        return f"Inquiry #{self.pk}"

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone) if self.phone else ""

    @classmethod
    def language_now(cls) -> str:
        """The inquiry language for the page being answered: the active language ("es",
        "es-mx"... -> Spanish); anything else, or translation off, is English."""
        active = (get_language() or "").lower()
        if active == cls.Language.SPANISH or active.startswith(cls.Language.SPANISH + "-"):
            return cls.Language.SPANISH
        return cls.Language.ENGLISH


class InquiryAccessLog(models.Model):
    """Who looked at or exported which inquiry, and when (an audit trail for privacy)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported to CSV"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="access_logs")
    # Kept when a staff account is deleted later: the username is copied at the time.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField("when", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "inquiry access record"
        verbose_name_plural = "inquiry access records"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display().lower()} inquiry #{self.inquiry_id}"


class RateLimitHit(models.Model):
    """How many inquiries one client sent in one time window.

    Counted in the database, not in process memory, so the limit holds across all gunicorn
    workers and servers. The client is a salted hash: no address is stored.
    """

    client_key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client_key", "window_start"], name="unique_rate_limit_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.client_key[:8]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
