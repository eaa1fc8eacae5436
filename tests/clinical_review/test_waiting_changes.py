"""An editor's change to a live article waits for a clinical reviewer, who approves or
sends it back; the comparison they read; the waiting list on the admin index."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from articles.models import REVIEWED_FIELDS, Article, ChangeStatus, PendingChange, ReviewState
from tests.clinical_review.pages import NOT_REVIEWED, WAITING_LIST, public_html, text_of
from tests.reviewing import sign_off
from tests.staff import staff_in_group
from tests.test_admin_editing import change_url, form_data

# --- An editor's change waits for a clinical reviewer -----------------------------------


def test_editor_change_to_a_live_article_waits_and_the_public_page_keeps_the_approved_text(
    client, editor, live_article
):
    client.force_login(editor)
    data = form_data(live_article, body="## Rest\n\nStop taking your medication.\n")
    response = client.post(change_url(live_article), data)
    assert response.status_code == 302
    assert response["Location"] == change_url(live_article)

    live_article.refresh_from_db()
    assert "Stop taking your medication" not in live_article.body
    change = PendingChange.objects.get()
    assert change.status == ChangeStatus.WAITING and change.submitted_by == editor
    assert "Stop taking your medication" in change.values["body"]

    # The editor's form now shows the waiting version, under a banner.
    page = client.get(change_url(live_article)).content.decode()
    assert "Changes waiting for clinical review" in page
    assert "Stop taking your medication" in page
    # ... and it is listed with everything else that waits.
    listing = client.get(WAITING_LIST).content.decode()
    assert "After your treatment" in listing and "Text" in listing

    html = public_html(client, live_article)
    assert "Stop taking your medication" not in html
    assert "Rest for the day after treatment." in html
    assert "Medically reviewed by Dr Ada Example, MD on" in html


def test_editor_saving_again_updates_the_one_waiting_change(client, editor, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="First try"))
    waiting = Article.objects.get(pk=live_article.pk)
    client.post(change_url(live_article), form_data(waiting, title="Second try"))
    change = PendingChange.objects.get()
    assert change.values["title"] == "Second try"


def test_reviewer_approves_and_the_change_goes_live_with_their_review(
    client, editor, reviewer, live_article
):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, summary="A new summary."))
    change = PendingChange.objects.get()

    client.force_login(reviewer)
    screen = client.get(reverse("admin:articles_pendingchange_change", args=[change.pk]))
    html = screen.content.decode()
    assert "Approve and publish" in html and "Send back with this comment" in html
    response = client.post(
        reverse("admin:articles_pendingchange_change", args=[change.pk]), {"action": "approve"}
    )
    assert response.status_code == 302

    live_article.refresh_from_db()
    today = timezone.localdate()
    assert live_article.summary == "A new summary."
    assert live_article.reviewer.name == "Dr Grace Reviewer"
    assert live_article.reviewed_on == today
    # Grace read the change; the rest keeps Ada's review, whose yearly cycle stands.
    assert live_article.next_review_due == datetime.date(2099, 3, 1)
    assert live_article.text_updated_on == today
    assert live_article.review_state() == ReviewState.REVIEWED
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == reviewer

    html = text_of(public_html(client, live_article))
    when = f"{today:%B} {today.day}, {today.year}"
    assert f"Medically reviewed by Dr Grace Reviewer, MD, psychiatrist on {when}" in html
    assert f"Last updated {when}" in html
    assert "A new summary." in html


def test_an_editor_cannot_approve(client, editor, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, summary="Mine."))
    change = PendingChange.objects.get()
    screen = client.get(reverse("admin:articles_pendingchange_change", args=[change.pk]))
    assert "Approve and publish" not in screen.content.decode()
    response = client.post(
        reverse("admin:articles_pendingchange_change", args=[change.pk]), {"action": "approve"}
    )
    assert response.status_code == 403
    live_article.refresh_from_db()
    assert live_article.summary != "Mine."


def test_reviewer_without_a_clinician_entry_is_told_how_to_get_one(
    client, editor, live_article, db
):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, summary="Mine."))
    change = PendingChange.objects.get()
    client.force_login(staff_in_group("unlinked", "Clinical reviewer"))
    url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    html = client.post(url, {"action": "approve"}).content.decode()
    assert "Your account is not linked to a clinician" in html
    live_article.refresh_from_db()
    assert live_article.summary != "Mine."


def test_reviewer_sends_back_with_a_comment_the_editor_sees(client, editor, reviewer, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, body="Stop your pills."))
    change = PendingChange.objects.get()
    url = reverse("admin:articles_pendingchange_change", args=[change.pk])

    client.force_login(reviewer)
    empty = client.post(url, {"action": "send_back", "comment": "  "})
    assert "Please say what needs to change" in empty.content.decode()
    client.post(url, {"action": "send_back", "comment": "Never advise stopping medicine."})
    change.refresh_from_db()
    assert change.status == ChangeStatus.SENT_BACK

    client.force_login(editor)
    page = client.get(change_url(live_article)).content.decode()
    assert "Changes sent back by the clinical reviewer" in page
    assert "Never advise stopping medicine." in page
    assert "Stop your pills." in page  # their version, ready to revise
    assert "Stop your pills." not in public_html(client, live_article)

    # The revised version waits as a new change; the sent-back one stays on record as
    # "Sent back, then revised" (not "Withdrawn": the editor withdrew nothing).
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, body="Ask before stopping."))
    statuses = sorted(PendingChange.objects.values_list("status", flat=True))
    assert statuses == [ChangeStatus.REVISED, ChangeStatus.WAITING]


def test_reviewer_edit_records_the_review_in_the_same_save(client, reviewer, live_article):
    client.force_login(reviewer)
    data = form_data(live_article, body="New reviewed text.", record_review="on")
    assert client.post(change_url(live_article), data).status_code == 302
    live_article.refresh_from_db()
    assert live_article.body == "New reviewed text."
    assert live_article.reviewer.name == "Dr Grace Reviewer"
    assert live_article.reviewed_on == timezone.localdate()
    assert live_article.review_is_current
    assert not PendingChange.objects.exists()
    latest = live_article.history.latest()
    assert latest.history_change_reason == "Clinical review recorded"


def test_reviewer_text_edit_without_signing_off_waits_too(client, reviewer, live_article):
    client.force_login(reviewer)
    client.post(change_url(live_article), form_data(live_article, body="Unchecked text."))
    live_article.refresh_from_db()
    assert live_article.body != "Unchecked text."
    assert PendingChange.objects.get().values["body"] == "Unchecked text."


def test_with_the_rule_off_a_reviewer_edit_goes_live_but_no_longer_claims_a_review(
    client, reviewer, live_article, settings
):
    settings.REQUIRE_MEDICAL_REVIEW = False
    client.force_login(reviewer)
    client.post(change_url(live_article), form_data(live_article, body="Unchecked text."))
    live_article.refresh_from_db()
    assert live_article.body == "Unchecked text."
    html = public_html(client, live_article)
    assert "Medically reviewed" not in html and NOT_REVIEWED in html


def test_any_change_to_reviewed_text_ends_the_review_label(live_article):
    for name in REVIEWED_FIELDS:
        article = Article.objects.get(pk=live_article.pk)
        assert article.review_is_current
        setattr(article, name, getattr(article, name) + " changed")
        assert not article.review_is_current, name
    article = Article.objects.get(pk=live_article.pk)
    article.order, article.topic = 99, "safety"  # not part of the reviewed text
    assert article.review_is_current


def test_staff_preview_of_a_waiting_change(client, editor, live_article):
    client.force_login(editor)
    data = form_data(live_article, title="A better title", body="## Sleep\n\nSleep early.\n")
    client.post(change_url(live_article), data)
    change = PendingChange.objects.get()
    url = f"{live_article.get_absolute_url()}?change={change.pk}"
    preview = client.get(url)
    html = preview.content.decode()
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    assert "Preview of changes waiting for clinical review." in html
    assert "A better title" in html and 'name="robots" content="noindex"' in html
    assert '<h2 id="sleep">Sleep</h2>' in html and "Rest for the day" not in html
    client.logout()
    visitor = client.get(url).content.decode()
    assert "A better title" not in visitor and "After your treatment" in visitor
    client.force_login(editor)
    assert client.get(f"{live_article.get_absolute_url()}?change=999").status_code == 404


def test_editor_can_withdraw_a_waiting_change(client, editor, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="Oops"))
    change = PendingChange.objects.get()
    url = reverse("admin:articles_article_discard_change", args=[change.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    assert "Oops" not in client.get(change_url(live_article)).content.decode()


# --- The comparison ------------------------------------------------------------------


def test_comparison_names_every_changed_field_in_plain_words(
    client, editor, reviewer, make_article
):
    article = make_article(slug="old-address", body="One.\n\nTwo.\n\nThree.\n\nFour.\n")
    sign_off(article)
    client.force_login(editor)
    data = form_data(
        article, slug="new-address", topic="safety", body="One.\n\nTwo.\n\nThree.\n\nFive.\n"
    )
    client.post(change_url(article), data)
    change = PendingChange.objects.get()
    client.force_login(reviewer)
    html = client.get(reverse("admin:articles_pendingchange_change", args=[change.pk]))
    html = html.content.decode()
    headings = re.findall(r'<h2 id="difference-[a-z_]+">([^<]+)</h2>', html)
    assert headings == ["Text", "Web address", "Topic"]
    assert (
        "/articles/<del>old-address/</del>" in html or "<del>/articles/old-address/</del>" in html
    )
    assert "<ins>/articles/new-address/</ins>" in html
    assert "<del>Understanding ketamine therapy</del>" in html
    assert "<ins>Safety and side effects</ins>" in html
    assert "<del>Four.</del>" in html and "<ins>Five.</ins>" in html
    assert "3 paragraphs unchanged" in html
    assert "@@" not in html and "chars]" not in html


# --- Admin index -------------------------------------------------------------------------


def test_admin_index_links_to_the_changes_waiting(client, editor, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="Waiting"))
    html = client.get("/admin/").content.decode()
    assert "1 change</strong> waiting for clinical review." in html
    assert f'href="{WAITING_LIST}"' in html


def test_a_change_already_decided_cannot_be_approved(client, editor, reviewer, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, summary="Mine."))
    change = PendingChange.objects.get()
    url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    client.force_login(reviewer)
    client.post(url, {"action": "send_back", "comment": "Not yet."})
    html = client.post(url, {"action": "approve"}).content.decode()
    assert "This change is no longer waiting for review." in html
    live_article.refresh_from_db()
    assert live_article.summary != "Mine."
