"""Export and import carry the truth about reviews (issue 24): export_content writes a
review only while it is current, with the fingerprint of the text it covers;
import_content records a review only when the file's text matches that fingerprint, and
names each file whose review it refuses."""

import datetime
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Status
from tests.reviewing import a_clinician, sign_off
from tests.servers import PROJECT, manage, production_env
from tests.test_inquiry_concurrency import fresh_database

NOT_REVIEWED = "This article has not yet been reviewed by one of our clinicians."
REVIEWED = "Medically reviewed by Dr Ada Example, MD on March 1, 2026"
BODY = "## Rest\n\nRest for the day after treatment.[^berman2000]\n"


@pytest.fixture
def two_reviewed_articles(make_article):
    """Both reviewed by Dr Ada Example on March 1, 2026; one changed since."""
    ada = a_clinician("Dr Ada Example", "MD")
    day, due = datetime.date(2026, 3, 1), datetime.date(2099, 3, 1)
    changed = sign_off(
        make_article(title="Changed since", slug="changed-since", body=BODY), ada, day, due
    )
    changed.body += "\nA sentence added after the review.\n"
    changed.save()
    unchanged = sign_off(
        make_article(title="Still reviewed", slug="still-reviewed", body=BODY), ada, day, due
    )
    return changed, unchanged


def export(folder: Path) -> Path:
    call_command("export_content", "--dir", str(folder), stdout=StringIO())
    return folder


def run_import(folder: Path) -> str:
    out = StringIO()
    call_command("import_content", "--dir", str(folder), stdout=out)
    return out.getvalue()


def article_file(folder: Path, slug: str) -> Path:
    (path,) = [p for p in (folder / "articles").glob("*.md") if f"slug: {slug}\n" in p.read_text()]
    return path


def test_export_writes_a_review_only_while_it_is_current(two_reviewed_articles, tmp_path):
    changed, unchanged = two_reviewed_articles
    folder = export(tmp_path / "exported")
    changed_text = article_file(folder, "changed-since").read_text()
    assert "reviewer: null" in changed_text and "reviewed_on: null" in changed_text
    assert "next_review_due: null" in changed_text and "review_fingerprint" not in changed_text
    unchanged_text = article_file(folder, "still-reviewed").read_text()
    assert "reviewer: Dr Ada Example\nreviewed_on: 2026-03-01\n" in unchanged_text
    assert f"review_fingerprint: {unchanged.reviewed_hash}\n" in unchanged_text


# What the fresh site says: each article's status and its page's review label.
REPORT = """
import json
import re
from django.core.management import call_command
from django.test import Client
from clinic.models import Clinician
from articles.models import Article
Clinician.objects.create(name="Dr Ada Example", credentials="MD")
call_command("import_content", "--dir", FOLDER)
client = Client(HTTP_HOST="localhost")
report = {}
for article in Article.objects.all():
    response = client.get(article.get_absolute_url())
    page = " ".join(re.sub("<[^>]+>", " ", response.content.decode()).split())
    report[article.slug] = {
        "page": response.status_code,
        "status": article.status,
        "not_reviewed": NOT_REVIEWED in page,
        "reviewed": REVIEWED in page,
    }
print("REPORT " + json.dumps(report))
"""


def import_into_a_fresh_site(folder: Path, work: Path) -> dict:
    """Import `folder` into a new, empty database of the suite's kind (its own process)."""
    with fresh_database(work) as database_url:
        env = production_env(
            DATABASE_URL=database_url, DJANGO_DEBUG="True", REQUIRE_MEDICAL_REVIEW="False"
        )
        manage(env, "migrate", "--no-input")
        code = (
            f"FOLDER = {str(folder)!r}\nNOT_REVIEWED = {NOT_REVIEWED!r}\n"
            f"REVIEWED = {REVIEWED!r}\n{REPORT}"
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))
    return json.loads(line.removeprefix("REPORT "))


