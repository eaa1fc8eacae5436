"""An article body to HTML: the site's Markdown rendering with the article's citations
listed under References, the first use of each glossary term linked to its entry, and
"when to get help" care cards made from the triage data and the clinic's phone numbers.

Used when an article (or FAQ answer) is saved and by the editor's live preview, so the
preview shows the page as visitors will see it. What a card says is rendered into the
stored HTML: `rerender_care_cards()` renders the pages with cards again whenever the
triage data or the clinic profile changes (the admin, import_content, a profile save).
"""

from django.urls import reverse

from clinic.models import ClinicProfile
from clinic_site.markdown import (
    ClinicContacts,
    GlossaryLink,
    Rendered,
    Triage,
    preview_html,
    render_markdown,
)

from .citations import SourcesFileError, body_problems, load_sources


def glossary_links() -> list[GlossaryLink]:
    from .models import GlossaryTerm  # the models render with this module

    return [term.link() for term in GlossaryTerm.objects.all()]


def triage_data(symptoms=None) -> Triage:
    """The triage data as the renderer takes it: from the database, or from `symptoms`
    (dicts with key, level, text, e.g. a content/triage.yaml being imported)."""
    from .models import TriageLevel, TriageSymptom

    if symptoms is None:
        symptoms = [s.content_state() for s in TriageSymptom.objects.all()]
    # Read afresh (not ClinicProfile.current(), kept per worker): this runs right after a
    # profile save, before the cache hears of it.
    profile = ClinicProfile.load()
    return Triage(
        symptoms={s["key"]: (s["level"], s["text"]) for s in symptoms},
        headings=dict(TriageLevel.choices),
        clinic=ClinicContacts(
            phone=profile.phone,
            phone_href=profile.phone_href,
            after_hours_phone=profile.after_hours_phone,
            after_hours_href=profile.after_hours_href,
            after_hours_note=profile.after_hours_note,
        ),
        help_url=reverse("when_to_get_help"),
    )


def render_article_body(text: str) -> Rendered:
    try:
        sources = load_sources()
    except SourcesFileError:
        # Saving still works; the editor's checks (Article.clean) say what is wrong.
        sources = {}
    return render_markdown(text, sources=sources, glossary=glossary_links(), triage=triage_data())


def render_faq_answer(text: str) -> Rendered:
    return render_markdown(text, triage=triage_data())


def markdownify(text: str) -> str:
    """Entry point for django-markdownx's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION).

    Above the preview, what saving would refuse (a citation key not in the list of
    sources, with the key and the closest one; a footnote definition; an unknown kind of
    care card), so the editor sees it while typing, not only when saving."""
    return preview_html(render_article_body(text), warnings=body_problems(text))
