"""Where a symptom sends a patient (the when-to-get-help care cards and /when-to-get-help/):
the one place its urgency is decided."""

from dataclasses import replace

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from clinic.models import ClinicProfile
from foundation.care_cards import Triage

from .. import rendering


class TriageLevel(models.TextChoices):
    """Where a symptom sends a patient, most urgent first (the content guide's levels).
    The keys are the renderer's (foundation/care_cards.py TRIAGE_LEVELS); the labels are
    the headings of the cards and of /when-to-get-help/."""

    EMERGENCY = "emergency", "Call 911 or go to the emergency room now"
    CRISIS = "crisis", "Call or text 988 now"
    CLINIC_TODAY = "clinic_today", "Call the clinic the same day"
    SOON = "soon", "See your own doctor or the clinic within a few days"


class TriageSymptom(models.Model):
    """One symptom and where it sends a patient: the one place its urgency is decided.
    Care cards (`!!! when-to-get-help`) name symptoms by key and /when-to-get-help/ lists
    them all, so a symptom reads the same and goes to the same place on every page.
    Loaded from content/triage.yaml by import_content."""

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text=(
            "The name editors type in a care card, e.g. slow-breathing: lower-case words "
            "joined by hyphens. It is never shown to patients."
        ),
    )
    level = models.CharField(
        max_length=20,
        choices=TriageLevel.choices,
        help_text=(
            "Where this symptom sends a patient, on every card and on /when-to-get-help/. "
            "911 (emergency) for anything that may threaten life or limb, such as a stroke, "
            "trouble breathing or a serious allergic reaction; 988 only for a mental-health "
            "crisis, never for a physical symptom; the clinic the same day for what needs a "
            "clinician today but is not an emergency; your own doctor or the clinic soon "
            "for the rest. Saving changes every card that lists it."
        ),
    )
    text = models.CharField(
        max_length=300,
        help_text=(
            "The symptom in plain words, as patients read it after “Get help if you have:”, "
            "e.g. “Slow, shallow or stopped breathing”. Grade 6 reading level or lower."
        ),
    )
    order = models.PositiveIntegerField(
        default=100, help_text="Position in its level's list (1 is shown first)."
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "when-to-get-help symptom"

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"

    def content_state(self) -> dict:
        return {"key": self.key, "level": self.level, "text": self.text}

    @classmethod
    def triage_data(cls, symptoms: list[dict] | None = None) -> Triage:
        """The triage data as the renderer takes it: from the database, or from `symptoms`
        (dicts with key, level, text, e.g. a content/triage.yaml being imported)."""
        if symptoms is None:
            symptoms = [s.content_state() for s in cls.objects.all()]
        # Read afresh (not ClinicProfile.current(), kept per worker): this runs right after
        # a profile save, before the cache hears of it.
        return rendering.triage(symptoms, dict(TriageLevel.choices), ClinicProfile.load())

    @classmethod
    def marked_english_triage(cls, language: str) -> Triage:
        """The English triage data for cards on a page in `language` that has no triage
        data of its own patients may read: the symptoms' words and headings marked
        lang="en", the clinic's after-hours note in `language` if the profile has it."""
        english = cls.triage_data()
        contacts = rendering.clinic_contacts(ClinicProfile.load(), language)
        return replace(english, words_lang="en", clinic=contacts)

    def clean(self) -> None:
        """A key in use by a card cannot be renamed: the card would lose the symptom."""
        if self.pk is None:
            return
        old_key = TriageSymptom.objects.filter(pk=self.pk).values_list("key", flat=True).first()
        if old_key and old_key != self.key:
            users = pages_using_symptom(old_key)
            if users:
                raise ValidationError(
                    {
                        "key": f"“{old_key}” is used by care cards on: {', '.join(users)}. "
                        "Change those cards first, or keep the key."
                    }
                )


def pages_using_symptom(key: str) -> list[str]:
    """Articles and FAQ answers whose care cards list this symptom key."""
    from ..citations import card_keys

    # By name: faq_and_glossary.py and article.py import this module (their care cards).
    Article = apps.get_model("articles", "Article")
    FAQEntry = apps.get_model("articles", "FAQEntry")

    found = [
        a.title for a in Article.objects.filter(body__contains=key) if key in card_keys(a.body)
    ]
    found += [
        f"FAQ: {e.question}"
        for e in FAQEntry.objects.filter(answer__contains=key)
        if key in card_keys(e.answer)
    ]
    return found