def test_a_review_is_carried_to_a_fresh_site_only_for_the_text_it_covers(
    two_reviewed_articles, tmp_path
):
    """The article changed since its review says "not reviewed" on the new site; the
    unchanged one arrives reviewed, with the same reviewer and date."""
    folder = export(tmp_path / "exported")
    report = import_into_a_fresh_site(folder, tmp_path)
    assert report["changed-since"] == {
        "page": 200,
        "status": "published",
        "not_reviewed": True,
        "reviewed": False,
    }
    assert report["still-reviewed"] == {
        "page": 200,
        "status": "published",
        "not_reviewed": False,
        "reviewed": True,
    }


def test_a_file_whose_text_changed_after_export_loses_its_review_and_is_named(
    two_reviewed_articles, tmp_path, client, settings
):
    settings.REQUIRE_MEDICAL_REVIEW = False  # published as the file says: the label shows
    folder = export(tmp_path / "exported")
    path = article_file(folder, "still-reviewed")
    path.write_text(path.read_text().replace("Rest for the day", "Rest for an hour"))
    Article.objects.all().delete()  # a fresh database

    output = run_import(folder)
    assert (
        f"Review not recorded for {path.name}: its text has changed since Dr Ada Example "
        "reviewed it on 2026-03-01 (it does not match the review_fingerprint). It comes in "
        "as not reviewed; a clinical reviewer can review it in the admin."
    ) in output
    article = Article.objects.get(slug="still-reviewed")
    assert "Rest for an hour" in article.body
    assert article.reviewer is None and article.reviewed_on is None
    assert not article.review_is_current
    page = client.get(article.get_absolute_url()).content.decode()
    assert NOT_REVIEWED in page and "Medically reviewed" not in page
    # The other file's review was never claimed: nothing to refuse, nothing said.
    assert "changed-since" not in output.split("Review not recorded")[-1]
    assert output.count("Review not recorded") == 1


def test_with_the_rule_on_a_refused_review_keeps_the_article_off_the_site(
    two_reviewed_articles, tmp_path
):
    folder = export(tmp_path / "exported")
    path = article_file(folder, "still-reviewed")
    path.write_text(path.read_text().replace("Rest for the day", "Rest for an hour"))
    Article.objects.all().delete()

    output = run_import(folder)
    assert f"Review not recorded for {path.name}" in output
    assert "came in as drafts awaiting clinical review" in output
    assert Article.objects.get(slug="still-reviewed").status == Status.DRAFT
    assert Article.objects.get(slug="changed-since").status == Status.DRAFT


@pytest.mark.parametrize(
    "edit,reason",
    [
        (
            lambda text: text.replace("review_fingerprint:", "# review_fingerprint:"),
            "it has no review_fingerprint, so nothing shows which text was reviewed",
        ),
        (
            lambda text: text.replace("reviewed_on: 2026-03-01", "reviewed_on: null"),
            "it names Dr Ada Example as reviewer but gives no review date.",
        ),
        (
            lambda text: text.replace("reviewer: Dr Ada Example", "reviewer: null"),
            "it gives a review date but no reviewer.",
        ),
    ],
)
def test_an_incomplete_review_in_a_file_is_refused_in_plain_words(
    two_reviewed_articles, tmp_path, edit, reason
):
    folder = export(tmp_path / "exported")
    path = article_file(folder, "still-reviewed")
    path.write_text(edit(path.read_text()))
    Article.objects.all().delete()
    output = run_import(folder)
    assert f"Review not recorded for {path.name}: {reason}" in output
    assert not Article.objects.get(slug="still-reviewed").review_is_current


def test_a_malformed_fingerprint_stops_the_import_naming_the_file(two_reviewed_articles, tmp_path):
    from django.core.management import CommandError

    folder = export(tmp_path / "exported")
    path = article_file(folder, "still-reviewed")
    path.write_text(path.read_text().replace("review_fingerprint: ", "review_fingerprint: x"))
    with pytest.raises(CommandError) as error:
        run_import(folder)
    assert path.name in str(error.value)
    assert "review_fingerprint must be the 64-character fingerprint" in str(error.value)


def test_export_import_export_of_reviewed_articles_changes_nothing(two_reviewed_articles, tmp_path):
    folder = export(tmp_path / "exported")
    before = {p.name: p.read_text() for p in (folder / "articles").glob("*.md")}
    assert "Nothing to change" in run_import(folder)
    export(folder)
    assert {p.name: p.read_text() for p in (folder / "articles").glob("*.md")} == before
