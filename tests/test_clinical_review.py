"""Clinical review: nothing reaches a patient without a clinician's sign-off, and every
article says truthfully whether, when and by whom it was reviewed (issue 14)."""

import datetime
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    REVIEWED_FIELDS,
    Article,
    ChangeStatus,
    FAQEntry,
    PendingChange,
    ReviewState,
    Status,
)
from clinic.models import Clinician, Page
from tests.reviewing import fingerprint_of_file, sign_off
from tests.staff import staff_in_group
from tests.test_admin_editing import change_url, form_data

NOT_REVIEWED = "This article has not yet been reviewed by one of our clinicians."
DUE = "This article is due for review."
WAITING_LIST = "/admin/articles/pendingchange/"


@pytest.fixture
def editor(db):
    return staff_in_group("editor", "Editor")


@pytest.fixture
def reviewer(db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    user.first_name, user.last_name = "Grace", "Reviewer"
    user.email = "grace@example.com"
    user.save()
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD, psychiatrist", user=user)
    return user


@pytest.fixture
def live_article(make_article):
    """A published article whose text Dr Ada Example reviewed on March 1, 2026."""
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article = make_article(
        title="After your treatment",
        slug="after-treatment",
        summary="What to expect in the hours after a session.",
        body="## Rest\n\nRest for the day after treatment.\n\n## Driving\n\nDo not drive.\n",
    )
    return sign_off(article, ada, datetime.date(2026, 3, 1), next_due=datetime.date(2099, 3, 1))


def public_html(client, article: Article) -> str:
    client.logout()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


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


# --- REQUIRE_MEDICAL_REVIEW ----------------------------------------------------------


def test_publishing_an_unreviewed_draft_is_refused_with_a_clear_message(
    client, reviewer, make_article
):
    draft = make_article(slug="draft", status=Status.DRAFT)
    client.force_login(reviewer)
    response = client.post(change_url(draft), form_data(draft, status="published"))
    assert response.status_code == 200
    assert (
        "This article cannot be published yet: no clinician has reviewed this text."
        in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_scheduling_an_unreviewed_draft_is_refused(client, reviewer, make_article):
    draft = make_article(slug="later", status=Status.DRAFT)
    client.force_login(reviewer)
    data = form_data(draft, status="published", publish_at_0="2099-01-01", publish_at_1="08:00")
    response = client.post(change_url(draft), data)
    assert "This article cannot be scheduled yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_publishing_with_the_rule_off_is_allowed(client, reviewer, make_article, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    draft = make_article(slug="demo", status=Status.DRAFT)
    client.force_login(reviewer)
    assert client.post(change_url(draft), form_data(draft, status="published")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert NOT_REVIEWED in public_html(client, draft)


ARTICLE_FILE = """\
---
title: {title}
slug: {slug}
summary: A one-sentence summary.
topic: basics
order: 1
{review}---

## Section

Body of {slug}.
"""


def write(folder: Path, slug: str, review: str = "", body_extra: str = "") -> None:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    text = ARTICLE_FILE.format(title=slug.title(), slug=slug, review=review) + body_extra
    (folder / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")


def test_import_brings_unreviewed_files_in_as_drafts_and_says_so(db, tmp_path):
    Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    write(tmp_path, "unchecked")
    review = "reviewer: Dr Ada Example\nreviewed_on: 2026-06-01\n"
    write(tmp_path, "checked", review=review)
    fingerprint = fingerprint_of_file(tmp_path / "articles" / "checked.md")
    write(tmp_path, "checked", review=review + f"review_fingerprint: {fingerprint}\n")
    out = StringIO()
    call_command("import_content", "--dir", str(tmp_path), stdout=out)
    assert "1 article(s) came in as drafts awaiting clinical review" in out.getvalue()
    assert "unchecked" in out.getvalue()
    assert Article.objects.get(slug="unchecked").status == Status.DRAFT
    checked = Article.objects.get(slug="checked")
    assert checked.status == Status.PUBLISHED and checked.review_is_current
    # Running it again changes nothing (and still says what waits for review).
    again = StringIO()
    call_command("import_content", "--dir", str(tmp_path), stdout=again)
    assert "Nothing to change" in again.getvalue()


def test_import_does_not_put_unreviewed_text_on_a_live_article(db, tmp_path, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    write(tmp_path, "live")
    call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())
    settings.REQUIRE_MEDICAL_REVIEW = True
    write(tmp_path, "live", body_extra="\nStop taking your medication.\n")
    out = StringIO()
    call_command("import_content", "--dir", str(tmp_path), "--force", stdout=out)
    assert "Not imported: 1 published article(s) whose file has no review" in out.getvalue()
    assert "Stop taking" not in Article.objects.get(slug="live").body


def test_import_does_not_erase_a_review_recorded_in_the_admin(db, tmp_path, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    write(tmp_path, "live")
    call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())
    sign_off(Article.objects.get(slug="live"))
    settings.REQUIRE_MEDICAL_REVIEW = True
    call_command("import_content", "--dir", str(tmp_path), "--force", stdout=StringIO())
    assert Article.objects.get(slug="live").review_is_current


def test_import_history_names_its_source(db, tmp_path, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    write(tmp_path, "first")
    call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())
    revision = Article.objects.get(slug="first").history.latest()
    assert revision.history_change_reason == "Imported from content/"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REQUIRE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | {"DJANGO_SETTINGS_MODULE": "clinic_site.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRINT_RULE = "from django.conf import settings; print(settings.REQUIRE_MEDICAL_REVIEW)"


def test_the_rule_is_on_unless_turned_off_and_read_strictly():
    assert run_manage("shell", "-c", PRINT_RULE).stdout.split()[-1] == "True"
    off = run_manage("shell", "-c", PRINT_RULE, REQUIRE_MEDICAL_REVIEW="False")
    assert off.stdout.split()[-1] == "False"
    bad = run_manage("check", REQUIRE_MEDICAL_REVIEW="perhaps")
    assert bad.returncode != 0 and "REQUIRE_MEDICAL_REVIEW must be True or False" in bad.stderr


def test_system_check_warns_when_the_rule_is_off_in_production():
    secret = "a-real-secret-key-for-tests-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
    off = run_manage(
        "check", DJANGO_DEBUG="False", DJANGO_SECRET_KEY=secret, REQUIRE_MEDICAL_REVIEW="False"
    )
    assert "articles.W001" in off.stdout + off.stderr
    demo = run_manage("check", DJANGO_DEBUG="True", REQUIRE_MEDICAL_REVIEW="False")
    assert "articles.W001" not in demo.stdout + demo.stderr


# --- Labels on the page ----------------------------------------------------------------


def test_reviewed_label_at_the_top_and_the_foot(client, live_article):
    Article.objects.filter(pk=live_article.pk).update(text_updated_on=datetime.date(2026, 2, 20))
    html = public_html(client, Article.objects.get(pk=live_article.pk))
    top, foot = html.split('id="review-status-top"')[1], html.split('id="review-status-foot"')[1]
    for part in (top.split("</div>")[0], foot.split("</div>")[0]):
        words = text_of(">" + part)
        assert "Medically reviewed by Dr Ada Example, MD on March 1, 2026" in words
        assert "Next review due March 1, 2099" in words
        assert "Last updated February 20, 2026" in words
        assert NOT_REVIEWED not in words and DUE not in words


def test_overdue_label(client, live_article):
    live_article.next_review_due = datetime.date(2026, 9, 1)
    live_article.save()
    html = public_html(client, live_article)
    assert html.count(DUE) == 2
    assert html.count("Medically reviewed by Dr Ada Example, MD on") == 2
    assert "Next review due" not in html


def test_not_reviewed_label_and_no_last_updated_from_an_import(client, make_article):
    article = make_article(slug="fresh")
    html = public_html(client, article)
    assert html.count(NOT_REVIEWED) == 2
    assert "Medically reviewed" not in html
    assert "Last updated" not in html  # saving is not "the text changed"; nothing is known


def test_a_review_recorded_by_hand_without_the_text_it_covers_claims_nothing(client, make_article):
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article = make_article(reviewer=ada, reviewed_on=datetime.date(2026, 3, 1))
    assert NOT_REVIEWED in public_html(client, article)


def jsonld_page(html: str) -> dict:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "MedicalWebPage":
            return data
    raise AssertionError("no MedicalWebPage")


def test_jsonld_carries_the_review_only_when_true(client, live_article, make_article):
    page = jsonld_page(public_html(client, live_article))
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"]["name"] == "Dr Ada Example"
    live_article.body += "\nOne more line."
    live_article.save()
    changed = jsonld_page(public_html(client, live_article))
    assert "lastReviewed" not in changed and "reviewedBy" not in changed
    fresh = jsonld_page(public_html(client, make_article(slug="fresh")))
    assert "lastReviewed" not in fresh and "reviewedBy" not in fresh
    assert "dateModified" not in fresh  # not the day it was imported


# --- /about-our-content/ -----------------------------------------------------------------


def test_about_our_content_counts_match_the_database(client, editor, make_article, live_article):
    Clinician.objects.filter(name="Dr Ada Example").update(bio="Psychiatrist for 20 years.")
    overdue = sign_off(make_article(slug="old"), next_due=datetime.date(2020, 1, 1))
    assert overdue.review_state() == ReviewState.OVERDUE
    make_article(slug="new-1")
    make_article(slug="new-2")
    make_article(slug="a-draft", status=Status.DRAFT)  # not published: not counted
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="Waiting"))
    client.logout()
    html = text_of(client.get("/about-our-content/").content.decode())
    assert "4 articles: 1 reviewed, 2 not yet reviewed, 1 due for review." in html
    assert "1 change to an article is waiting for a clinician's review right now." in html
    assert "Dr Ada Example, MD" in html and "Psychiatrist for 20 years." in html
    assert "We publish a new article only after a clinician has reviewed it." in html


def test_about_our_content_with_nothing_reviewed_claims_no_review(client, make_article, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    for number in range(12):
        make_article(slug=f"article-{number}")
    html = text_of(client.get("/about-our-content/").content.decode())
    assert "12 articles: 0 reviewed, 12 not yet reviewed." in html
    assert "No changes to our articles are waiting" in html
    assert "Some articles are on the site before a clinician has reviewed them." in html
    assert "We have not listed our clinical team on this site yet." in html


def test_about_our_content_is_not_a_stale_trust_page(client, db):
    Page.objects.create(title="Old", slug="about-our-content", summary="s", body="Reviewed by all.")
    html = client.get("/about-our-content/").content.decode()
    assert "Reviewed by all." not in html and "Where our articles stand today" in html


# --- Reminders -------------------------------------------------------------------------


def test_review_reminders_go_to_each_reviewer_and_overdue_ones_to_escalation(
    reviewer, make_article, settings
):
    settings.REVIEW_ESCALATION_EMAILS = ["director@example.com"]
    grace = reviewer.clinician
    other_user = User.objects.create_user("ben", email="ben@example.com")
    ben = Clinician.objects.create(name="Dr Ben Other", credentials="DO", user=other_user)
    today = timezone.localdate()
    body = "A secret sentence from the body.\n"
    sign_off(
        make_article(title="Overdue A", body=body), grace, next_due=today - datetime.timedelta(1)
    )
    sign_off(
        make_article(title="Soon B", body=body), grace, next_due=today + datetime.timedelta(30)
    )
    sign_off(
        make_article(title="Later C", body=body), grace, next_due=today + datetime.timedelta(31)
    )
    sign_off(make_article(title="Soon D", body=body), ben, next_due=today + datetime.timedelta(3))
    draft = sign_off(make_article(title="Draft E", status=Status.DRAFT), grace, next_due=today)
    assert draft.status == Status.DRAFT

    call_command("review_reminders", stdout=StringIO())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"grace@example.com", "ben@example.com", "director@example.com"}
    grace_mail = by_recipient["grace@example.com"].body
    assert "Overdue A" in grace_mail and "Soon B" in grace_mail
    assert (
        "Later C" not in grace_mail and "Soon D" not in grace_mail and "Draft E" not in grace_mail
    )
    assert "/admin/articles/article/" in grace_mail
    assert "Soon D" in by_recipient["ben@example.com"].body
    escalation = by_recipient["director@example.com"].body
    assert "Overdue A" in escalation and "Soon B" not in escalation
    for message in mail.outbox:
        assert "secret sentence" not in message.body
        assert "@" not in message.body.replace(settings.SITE_URL, "")  # no one's address

    # Safe from cron: a second run the same day sends nothing again.
    call_command("review_reminders", stdout=StringIO())
    assert len(mail.outbox) == 3


def test_content_report_flags_never_reviewed_articles(make_article, live_article):
    make_article(slug="unreviewed-one")
    out = StringIO()
    call_command("content_report", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.strip()}
    assert "never reviewed" in lines["unreviewed-one"]
    assert "never reviewed" not in lines["after-treatment"]


# --- Admin index -------------------------------------------------------------------------


def test_admin_index_links_to_the_changes_waiting(client, editor, live_article):
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="Waiting"))
    html = client.get("/admin/").content.decode()
    assert "1 change</strong> waiting for clinical review." in html
    assert f'href="{WAITING_LIST}"' in html


# --- Clean history -------------------------------------------------------------------------


def test_admin_text_is_stored_with_newlines_and_a_no_op_save_records_nothing(
    client, reviewer, make_article
):
    draft = make_article(
        slug="crlf",
        status=Status.DRAFT,
        body="Line one.\nLine two.",
        publish_at=timezone.now().replace(microsecond=0),  # as the form sends it back
    )
    client.force_login(reviewer)
    revisions = draft.history.count()
    # Browsers send a textarea's text with \r\n.
    client.post(change_url(draft), form_data(draft, body="Line one.\r\nLine two."))
    draft.refresh_from_db()
    assert draft.body == "Line one.\nLine two."
    assert draft.history.count() == revisions
    client.post(change_url(draft), form_data(draft, body="Line one.\r\nLine three."))
    assert draft.history.count() == revisions + 1
    entry = FAQEntry.objects.create(question="Q?", answer="A.\r\nB.")
    assert entry.answer == "A.\nB."
    count = entry.history.count()
    entry.save()
    assert entry.history.count() == count


# --- Trust pages in the admin ----------------------------------------------------------------


def test_page_admin_has_the_markdown_editor_and_saves_rendered_text(admin_client, db):
    page = Page.objects.create(title="Privacy", slug="privacy", summary="s", body="Old.")
    url = reverse("admin:clinic_page_change", args=[page.pk])
    html = admin_client.get(url).content.decode()
    assert (
        'class="markdownx"' in html
        and 'data-markdownx-urls-path="/editor/markdownify/?model=clinic.page"' in html
    )
    assert "Formatting help" in html and "editor/editor.js" in html
    data = {"title": "Privacy", "slug": "privacy", "summary": "s", "body": "## Kept\r\n\r\nNew."}
    assert admin_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.body == "## Kept\n\nNew." and '<h2 id="kept">Kept</h2>' in page.body_html


def test_editor_endpoints_serve_page_editors_too(client, db):
    from tests.staff import staff_with_permissions

    client.force_login(staff_with_permissions("pages", "change_page"))
    response = client.post(
        settings.MARKDOWNX_URLS_PATH + "?model=clinic.page", {"content": "## Hi"}
    )
    assert response.status_code == 200 and "<h2" in response.content.decode()


def test_preview_stylesheet_is_the_sites_own_for_the_preview_box(client, editor):
    client.force_login(editor)
    css = client.get("/editor/preview.css")
    text = css.content.decode()
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert ":host {" in text and ".prose" in text and "\n:root" not in text
    client.logout()
    assert client.get("/editor/preview.css").status_code == 403


def test_export_writes_pages_back_and_import_export_import_changes_nothing(db, tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "privacy.md").write_text(
        "---\ntitle: Privacy notice\nslug: privacy\nsummary: How we use data.\n---\n\nWe keep "
        "{retention_days} days.\n",
        encoding="utf-8",
    )
    call_command("import_content", "--dir", str(content), stdout=StringIO())
    page = Page.objects.get(slug="privacy")
    page.body = "We keep {retention_days} days.\n\nEdited in the admin."
    page.save()
    call_command("export_content", "--dir", str(content), stdout=StringIO())
    written = (content / "pages" / "privacy.md").read_text(encoding="utf-8")
    assert "Edited in the admin." in written and "{retention_days}" in written
    out = StringIO()
    call_command("import_content", "--dir", str(content), stdout=out)
    assert "Nothing to change" in out.getvalue()


def test_faq_history_reads_in_plain_words(client, reviewer, make_faq):
    entry = make_faq(question="Can I drive home?", answer="No.")
    client.force_login(reviewer)
    url = reverse("admin:articles_faqentry_change", args=[entry.pk])
    client.post(
        url, {"question": entry.question, "answer": "No. Someone drives you.", "order": 100}
    )
    html = client.get(reverse("admin:articles_faqentry_history", args=[entry.pk])).content.decode()
    table = html.split('id="change-history"')[1]
    assert '<td data-label="Saved by">Dr Grace Reviewer</td>' in table
    assert '<td data-label="What changed">Answer</td>' in table
    assert "None" not in table and "Status" not in table


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
