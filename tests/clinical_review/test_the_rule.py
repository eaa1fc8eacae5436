"""REQUIRE_MEDICAL_REVIEW: unreviewed text is not published, scheduled or imported onto a
live article while the rule is on; the setting is read strictly and checked."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Status
from clinic.models import Clinician
from tests.clinical_review.pages import NOT_REVIEWED, public_html
from tests.reviewing import fingerprint_of_file, sign_off
from tests.test_admin_editing import change_url, form_data

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
