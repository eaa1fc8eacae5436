"""What every translation record shares (issue 28): its language, its translator, the
English text it translates and its own clinical review. Articles, FAQ answers, glossary
entries, the triage data (articles/models/) and the clinic's pages (clinic/models.py)
each add the fields they translate and the English item they translate.

- `english_fingerprint` is `fields_fingerprint` of the English item's translated fields
  (newlines normalised, ends stripped, as JSON with sorted keys) as they were when the
  translation was made. The translation is stale when it differs from the English item's
  as it is now (`is_stale`); an empty one means "made from an English version the site
  does not have" (its file named an older English file): stale.
- `english_text_translated` keeps those English fields, so staff can see word by word what
  changed in the English since (articles/translation_admin.py).
- `english_sha256` is the SHA-256 of the English *file's* bytes the content/es file
  names; kept as given so export writes it back unchanged (a round trip is lossless).
- The review covers exactly the translated text (`reviewed_hash`), as an English
  article's review does; REQUIRE_MEDICAL_REVIEW applies to it the same way
  (foundation.review_state.review_allows_showing).
"""

import datetime
import hashlib
import json

from django.db import models
from django.utils import timezone

from foundation.review_state import one_year_after, review_allows_showing, review_state_of
from foundation.revisions import normalise_newlines


class Language(models.TextChoices):
    SPANISH = "es", "Spanish"


def fields_fingerprint(source, fields: tuple[str, ...]) -> str:
    """SHA-256 of `fields` of an item, a translation or a dict of them."""
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, "")
    values = {name: normalise_newlines(str(get(name) or "")).strip() for name in fields}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def fields_text(source, fields: tuple[str, ...]) -> dict[str, str]:
    """`fields` of an item, as `english_text_translated` keeps them."""
    return {name: normalise_newlines(str(getattr(source, name) or "")) for name in fields}


def known_english_text(
    english: dict | None, file_matches: bool, stored, english_sha256: str, fields: tuple
) -> dict:
    """The English text a translation file was made from, or {} if unknown (an older
    English version the site does not have: the translation is stale).

    `english`: the English item's text in the folder imported (None: no such item). It
    is what was translated if the English file has the bytes the translation names
    (`file_matches`), or if the stored translation names the same english_sha256 and
    translates that same text (export_content rewrites English files in its own layout,
    so after an export the bytes differ while the text is the same)."""
    if english is None:
        return {}
    if file_matches:
        return english
    if (
        stored is not None
        and stored.english_sha256 == english_sha256
        and stored.english_fingerprint == fields_fingerprint(english, fields)
    ):
        return english
    return {}


def english_updated_on(item) -> datetime.date:
    """When an English item last changed in substance: its "text last updated" date if it
    has one, else its last save, else its last saved revision (simple_history)."""
    if getattr(item, "text_updated_on", None):
        return item.text_updated_on
    if getattr(item, "updated_at", None):
        return timezone.localdate(item.updated_at)
    history = getattr(item, "history", None)
    last = history.order_by("-history_date").first() if history is not None else None
    return timezone.localdate(last.history_date) if last else timezone.localdate()


