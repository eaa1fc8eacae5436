"""Translations follow the review rule English text follows (issue 28 item 2): with
REQUIRE_MEDICAL_REVIEW on, an Editor's change to a reviewed translation patients read
waits as a PendingChange while /es/ keeps the reviewed Spanish text; the clinical
reviewer's screen shows what approval publishes, rendered in Spanish; approving puts it
live with her review recorded. Review fields an Editor posts are ignored on the server."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    ArticleTranslation,
    ChangeStatus,
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    PendingChange,
)
from clinic.models import Page, PageTranslation
from tests.reviewing import a_clinician, sign_off
from tests.staff import staff_in_group

SLUG = "a-treatment-day"
SPANISH_PAGE = f"/es/articles/{SLUG}/"
# As a form gives them back (no newline at the end).
REVIEWED_BODY = "## Antes de la sesión\n\nNo coma nada durante seis horas."
EDITED_BODY = REVIEWED_BODY + "\n\n## Después de la sesión\n\nNo maneje hasta el día siguiente."
FIRST_REVIEW = datetime.date(2026, 12, 1)


@pytest.fixture
def shown(db, make_article, settings):
    """A reviewed English article and its reviewed Spanish translation, shown on /es/."""
    settings.REQUIRE_MEDICAL_REVIEW = True
    article = sign_off(make_article(title="A treatment day", slug=SLUG))
    translation = ArticleTranslation(
        article=article,
        title="Un día de tratamiento",
        summary="Qué pasa en una sesión de ketamina.",
        body=REVIEWED_BODY,
        translator="Ana Traductora",
        translated_on=datetime.date(2026, 11, 30),
    )
    translation.translates_current_english()
    translation.record_review(a_clinician("Dra. Revisora", "MD"), FIRST_REVIEW)
    translation.save()
    return translation


@pytest.fixture
def editor(client, db):
    client.force_login(staff_in_group("editor", "Editor"))
    return client


def reviewer_client(client):
    user = staff_in_group("reviewer", "Clinical reviewer")
    a_clinician("Dr Rosa Reviewer", "MD", user=user)
    client.force_login(user)
    return client


def form_of(translation: ArticleTranslation, **changes: str) -> dict:
    data = {
        "article": str(translation.article_id),
        "language": translation.language,
        "title": translation.title,
        "summary": translation.summary,
        "body": translation.body,
        "translator": translation.translator,
        "translated_on": translation.translated_on.isoformat(),
        "_save": "Save",
    }
    return data | changes


def change_url(translation) -> str:
    opts = translation._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[translation.pk])


def fresh(translation):
    return type(translation).objects.get(pk=translation.pk)


def test_an_editors_change_waits_and_patients_keep_the_reviewed_spanish(shown, editor, client):
    response = editor.post(change_url(shown), form_of(shown, body=EDITED_BODY))
    assert response.status_code == 302
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    assert change.model is ArticleTranslation and change.object_id == shown.pk
    assert change.values["body"] == EDITED_BODY

    live = fresh(shown)
    assert live.body == REVIEWED_BODY and live.review_is_current
    assert live.reviewer.name == "Dra. Revisora"
    client.logout()
    page = client.get(SPANISH_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "No coma nada durante seis horas." in html
    assert "No maneje hasta el día siguiente." not in html
    editor.force_login(change.submitted_by)

    listed = editor.get(reverse("admin:articles_articletranslation_changelist"))
    assert "a change waits for review" in listed.content.decode()

    # The Editor's form continues from the waiting change, and says it waits.
    form = editor.get(change_url(shown)).content.decode()
    assert "Changes waiting for clinical review" in form
    assert "No maneje hasta el día siguiente." in form


def test_the_reviewers_preview_is_what_approval_publishes(shown, editor, client):
    editor.post(change_url(shown), form_of(shown, body=EDITED_BODY, title="Un día en la clínica"))
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    reviewer = reviewer_client(client)

    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    screen = reviewer.get(screen_url)
    assert screen.status_code == 200
    preview = screen.context["proposed_html"]
    # Rendered as the Spanish page renders it: the article's renderer, Spanish active.
    assert preview == ArticleTranslation.rendered(EDITED_BODY, "es").html
    assert "No maneje hasta el día siguiente." in preview
    html = screen.content.decode()
    assert "<ins>Un día en la clínica</ins>" in html or "clínica</ins>" in html
    assert "No maneje hasta el día siguiente." in html

    response = reviewer.post(screen_url, {"action": "approve"})
    assert response.status_code == 302
    live = fresh(shown)
    assert live.body_html == preview
    assert live.title == "Un día en la clínica" and live.body == EDITED_BODY
    # Her review of the changed text, the full review's cycle kept.
    assert live.review_is_current and live.reviewer.name == "Dr Rosa Reviewer"
    assert live.reviewed_on == timezone.localdate()
    assert live.next_review_due == shown.next_review_due
    assert fresh(change).status == ChangeStatus.APPROVED

    client.logout()
    page = client.get(SPANISH_PAGE).content.decode()
    assert "No maneje hasta el día siguiente." in page
    assert "Revisado por Dr Rosa Reviewer" in page


def test_review_fields_an_editor_posts_are_ignored_on_the_server(shown, editor, client):
    other = a_clinician("Dr Not Asked", "MD")
    response = editor.post(
        change_url(shown),
        form_of(
            shown,
            body=EDITED_BODY,
            record_review="on",
            reviewer=str(other.pk),
            reviewed_on="2026-12-04",
            reviewed_hash="0" * 64,
            next_review_due="2030-01-01",
        ),
    )
    assert response.status_code == 302
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)  # waits all the same
    live = fresh(shown)
    assert live.body == REVIEWED_BODY and live.reviewer.name == "Dra. Revisora"
    assert live.next_review_due == shown.next_review_due
    # What waits carries no review; approving records the approver's, not the posted one.
    assert not {"reviewer_id", "reviewed_on", "reviewed_hash", "next_review_due"} & set(
        change.values
    )
    # An Editor cannot decide the change either.
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    assert editor.post(screen_url, {"action": "approve"}).status_code == 403
    assert fresh(change).status == ChangeStatus.WAITING

    reviewer_client(client).post(screen_url, {"action": "approve"})
    live = fresh(shown)
    assert live.reviewer.name == "Dr Rosa Reviewer" and live.review_is_current
    assert live.next_review_due == shown.next_review_due


def test_a_reviewers_unsigned_text_edit_waits_and_her_signed_one_goes_live(shown, client):
    """As for an English article: with the rule on, a reviewer's save without her review
    would hide the translation, so it waits; ticking her review puts it live."""
    reviewer = reviewer_client(client)
    reviewer.post(change_url(shown), form_of(shown, body=EDITED_BODY))
    assert PendingChange.objects.filter(status=ChangeStatus.WAITING).count() == 1
    assert fresh(shown).body == REVIEWED_BODY and fresh(shown).review_is_current
    PendingChange.objects.all().delete()

    response = reviewer.post(
        change_url(shown), form_of(shown, body=EDITED_BODY, record_review="on")
    )
    assert response.status_code == 302
    live = fresh(shown)
    assert live.body == EDITED_BODY and live.review_is_current
    assert live.reviewer.name == "Dr Rosa Reviewer"
    assert not PendingChange.objects.filter(status=ChangeStatus.WAITING).exists()


def test_a_translation_not_shown_is_edited_freely_and_never_reviewed_by_an_editor(shown, editor):
    """Not reviewed, it is not shown under the rule (a draft, in effect): an Editor's
    edit is saved as it is, and a posted sign-off is ignored."""
    ArticleTranslation.objects.filter(pk=shown.pk).update(reviewed_hash="")
    response = editor.post(change_url(shown), form_of(shown, body=EDITED_BODY, record_review="on"))
    assert response.status_code == 302
    live = fresh(shown)
    assert live.body == EDITED_BODY and not live.review_is_current
    assert not PendingChange.objects.exists()


def test_a_stale_translation_brought_up_to_date_by_an_editor_waits_then_is_current(
    shown, editor, client
):
    english = shown.article
    english.body += "\n\nDrink a glass of water when you get home.\n"
    english.save()
    assert fresh(shown).is_stale
    editor.post(
        change_url(shown),
        form_of(shown, body=EDITED_BODY, translates_current_english="on"),
    )
    assert fresh(shown).is_stale  # waits: the Spanish page still says the English changed
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    reviewer_client(client).post(screen_url, {"action": "approve"})
    live = fresh(shown)
    assert not live.is_stale and live.review_is_current and live.body == EDITED_BODY


def test_an_faq_translation_waits_and_is_approved_with_a_review(db, make_faq, editor, client):
    entry = make_faq(question="Does it hurt?", answer="No.")
    translation = FAQEntryTranslation(
        entry=entry, question="¿Duele?", answer="No.", translator="Ana Traductora"
    )
    translation.translates_current_english()
    translation.record_review(a_clinician("Dra. Revisora", "MD"))
    translation.save()
    data = {
        "entry": str(entry.pk),
        "language": "es",
        "question": "¿Duele?",
        "answer": "No, casi nada.",
        "translator": "Ana Traductora",
        "translated_on": "",
        "_save": "Save",
    }
    assert editor.post(change_url(translation), data).status_code == 302
    assert fresh(translation).answer == "No."
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    reviewer_client(client).post(screen_url, {"action": "approve"})
    live = fresh(translation)
    assert live.answer == "No, casi nada." and live.review_is_current
    assert live.reviewer.name == "Dr Rosa Reviewer"


def test_a_sent_back_translation_change_is_revised_and_waits_again(shown, editor, client):
    editor.post(change_url(shown), form_of(shown, body=EDITED_BODY))
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    editor_user = change.submitted_by
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    reviewer = reviewer_client(client)
    screen = reviewer.get(screen_url).content.decode()
    assert "with your clinical review of the translated text recorded" in screen
    reviewer.post(screen_url, {"action": "send_back", "comment": "Diga «conducir»."})
    assert fresh(change).status == ChangeStatus.SENT_BACK

    client.force_login(editor_user)
    form = client.get(change_url(shown)).content.decode()
    assert "Changes sent back by the clinical reviewer" in form and "conducir" in form
    revised = EDITED_BODY.replace("maneje", "conduzca")
    assert client.post(change_url(shown), form_of(shown, body=revised)).status_code == 302
    assert fresh(change).status == ChangeStatus.REVISED
    waiting = PendingChange.objects.get(status=ChangeStatus.WAITING)
    assert waiting.values["body"] == revised
    assert fresh(shown).body == REVIEWED_BODY


def test_with_the_rule_off_an_editors_new_translation_waits_until_approved(
    db, make_faq, editor, client, settings
):
    """With the rule off a new translation would be shown at once, labelled not yet
    reviewed: an Editor's waits, as her new FAQ answer does; approval adds it reviewed."""
    settings.REQUIRE_MEDICAL_REVIEW = False
    entry = make_faq(question="Can I drive home?", answer="No.")
    data = {
        "entry": str(entry.pk),
        "language": "es",
        "question": "¿Puedo manejar a casa?",
        "answer": "No.",
        "translator": "Ana Traductora",
        "translated_on": "",
        "_save": "Save",
    }
    response = editor.post(reverse("admin:articles_faqentrytranslation_add"), data)
    assert response.status_code == 302
    assert not FAQEntryTranslation.objects.exists()
    change = PendingChange.objects.get(status=ChangeStatus.WAITING, object_id=None)
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    reviewer_client(client).post(screen_url, {"action": "approve"})
    added = FAQEntryTranslation.objects.get()
    assert added.question == "¿Puedo manejar a casa?" and added.review_is_current
    assert not added.is_stale  # made in the admin: it translates the English as it is
    assert fresh(change).object_id == added.pk


