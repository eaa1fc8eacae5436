"""Clinical review on record: changes waiting for a reviewer, the reminders sent about
reviews falling due, the e-mails telling an editor a change was sent back."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .article import Article


class ChangeStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for clinical review"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back to the editor"
    # Sent back, and the editor has since sent a revised version for review (a new change).
    REVISED = "revised", "Sent back, then revised"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PendingChange(models.Model):
    """An edit to live content (an article, an FAQ answer, a glossary entry, a page; any
    model registered in articles/review/registry.py) that waits for a clinical reviewer.

    Visitors keep seeing the live item; the edit lives here (the form's values for the
    registered fields) until a reviewer approves it (it goes live, with their review
    recorded) or sends it back with a comment. An Editor's new item of a model without
    drafts waits here too, with no object_id until it is approved.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Empty for a new item that waits to be added."
    )
    item = GenericForeignKey("content_type", "object_id")
    values = models.JSONField(help_text="The edited fields, as the editor saved them.")
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.WAITING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(
        blank=True, help_text="Why it was sent back, for the editor (no patient details)."
    )
    # What happened to it, one plain-words line per step ("December 4, 2026, 9:40 pm: Sent
    # back with a comment (Dr Grace Reviewer)"), written by articles/review/workflow.py.
    events = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pending_change_item")]
        constraints = [
            # One open change per item: a second edit or a revert updates it or is refused.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status__in=["waiting", "sent_back"]),
                name="one_open_change_per_item",
            )
        ]
        verbose_name = "change waiting for clinical review"
        verbose_name_plural = "changes waiting for clinical review"

    def __str__(self) -> str:
        return f"Change to “{self.title}”"

    @property
    def is_open(self) -> bool:
        return self.status in (ChangeStatus.WAITING, ChangeStatus.SENT_BACK)

    @property
    def model(self) -> type[models.Model]:
        return self.content_type.model_class()

    def live_item(self) -> models.Model | None:
        """The item as it is live now (None for a new item that waits to be added)."""
        if self.object_id is None:
            return None
        return self.model.objects.filter(pk=self.object_id).first()

    @property
    def title(self) -> str:
        """What the change is to, in words: the live item's name, else the new one's."""
        live = self.live_item()
        if live is not None:
            return str(live)
        for name in ("title", "question", "term", "key"):
            if self.values.get(name):
                return str(self.values[name])
        return f"A new {self.content_type.name}"

    @property
    def article_id(self) -> int | None:
        """The article this change is to, if it is to an article."""
        return self.object_id if self.model is Article else None

    @property
    def article(self) -> "Article | None":
        return self.live_item() if self.model is Article else None


class ReviewReminder(models.Model):
    """One reminder e-mail sent by `review_reminders`: at most one per recipient and day,
    so running it again (or from two machines) never sends the same list twice."""

    recipient = models.EmailField()
    kind = models.CharField(max_length=20)  # "reviewer" or "escalation"
    sent_on = models.DateField()
    article_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "sent_on"], name="one_review_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.recipient} on {self.sent_on}"


class SentBackEmail(models.Model):
    """An e-mail telling an editor that a clinical reviewer sent her change back, to be
    sent outside the web request (articles/review/notices.py; `manage.py notify_editors`).
    It names the article and carries the reviewer's comment and a link to the admin:
    staff text only, never anything about patients."""

    change = models.ForeignKey(
        PendingChange, on_delete=models.CASCADE, related_name="sent_back_emails"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A sender's claim (see inquiries/services.py for the pattern): one sender at a time.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"E-mail about {self.change}"