class TranslationRecord(models.Model):
    """A translation's own record. A subclass sets TRANSLATED_FIELDS (its text fields,
    named as the English item's) and ENGLISH (the foreign key to the English item), or
    overrides english_item/english_text_now/english_then (the triage data, one record)."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()
    ENGLISH = ""

    language = models.CharField(max_length=10, choices=Language.choices, default=Language.SPANISH)
    translator = models.CharField(
        max_length=300, help_text="Who translated this text, named honestly."
    )
    translated_on = models.DateField(null=True, blank=True)
    # See the module docstring: what the translation was made from.
    english_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    english_text_translated = models.JSONField(default=dict, blank=True, editable=False)
    english_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    reviewer = models.ForeignKey(
        "clinic.Clinician",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)s_reviewed",
        verbose_name="medical reviewer",
    )
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="The date a clinician last checked this translation."
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Left empty, it is set to one year after the review date."
    )
    # Fingerprint of the translated text as the reviewer signed it off.
    reviewed_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Where it lives in content/es/, kept by export_content; and the English file it names.
    source_file = models.CharField(max_length=300, blank=True, editable=False)
    translation_of = models.CharField(max_length=300, blank=True, editable=False)
    # Fingerprint of its content/ state as last imported: tells import_content whether
    # someone has edited the translation in the admin since.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.TRANSLATED_FIELDS[0])} ({self.get_language_display()})"

    def save(self, *args, **kwargs) -> None:
        self.render()
        if self.reviewed_on and not self.next_review_due:
            self.next_review_due = one_year_after(self.reviewed_on)
        super().save(*args, **kwargs)

    def render(self) -> None:
        """Put the HTML of the translated Markdown on the record (a kind with Markdown
        renders it as its English item does)."""

    # --- The English text it translates -------------------------------------------------

    def english_item(self):
        return getattr(self, self.ENGLISH)

    def english_text_now(self) -> dict[str, str]:
        return fields_text(self.english_item(), self.TRANSLATED_FIELDS)

    def english_then(self):
        """The English text this was translated from, as an (unsaved) English item to
        compare with the English item now (articles/comparison.py)."""
        fields = {n: self.english_text_translated.get(n, "") for n in self.TRANSLATED_FIELDS}
        return type(self.english_item())(**fields)

    @property
    def is_stale(self) -> bool:
        """The English text changed since the version translated."""
        return self.english_fingerprint != fields_fingerprint(
            self.english_text_now(), self.TRANSLATED_FIELDS
        )

    @property
    def english_changed_on(self) -> datetime.date:
        """When the English text last changed in substance."""
        return english_updated_on(self.english_item())

    def translates_current_english(self) -> None:
        """Record that this text translates the English as it is now (saved by the caller;
        english_sha256 is set by whoever knows the English file)."""
        text = self.english_text_now()
        self.english_fingerprint = fields_fingerprint(text, self.TRANSLATED_FIELDS)
        self.english_text_translated = text

    # --- Its own clinical review --------------------------------------------------------

    def own_fingerprint(self) -> str:
        return fields_fingerprint(self, self.TRANSLATED_FIELDS)

    @property
    def review_is_current(self) -> bool:
        """A reviewer signed off exactly this translated text."""
        return bool(
            self.reviewer_id
            and self.reviewed_on
            and self.reviewed_hash
            and self.reviewed_hash == self.own_fingerprint()
        )

    def review_state(self, today: datetime.date | None = None) -> str:
        """ "reviewed", "overdue" or "not_reviewed", as for English articles."""
        return review_state_of(self, today)

    def record_review(self, reviewer, day: datetime.date | None = None) -> None:
        """Sign off the translation as it is now (saved by the caller)."""
        day = day or timezone.localdate()
        self.reviewer = reviewer
        self.reviewed_on = day
        self.next_review_due = one_year_after(day)
        self.reviewed_hash = self.own_fingerprint()

    def may_be_shown(self) -> bool:
        """The review rule English text follows (REQUIRE_MEDICAL_REVIEW). A stale
        translation may still be shown, saying so (issue 28): staleness is told, not hidden."""
        return review_allows_showing(self)

    def common_state(self) -> dict:
        """What every content/es file says of its translation (in the form the parsers
        give), with the review only while current."""
        current = self.review_is_current
        return {
            "language": self.language,
            "translation_of": self.translation_of,
            "english_sha256": self.english_sha256,
            "translated_on": self.translated_on.isoformat() if self.translated_on else None,
            "translator": self.translator,
            "reviewer": self.reviewer.name if current else None,
            "reviewed_on": self.reviewed_on.isoformat() if current else None,
            "next_review_due": (
                self.next_review_due.isoformat() if current and self.next_review_due else None
            ),
            "review_fingerprint": self.reviewed_hash if current else None,
        }

    def apply_common_state(self, state: dict, english_text: dict, reviewer, source_file: str):
        """Copy what every translation file gives onto this record (not saved).
        `english_text`: see known_english_text ({}: unknown, so it is stale)."""
        for name in ("language", "translation_of", "english_sha256", "translator"):
            setattr(self, name, state[name])
        on = state["translated_on"]
        self.translated_on = datetime.date.fromisoformat(on) if on else None
        self.english_text_translated = english_text
        self.english_fingerprint = (
            fields_fingerprint(english_text, self.TRANSLATED_FIELDS) if english_text else ""
        )
        self.source_file = source_file
        reviewed = reviewer is not None and state["reviewed_on"] and state["review_fingerprint"]
        self.reviewer = reviewer if reviewed else None
        self.reviewed_on = datetime.date.fromisoformat(state["reviewed_on"]) if reviewed else None
        due = state["next_review_due"]
        self.next_review_due = datetime.date.fromisoformat(due) if reviewed and due else None
        self.reviewed_hash = state["review_fingerprint"] if reviewed else ""
        return self
