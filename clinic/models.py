from typing import NamedTuple

from django.conf import settings
from django.db import models
from markdownx.models import MarkdownxField

from foundation.content_format import SUMMARY_MAX_LENGTH
from foundation.content_version import per_content_version
from foundation.languages import ENGLISH, SPANISH
from foundation.markdown import Rendered, render_markdown
from foundation.revisions import normalise_newlines

from .translation import TranslationRecord


class Said(NamedTuple):
    """A profile's text for a page, and the language it is written in (the page marks
    it with lang when that is not the page's own)."""

    text: str
    language: str

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class ClinicProfile(models.Model):
    """The clinic's own details, shown in every page's header and footer.

    There is only ever one row (pk=1); `ClinicProfile.load()` returns it.
    """

    name = models.CharField(max_length=120)
    tagline = models.CharField(
        max_length=200,
        help_text="The clinic in one sentence, shown at the top of the home page.",
    )
    phone = models.CharField(
        max_length=40, help_text="As patients should dial it, e.g. (201) 555-0142."
    )
    after_hours_phone = models.CharField(
        "after-hours phone",
        max_length=40,
        blank=True,
        help_text=(
            "Optional: a line patients can call when the clinic is closed, e.g. a nurse or "
            "on-call clinician. Every care card that says “call the clinic” gives it for "
            "when the clinic is closed; left empty, they say to go to an urgent care center "
            "or call your own doctor instead. Either way, 911 if it gets worse."
        ),
    )
    after_hours_note = models.CharField(
        "what the after-hours line is for",
        max_length=200,
        blank=True,
        help_text=(
            "Shown after the number, in brackets, in plain words: e.g. a nurse answers at "
            "night and at weekends."
        ),
    )
    email = models.EmailField()
    address = models.TextField(help_text="One line per line of the postal address.")
    hours = models.TextField(help_text="Opening hours, one line per line, e.g. Mon–Fri 8am–5pm.")
    callback_time = models.CharField(
        max_length=200,
        default="We usually call back within one business day.",
        help_text="Shown after someone sends the contact form.",
    )
    booking_url = models.URLField(
        blank=True, help_text="Optional link to an online booking page. Leave empty if none."
    )
    opening_hours_spec = models.CharField(
        "opening hours for search engines",
        max_length=200,
        blank=True,
        default="Mo-Fr 08:00-17:00, Sa 09:00-13:00",
        help_text="The same hours in the format search engines read, e.g. Mo-Fr 08:00-17:00.",
    )

    # The clinic's own words on the Spanish pages (issue 28). Left empty, the Spanish
    # pages show the English ones, marked as English (`in_language`).
    tagline_es = models.CharField(
        "tagline in Spanish",
        max_length=200,
        blank=True,
        help_text=(
            "The tagline in plain Spanish, for the Spanish pages. Left empty, they show the "
            "English one."
        ),
    )
    after_hours_note_es = models.CharField(
        "what the after-hours line is for, in Spanish",
        max_length=200,
        blank=True,
        help_text=(
            "The same note in plain Spanish, e.g. una enfermera contesta de noche y los "
            "fines de semana. Left empty, the Spanish pages show the English one."
        ),
    )
    hours_es = models.TextField(
        "opening hours in Spanish",
        blank=True,
        help_text=(
            "The same hours in Spanish, one line per line, e.g. Lunes a viernes: 8 a. m. a "
            "5 p. m. Left empty, the Spanish pages show the English ones."
        ),
    )

    # The fields with a Spanish version of their own (<name>_es).
    SPANISH_FIELDS = ("tagline", "after_hours_note", "hours")

    class Meta:
        verbose_name = "clinic profile"
        verbose_name_plural = "clinic profile"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ClinicProfile":
        profile = cls.objects.filter(pk=1).first()
        return profile or cls(**DEMO_PROFILE)

    @classmethod
    def current(cls) -> "ClinicProfile":
        """The profile every page shows: read once per worker after each save, not once
        per request (see `per_content_version`). Shared, so read it, never change it."""
        return _current_profile()

    @property
    def phone_href(self) -> str:
        """The phone number as a tel: link target (digits and a leading + only)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"

    @property
    def after_hours_href(self) -> str:
        """The after-hours number as a tel: link target, or "" if there is none."""
        digits = "".join(ch for ch in self.after_hours_phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    def in_language(self, field: str, language: str) -> Said:
        """The text of `field` for a page in `language`: on a Spanish page its Spanish
        version when it is filled in, else the English one (which the page marks as
        English: never an unmarked fallback)."""
        if language == SPANISH and field in self.SPANISH_FIELDS:
            spanish = getattr(self, f"{field}_es").strip()
            if spanish:
                return Said(spanish, SPANISH)
        return Said(getattr(self, field), ENGLISH)

    @property
    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.hours.splitlines() if line.strip()]


# Clearly fictional values for a new install: a 555-01xx number, an example.com address.
DEMO_PROFILE = {
    "name": "Example Ketamine Clinic",
    "tagline": (
        "A medical clinic that offers supervised ketamine treatment for depression "
        "and related conditions, with care before, during and after every visit."
    ),
    "phone": "(201) 555-0142",
    "after_hours_phone": "(201) 555-0199",
    "after_hours_note": "a nurse answers at night and at weekends",
    "email": "hello@example.com",
    "address": "100 Example Avenue, Suite 200\nSpringfield, NJ 07081",
    "hours": "Monday to Friday: 8 am to 5 pm\nSaturday: 9 am to 1 pm\nSunday: closed",
    "callback_time": "We usually call back within one business day.",
    "booking_url": "",
    "opening_hours_spec": "Mo-Fr 08:00-17:00, Sa 09:00-13:00",
    # The same demo words in Spanish (a migration gives them to a profile that still has
    # the demo's English ones).
    "tagline_es": (
        "Una clínica médica que ofrece tratamiento con ketamina bajo supervisión para la "
        "depresión y otros problemas parecidos, con atención antes, durante y después de "
        "cada visita."
    ),
    "after_hours_note_es": "una enfermera contesta de noche y los fines de semana",
    "hours_es": (
        "Lunes a viernes: de 8 a. m. a 5 p. m.\nSábado: de 9 a. m. a 1 p. m.\nDomingo: cerrado"
    ),
}


class Clinician(models.Model):
    """A person who writes or medically reviews articles."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=120, help_text="Degrees and licences, e.g. MD, board-certified psychiatrist."
    )
    bio = models.TextField(blank=True, help_text="Two or three sentences for patients.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clinician",
        verbose_name="staff account",
        help_text=(
            "The account this clinician signs in to the admin with. A clinical reviewer "
            "needs one to record a review in their own name."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}"


class Page(models.Model):
    """A page about the clinic itself: privacy notice, accessibility statement, how articles
    are written. Shown at /<slug>/ and linked from every page's footer."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="The page's web address.")
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=f"One sentence of at most {SUMMARY_MAX_LENGTH} characters, for search engines.",
    )
    body = MarkdownxField(
        help_text=(
            "The page in Markdown. In the privacy notice, {retention_days} is replaced by "
            "how many days inquiries are kept."
        )
    )
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("page", args=[self.slug])

    @classmethod
    def rendered(cls, body: str) -> Rendered:
        """The page as visitors see it (plain Markdown: no References list or glossary
        links): what a save stores, and what the editor's and the reviewer's previews show.
        ({retention_days} stays as typed: the page's view fills it in.)"""
        return render_markdown(body)

    def render(self) -> None:
        self.body = normalise_newlines(self.body)
        self.body_html = self.rendered(self.body).html

    def content_state(self) -> dict:
        return {
            "title": self.title,
            "slug": self.slug,
            "summary": self.summary,
            "body": self.body.strip(),
        }


class PageTranslation(TranslationRecord):
    """A translation of a page about the clinic (issue 28): what the shared fields mean,
    clinic/translation.py. Rendered as the English page is (Page.rendered)."""

    TRANSLATED_FIELDS = ("title", "summary", "body")
    ENGLISH = "page"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH)
    body = MarkdownxField(
        help_text="The translated page in Markdown ({retention_days} as in the English page)."
    )
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["page__title", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_page_translation_per_language"
            )
        ]

    def render(self) -> None:
        """The body's HTML, by the English page's renderer."""
        self.body = normalise_newlines(self.body)
        self.body_html = Page.rendered(self.body).html

    def content_state(self) -> dict:
        """What its content/es/pages file carries (articles/translation_files.py)."""
        return {
            "title": self.title,
            "slug": self.page.slug,
            "summary": self.summary,
            **self.common_state(),
            "body": self.body.strip(),
        }


def shown_page_translation(page: Page, language: str) -> PageTranslation | None:
    """The translation of `page` patients may read in `language`, or None (then the page
    says it has no version in that language and links to the English one). Its own review
    follows REQUIRE_MEDICAL_REVIEW; a stale one is returned too: check `is_stale` and
    `english_changed_on` to say so at the top."""
    translation = page.translations.filter(language=language).first()
    return translation if translation is not None and translation.may_be_shown() else None


@per_content_version
def _current_profile() -> ClinicProfile:
    return ClinicProfile.load()
