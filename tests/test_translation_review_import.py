"""The translations' review rule (issue 28 item 2) on the file road and for the triage
data: with REQUIRE_MEDICAL_REVIEW on, import_content puts a changed Spanish file of a
translation patients read in a change waiting for clinical review, as it does for English
content without drafts, unless the file carries a review of exactly its text; a change to
the triage data's translation is compared symptom by symptom."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import review
from articles.models import (
    Article,
    ArticleTranslation,
    ChangeStatus,
    PendingChange,
    TriageTranslation,
)

# The fixtures `content` and `imported` come from tests/content_copy.py.
# ruff: noqa: F811
from tests.content_copy import content, imported, run_import  # noqa: F401
from tests.reviewing import a_clinician, sign_off
from tests.staff import staff_in_group

SLUG = "a-treatment-day"


@pytest.fixture
def reviewed(imported, settings) -> ArticleTranslation:
    """The English article and its translation reviewed, shown under the rule."""
    settings.REQUIRE_MEDICAL_REVIEW = True
    sign_off(Article.objects.get(slug=SLUG))
    translation = ArticleTranslation.objects.get(article__slug=SLUG)
    translation.record_review(a_clinician())
    translation.save()
    return translation


def test_a_changed_file_of_a_shown_translation_waits_for_review(reviewed, imported):
    path = next((imported / "es" / "articles").glob("08-*.md"))
    path.write_text(path.read_text() + "\nUna frase que nadie revisó.\n")
    run_import(imported, "--force")
    live = ArticleTranslation.objects.get(pk=reviewed.pk)
    assert live.body == reviewed.body and live.review_is_current
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    assert change.model is ArticleTranslation and change.object_id == reviewed.pk
    assert "Una frase que nadie revisó." in change.values["body"]


def test_a_file_with_a_review_of_exactly_its_text_comes_in_with_it(reviewed, tmp_path):
    exported = tmp_path / "exported"
    call_command("export_content", "--dir", str(exported), stdout=StringIO())
    reviewed.body += "\n\nOtra frase, revisada en el admin.\n"
    reviewed.record_review(a_clinician())
    reviewed.save()

    run_import(exported, "--force")
    live = ArticleTranslation.objects.get(pk=reviewed.pk)
    assert "Otra frase" not in live.body and live.review_is_current
    assert not PendingChange.objects.filter(content_type__model="articletranslation").exists()


def test_a_change_to_the_triage_translation_is_read_symptom_by_symptom(imported, client):
    """The triage data's translation is data, not text: its reviewer compares it one
    heading or symptom per paragraph, and approving records her review."""
    triage = TriageTranslation.objects.get()
    triage.record_review(a_clinician())
    triage.save()
    editor = staff_in_group("editor", "Editor")
    triage.symptom_texts = [{**triage.symptom_texts[0], "text": "Un texto nuevo."}]
    triage.symptom_texts += TriageTranslation.objects.get().symptom_texts[1:]
    assert review.submit(triage, editor).result == "waiting"
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)

    user = staff_in_group("reviewer", "Clinical reviewer")
    a_clinician("Dr Rosa Reviewer", "MD", user=user)
    client.force_login(user)
    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    html = client.get(screen_url).content.decode()
    assert '<h2 id="difference-symptoms">Symptoms</h2>' in html
    assert "<ins>Un texto nuevo.</ins>" in html and "[{" not in html
    client.post(screen_url, {"action": "approve"})
    live = TriageTranslation.objects.get()
    assert live.symptom_texts[0]["text"] == "Un texto nuevo."
    assert live.review_is_current and live.reviewer.name == "Dr Rosa Reviewer"
