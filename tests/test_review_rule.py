"""Clinical review with no side doors (issue 24): one open change per item, reviews that
cover exactly what was read, and no road that puts unreviewed text live."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles import review
from articles.models import Article, ChangeStatus, GlossaryTerm, PendingChange, Status
from clinic.models import Clinician
from tests.clinical_review.pages import public_html
from tests.reviewing import sign_off
from tests.staff import staff_in_group
from tests.test_admin_editing import change_url, form_data


@pytest.fixture
def editor(db):
    return staff_in_group("editor", "Editor")


@pytest.fixture
def nurse_editor(db):
    """An Editor whose account is linked to a clinician (a nurse who writes)."""
    user = staff_in_group("nurse", "Editor")
    Clinician.objects.create(name="Nia Nurse", credentials="RN", user=user)
    return user


@pytest.fixture
def reviewer(db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=user)
    return user


@pytest.fixture
def live_article(make_article):
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article = make_article(title="After your treatment", slug="after-treatment")
    return sign_off(article, ada, datetime.date(2026, 3, 1), next_due=datetime.date(2099, 3, 1))


def review_url(change: PendingChange) -> str:
    return reverse("admin:articles_pendingchange_change", args=[change.pk])


# --- Only a user who may publish records a review ---------------------------------------


def test_an_editor_linked_to_a_clinician_cannot_record_a_review_on_the_add_form(
    client, nurse_editor
):
    client.force_login(nurse_editor)
    data = form_data(
        Article(title="Draft", slug="draft", summary="S.", body="Text.", status=Status.DRAFT),
        record_review="on",
        reviewer=nurse_editor.clinician.pk,
        reviewed_on="2026-01-01",
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(slug="draft")
    assert article.reviewer is None and article.reviewed_on is None
    assert not article.review_is_current and article.status == Status.DRAFT


def test_an_editor_linked_to_a_clinician_cannot_record_a_review_on_the_change_form(
    client, nurse_editor, make_article
):
    article = make_article(status=Status.DRAFT)
    client.force_login(nurse_editor)
    client.post(change_url(article), form_data(article, body="New.", record_review="on"))
    article.refresh_from_db()
    assert article.body == "New." and not article.review_is_current and article.reviewer is None


def test_the_workflow_refuses_a_sign_off_from_someone_who_may_not_publish(
    nurse_editor, make_article
):
    article = make_article(status=Status.DRAFT)
    article.body = "New."
    with pytest.raises(review.ReviewRefused):
        review.submit(article, nurse_editor, signs_off=True)
    assert not Article.objects.get(pk=article.pk).review_is_current


# --- One open change per item ------------------------------------------------------------


def test_a_history_revert_while_a_change_waits_updates_that_change(client, editor, live_article):
    old_revision = live_article.history.earliest()
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="First edit"))
    revert = reverse(
        "admin:articles_article_simple_history", args=[live_article.pk, old_revision.history_id]
    )
    data = form_data(live_article, title="Reverted title")
    assert client.post(revert, data).status_code == 302
    change = PendingChange.objects.get()  # still one
    assert change.status == ChangeStatus.WAITING and change.values["title"] == "Reverted title"
    live_article.refresh_from_db()
    assert live_article.title == "After your treatment" and live_article.review_is_current


def test_the_database_refuses_a_second_open_change(editor, live_article):
    PendingChange.objects.create(item=live_article, values={}, submitted_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingChange.objects.create(item=live_article, values={}, submitted_by=editor)


def test_a_reviewer_setting_an_article_to_draft_never_saves_the_editors_waiting_text(
    client, editor, reviewer, live_article
):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, body="Stop your pills."))
    client.force_login(reviewer)
    page = client.get(change_url(live_article)).content.decode()
    assert "Stop your pills." not in page  # the reviewer's form shows the live text
    live = Article.objects.get(pk=live_article.pk)
    client.post(change_url(live_article), form_data(live, status=Status.DRAFT))
    live_article.refresh_from_db()
    assert live_article.status == Status.DRAFT and "Stop your pills." not in live_article.body
    change = PendingChange.objects.get()
    assert change.status == ChangeStatus.WAITING  # not "Approved and live"


def test_a_reviewers_unsigned_edit_while_an_editors_change_waits_is_refused(
    client, editor, reviewer, live_article
):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, body="Editor's text."))
    client.force_login(reviewer)
    response = client.post(change_url(live_article), form_data(live_article, body="Mine."))
    assert response.status_code == 200
    assert "is waiting for review of this article" in response.content.decode()
    assert PendingChange.objects.get().values["body"] == "Editor's text."


def test_approving_a_change_keeps_an_article_taken_offline_offline_and_says_so(
    client, editor, reviewer, live_article
):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, summary="New summary."))
    change = PendingChange.objects.get()
    client.force_login(reviewer)
    live = Article.objects.get(pk=live_article.pk)
    client.post(change_url(live_article), form_data(live, status=Status.DRAFT))
    response = client.post(review_url(change), {"action": "approve"}, follow=True)
    assert "It stays offline" in response.content.decode()
    live_article.refresh_from_db()
    assert live_article.status == Status.DRAFT and live_article.summary == "New summary."
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert any("stays offline" in event for event in change.events)


def test_every_step_of_a_change_is_in_its_history_in_plain_words(
    client, editor, reviewer, live_article
):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="One"))
    change = PendingChange.objects.get()
    client.force_login(reviewer)
    client.post(review_url(change), {"action": "send_back", "comment": "Shorter, please."})
    change.refresh_from_db()
    assert [e.split(": ", 1)[1] for e in change.events] == [
        "Saved for clinical review (editor)",
        "Sent back with a comment (Dr Grace Reviewer)",
    ]
    assert "Sent back with a comment" in client.get(review_url(change)).content.decode()


# --- A review covers exactly what was read ------------------------------------------------


@pytest.fixture
def unreviewed_live_article(make_article, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # published before the rule: no review on record
    return make_article(
        title="Never reviewed", slug="never", body="## Part\n\nFirst paragraph.\n\nSecond.\n"
    )


def test_approving_a_change_to_never_reviewed_text_shows_all_of_it_and_needs_the_checkbox(
    client, editor, reviewer, unreviewed_live_article
):
    article = unreviewed_live_article
    client.force_login(editor)
    client.post(change_url(article), form_data(article, body=article.body + "\nThird.\n"))
    change = PendingChange.objects.get()
    client.force_login(reviewer)
    screen = client.get(review_url(change)).content.decode()
    assert "The whole text, as it would go live" in screen
    assert "First paragraph." in screen and "I have reviewed the whole text" in screen

    refused = client.post(review_url(change), {"action": "approve"}).content.decode()
    assert "I have reviewed the whole text" in refused
    article.refresh_from_db()
    assert "Third." not in article.body and not article.review_is_current

    client.post(review_url(change), {"action": "approve", "reviewed_whole_text": "on"})
    article.refresh_from_db()
    assert "Third." in article.body and article.review_is_current
    assert article.reviewer.name == "Dr Grace Reviewer"


def test_the_editors_banner_never_calls_never_reviewed_text_approved(
    client, editor, unreviewed_live_article
):
    article = unreviewed_live_article
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, title="New title"), follow=True)
    html = response.content.decode()
    assert "approved text" not in html
    assert "Visitors still see the text that is live now" in html


def test_an_editors_change_never_reaches_the_page_or_its_label(client, editor, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, body="Do not call 911."))
    html = public_html(client, live_article)
    assert "Do not call 911." not in html and "Medically reviewed by Dr Ada Example" in html


def test_an_editors_history_revert_of_a_live_article_waits(client, editor, live_article):
    first = live_article.history.earliest()  # before the review was recorded
    live = Article.objects.get(pk=live_article.pk)
    live.body = "Reviewed text, changed later by a reviewer."
    live.record_review(Clinician.objects.get(name="Dr Ada Example"))
    live.save()
    client.force_login(editor)
    revert = reverse(
        "admin:articles_article_simple_history", args=[live_article.pk, first.history_id]
    )
    data = form_data(Article.objects.get(pk=live_article.pk), body=first.body)
    assert client.post(revert, data).status_code == 302
    live_article.refresh_from_db()
    assert live_article.body == "Reviewed text, changed later by a reviewer."
    assert live_article.review_is_current
    assert PendingChange.objects.get().values["body"].strip() == first.body.strip()
    html = public_html(client, live_article)
    assert first.body.strip().splitlines()[-1] not in html


def test_the_reviewers_preview_is_the_html_approval_publishes(
    client, editor, reviewer, live_article
):
    GlossaryTerm.objects.create(term="Dissociation", slug="dissociation", definition="Detached.")
    client.force_login(editor)
    body = "## Rest\n\nYou may feel dissociation.[^berman2000]\n"
    client.post(change_url(live_article), form_data(live_article, body=body))
    change = PendingChange.objects.get()
    preview = review.proposed(change).body_html
    assert 'class="glossary-link"' in preview and "Berman RM" in preview  # References
    client.force_login(reviewer)
    client.post(review_url(change), {"action": "approve"})
    assert Article.objects.get(pk=live_article.pk).body_html == preview
