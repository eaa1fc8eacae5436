"""What the patient-education renderers need, made from data the caller passes.

The models own their rendering (`Article.rendered`, `FAQEntry.rendered`,
`GlossaryTerm.rendered`, registered in foundation/content_rendering.py by
articles/apps.py): they read the glossary, the triage data and the sources and pass them
to foundation.markdown.render_markdown. This module only shapes that data, and imports
no model: the dependency runs one way, models -> rendering.

What a care card says is rendered into the stored HTML: `rerender_care_cards()`
(articles/models/article.py) renders the pages with cards again whenever the triage data or the
clinic profile changes (a symptom's approved change, import_content, a profile save).
"""

from collections.abc import Iterable, Mapping

from django.urls import reverse

from foundation.care_cards import ClinicContacts, Triage


def clinic_contacts(profile, language: str = "en") -> ClinicContacts:
    """Where the clinic-level cards send a patient, from a ClinicProfile, for cards in
    `language` (the after-hours note in it when the profile has it, else marked English)."""
    note = profile.in_language("after_hours_note", language)
    return ClinicContacts(
        phone=profile.phone,
        phone_href=profile.phone_href,
        after_hours_phone=profile.after_hours_phone,
        after_hours_href=profile.after_hours_href,
        after_hours_note=note.text,
        after_hours_note_lang=note.language if note.language != language else "",
    )


def triage(symptoms: Iterable[Mapping], headings: Mapping[str, str], profile) -> Triage:
    """The triage data as the renderer takes it: `symptoms` as dicts with key, level and
    text (TriageSymptom.content_state(), or a content/triage.yaml being imported), each
    level's heading, and the clinic profile for the phone numbers."""
    return Triage(
        symptoms={s["key"]: (s["level"], s["text"]) for s in symptoms},
        headings=dict(headings),
        clinic=clinic_contacts(profile),
        help_url=reverse("when_to_get_help"),
    )
