"""Changing the triage data (in the admin, in the file, in the clinic profile) changes
every card, with the clinical review rule where it applies."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from articles import review
from articles.models import Article, ChangeStatus, FAQEntry, PendingChange, TriageSymptom
from clinic.models import Clinician, ClinicProfile
from tests.staff import staff_in_group
from tests.triage.cards import CARD, FALLBACK, TRIAGE_FILE, cards, items

# --- Changing the data changes every card -----------------------------------------------


def test_a_level_changed_in_the_admin_changes_every_card(
    symptoms, profile, reviewer_client, make_article, make_faq
):
    first = make_article(body=CARD)
    second = make_article(body="!!! when-to-get-help\n    - painful-peeing\n")
    answer = make_faq(answer="!!! when-to-get-help\n    - painful-peeing\n")
    symptom = symptoms["painful-peeing"]
    response = reviewer_client.post(
        reverse("admin:articles_triagesymptom_change", args=[symptom.pk]),
        {"key": symptom.key, "level": "clinic_today", "text": "Pain when you pee", "order": 1},
    )
    assert response.status_code == 302
    for html in (
        Article.objects.get(pk=first.pk).body_html,
        Article.objects.get(pk=second.pk).body_html,
        FAQEntry.objects.get(pk=answer.pk).answer_html,
    ):
        assert "Pain when you pee" in items(cards(html)["clinic_today"])
        assert "soon" not in cards(html)


def test_a_level_changed_in_the_file_waits_for_a_reviewer_then_changes_every_card(
    symptoms, profile, make_article, tmp_path, settings, client
):
    """Symptoms follow the review rule (articles/review/content.py): a file's new level
    for a live symptom waits as a change; once approved, every card says it."""
    settings.REQUIRE_MEDICAL_REVIEW = True
    article = make_article(body="!!! when-to-get-help\n    - blood-in-urine\n")
    assert "soon" in cards(article.body_html)
    changed = TRIAGE_FILE.read_text().replace(
        "key: blood-in-urine\n    level: soon", "key: blood-in-urine\n    level: clinic_today"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "triage.yaml").write_text(changed)
    out = StringIO()
    call_command("import_content", "--dir", str(tmp_path), stdout=out)
    assert "Waiting for clinical review: 1 item(s)" in out.getvalue()
    assert "symptom blood-in-urine" in out.getvalue()
    assert TriageSymptom.objects.get(key="blood-in-urine").level == "soon"
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["soon"]

    reviewer = staff_in_group("grace", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=reviewer)
    change = review.changes_to(symptoms["blood-in-urine"]).get(status=ChangeStatus.WAITING)
    client.force_login(reviewer)
    screen = client.get(reverse("admin:articles_pendingchange_change", args=[change.pk]))
    # The reviewer reads where the symptom sends a patient, in words, before and after.
    assert "See your own doctor or the clinic within a few days" in screen.content.decode()
    assert "Call the clinic the same day" in screen.content.decode()
    review.approve(change, reviewer)
    assert TriageSymptom.objects.get(key="blood-in-urine").level == "clinic_today"
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["clinic_today"]


def test_a_level_changed_in_the_file_goes_live_at_once_without_the_review_rule(
    symptoms, profile, make_article, tmp_path, settings
):
    settings.REQUIRE_MEDICAL_REVIEW = False
    article = make_article(body="!!! when-to-get-help\n    - blood-in-urine\n")
    changed = TRIAGE_FILE.read_text().replace(
        "key: blood-in-urine\n    level: soon", "key: blood-in-urine\n    level: clinic_today"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "triage.yaml").write_text(changed)
    out = StringIO()
    call_command("import_content", "--dir", str(tmp_path), stdout=out)
    assert "Updated symptom blood-in-urine" in out.getvalue()
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["clinic_today"]


def test_editors_see_symptoms_but_cannot_change_them(symptoms, editor_client):
    symptom = symptoms["blood-in-urine"]
    url = reverse("admin:articles_triagesymptom_change", args=[symptom.pk])
    assert editor_client.get(url).status_code == 200
    data = {"key": symptom.key, "level": "emergency", "text": symptom.text, "order": 1}
    assert editor_client.post(url, data).status_code == 403
    assert TriageSymptom.objects.get(pk=symptom.pk).level == "soon"
    assert not PendingChange.objects.exists()


def test_a_reviewers_symptom_change_is_live_at_once_with_its_history(
    symptoms, profile, make_article, reviewer_client
):
    article = make_article(body="!!! when-to-get-help\n    - blood-in-urine\n")
    symptom = symptoms["blood-in-urine"]
    url = reverse("admin:articles_triagesymptom_change", args=[symptom.pk])
    data = {"key": symptom.key, "level": "clinic_today", "text": symptom.text, "order": 1}
    assert reviewer_client.post(url, data).status_code == 302
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["clinic_today"]
    assert not PendingChange.objects.exists()
    history = reviewer_client.get(
        reverse("admin:articles_triagesymptom_history", args=[symptom.pk])
    )
    assert history.status_code == 200


def test_the_after_hours_line_changed_in_the_profile_changes_every_card(
    symptoms, make_article, make_faq, client
):
    article = make_article(slug="cards", body=CARD)
    answer = make_faq(answer="!!! when-to-get-help\n    - vomiting-will-not-stop\n")
    profile = ClinicProfile.load()
    profile.after_hours_phone = "(201) 555-0177"
    profile.save()
    page = client.get("/articles/cards/").content.decode()
    assert "(201) 555-0177" in cards(page)["clinic_today"].text()
    assert (
        "tel:2015550177"
        in cards(FAQEntry.objects.get(pk=answer.pk).answer_html)["clinic_today"].links()
    )
    profile.after_hours_phone = ""
    profile.save()
    html = Article.objects.get(pk=article.pk).body_html
    assert FALLBACK in cards(html)["soon"].text() and "555-0177" not in html
    assert "555-0177" not in client.get("/when-to-get-help/").content.decode()


def test_a_symptom_a_card_lists_cannot_be_deleted_or_renamed(
    symptoms, reviewer_client, make_article
):
    make_article(title="Aftercare", body="!!! when-to-get-help\n    - seizure\n")
    symptom = symptoms["seizure"]
    url = reverse("admin:articles_triagesymptom_delete", args=[symptom.pk])
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 403
    response = reviewer_client.post(
        reverse("admin:articles_triagesymptom_change", args=[symptom.pk]),
        {"key": "fit", "level": "emergency", "text": symptom.text, "order": 1},
    )
    errors = response.context["adminform"].form.errors["key"]
    assert "“seizure” is used by care cards on: Aftercare" in errors[0]
    assert TriageSymptom.objects.filter(key="seizure").exists()


def test_editors_can_read_the_symptoms_but_only_clinical_reviewers_change_them(
    symptoms, editor_client
):
    symptom = symptoms["chest-pain"]
    url = reverse("admin:articles_triagesymptom_change", args=[symptom.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, {"key": "chest-pain", "level": "soon", "text": "Chest pain", "order": 1}
    )
    assert response.status_code == 403
    assert TriageSymptom.objects.get(pk=symptom.pk).level == "emergency"
