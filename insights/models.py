"""What content insights keep: counts per day, and a few short texts for a limited time.

Nothing here identifies a visitor: no address, no user agent, no cookie, no account, and
no time of day (a day is enough for the charts, and a timestamp could be matched to an
access log line). Raw hits are never stored: each one adds 1 to its day's row.
"""

from django.db import models

PATH_MAX_LENGTH = 200
QUERY_MAX_LENGTH = 100
COMMENT_MAX_LENGTH = 300


class PageViewDay(models.Model):
    """How many times one page of the site was opened on one day."""

    day = models.DateField()
    path = models.CharField(max_length=PATH_MAX_LENGTH, help_text="The page's address.")
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "page views on one day"
        verbose_name_plural = "page views per day"
        # Staff see these on the insights page only; "view insights" is the one permission.
        default_permissions = ()
        permissions = [("view_insights", "Can view content insights")]
        constraints = [models.UniqueConstraint(fields=["day", "path"], name="unique_page_view_day")]

    def __str__(self) -> str:
        return f"{self.path} on {self.day}: {self.views}"


class SearchDay(models.Model):
    """How many times one search (normalised) was made on one day, and whether it found
    anything. Deleted after INSIGHTS_RETENTION_DAYS (`purge_insights`)."""

    day = models.DateField()
    query = models.CharField(max_length=QUERY_MAX_LENGTH)
    found = models.BooleanField(help_text="Whether the search found any article or answer.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "searches on one day"
        verbose_name_plural = "searches per day"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["day", "query", "found"], name="unique_search_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"“{self.query}” on {self.day}: {self.count}"


class CrisisSearchDay(models.Model):
    """How many searches on one day read like a crisis (the contact form's crisis phrases,
    clinic/crisis.py). Their words are never stored, here or in SearchDay: only the count,
    so staff can see how often the search box is used to ask for help."""

    day = models.DateField(unique=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "crisis searches on one day"
        verbose_name_plural = "crisis searches per day"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.count} crisis searches on {self.day}"


class FeedbackDay(models.Model):
    """ "Was this page helpful?" answers for one page on one day."""

    day = models.DateField()
    path = models.CharField(max_length=PATH_MAX_LENGTH)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "helpfulness answers on one day"
        verbose_name_plural = "helpfulness answers per day"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "path"], name="unique_feedback_day")]

    def __str__(self) -> str:
        return f"{self.path} on {self.day}: {self.yes} yes, {self.no} no"


class FeedbackComment(models.Model):
    """What a reader said was missing or unclear, with contact details taken out.

    Deleted after INSIGHTS_RETENTION_DAYS (`purge_insights`)."""

    day = models.DateField()
    path = models.CharField(max_length=PATH_MAX_LENGTH)
    helpful = models.BooleanField()
    text = models.CharField(max_length=COMMENT_MAX_LENGTH)

    class Meta:
        verbose_name = "page comment"
        verbose_name_plural = "page comments"
        default_permissions = ()
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"Comment on {self.path} ({self.day})"


class FeedbackRateLimitHit(models.Model):
    """How many feedback posts one client sent in one time window (as inquiries' rate
    limit does it: in the database, keyed by a salted hash, never the address)."""

    client_key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["client_key", "window_start"], name="unique_feedback_rate_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.client_key[:8]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
