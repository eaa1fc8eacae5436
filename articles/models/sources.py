"""The sources articles cite (content/references.yaml)."""

from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords

from foundation.markdown import Source
from foundation.revisions import skip_history_if_unchanged


class CitedSource(models.Model):
    """A source articles may cite: `[^key]` right after the claim, listed in full under
    References. Changing one changes every article that cites it, so an Editor's change
    waits for a clinical reviewer, and each citing article is "changed since its review"
    once the new text is live. Imported from and exported to content/references.yaml."""

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text="How articles cite it, e.g. anand2023 for [^anand2023]. Keep it stable.",
    )
    text = models.TextField(
        help_text=(
            "The full citation, exactly as published: authors, title, journal, year, volume "
            "and pages. Only real, checkable sources."
        )
    )
    url = models.URLField(
        "web address",
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="Optional: https://…",
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = "source"

    def __str__(self) -> str:
        return self.key

    def save(self, *args, **kwargs) -> None:
        self.text = " ".join(self.text.split())  # one line, as in the References list
        with skip_history_if_unchanged(self):
            super().save(*args, **kwargs)

    def as_source(self) -> Source:
        return Source(text=self.text, url=self.url)

    def content_state(self) -> dict:
        return {"key": self.key, "text": self.text, "url": self.url}