def page_translation():
    page, _ = Page.objects.update_or_create(
        slug="privacy", defaults={"title": "Privacy notice", "body": "How we use data."}
    )
    translation = PageTranslation(
        page=page, title="Aviso de privacidad", summary="Cómo usamos sus datos.",
        body="Cómo usamos sus datos.", translator="Ana Traductora",
    )  # fmt: skip
    form = {"page": str(page.pk), "title": translation.title, "summary": translation.summary}
    return translation, form | {"body": "Cómo usamos y guardamos sus datos."}


def glossary_translation():
    term = GlossaryTerm.objects.create(term="Infusion", slug="infusion", definition="A drip.")
    translation = GlossaryTermTranslation(
        glossary_term=term, term="Infusión", definition="Un goteo.", translator="Ana Traductora"
    )
    form = {"glossary_term": str(term.pk), "term": "Infusión", "also": ""}
    return translation, form | {"definition": "Un goteo del medicamento en la vena."}


@pytest.mark.parametrize("make", [page_translation, glossary_translation])
def test_page_and_glossary_translations_wait_too(db, make, editor, client, settings):
    settings.REQUIRE_MEDICAL_REVIEW = True
    translation, form = make()
    translation.translates_current_english()
    translation.record_review(a_clinician("Dra. Revisora", "MD"))
    translation.save()
    before = type(translation).objects.get(pk=translation.pk)
    data = form | {"language": "es", "translator": "Ana Traductora", "translated_on": ""}
    assert editor.post(change_url(translation), data | {"_save": "Save"}).status_code == 302
    live = fresh(translation)
    assert live.own_fingerprint() == before.own_fingerprint() and live.review_is_current
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    reviewer_client(client).post(screen_url, {"action": "approve"})
    live = fresh(translation)
    assert live.own_fingerprint() != before.own_fingerprint()
    assert live.review_is_current and live.reviewer.name == "Dr Rosa Reviewer"
