"""The site's own articles and FAQ meet the content guide: reading level, length,
summaries, references, working links, and no trace of the source clinics."""

import datetime
import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article, FAQEntry
from articles.readability import MAX_GRADE, MAX_WORDS, MIN_WORDS

# Practical articles that state no medical facts need no references (content guide).
NO_REFERENCES_NEEDED = {"your-first-visit"}
MIN_REFERENCES = 2

# The source clinics and their staff must never be named. Their names are kept here only
# as SHA-256 prefixes, so this file does not name them either.
FORBIDDEN_NAME_HASHES = {
    "b7239bf93ab5263f", "dff046b78ccc52db", "2cce0554c189ca09",
    "25c7c3fbdb109bbd", "c06441b2a684080d", "6ec580b4607754ce",
}  # fmt: skip

_LINK = re.compile(r'href="(/[^"#?]*)')


@pytest.fixture
def imported(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())
    return list(Article.objects.all())


def test_at_least_ten_published_articles_and_twenty_faq_entries(imported):
    assert Article.objects.published().count() >= 10
    assert FAQEntry.objects.count() >= 20


def test_every_article_reads_at_grade_eight_or_below(imported):
    too_hard = {a.slug: a.reading_stats().grade for a in imported}
    assert {slug: g for slug, g in too_hard.items() if g > MAX_GRADE} == {}


def test_every_article_is_between_400_and_1500_words(imported):
    words = {a.slug: a.reading_stats().words for a in imported}
    assert {s: w for s, w in words.items() if not MIN_WORDS <= w <= MAX_WORDS} == {}


def test_every_summary_is_one_sentence_of_at_most_160_characters(imported):
    for article in imported:
        assert 0 < len(article.summary) <= 160, article.slug
        assert article.summary.endswith((".", "?")), article.slug


def test_articles_stating_medical_facts_have_references(imported):
    for article in imported:
        if article.slug not in NO_REFERENCES_NEEDED:
            assert len(article.reference_list) >= MIN_REFERENCES, article.slug


def test_references_come_from_the_content_guides_list(imported):
    guide_path = Path(settings.BASE_DIR).parent / "shared" / "CONTENT-GUIDE.md"
    assert guide_path.exists(), f"the content guide belongs beside the project: {guide_path}"
    guide = guide_path.read_text()
    allowed = {line[2:].strip() for line in guide.splitlines() if line.startswith("- ")}
    for article in imported:
        for reference in article.reference_list:
            assert reference in allowed, f"{article.slug}: {reference}"


def test_no_article_carries_an_invented_author_or_reviewer(imported):
    assert all(a.author is None and a.reviewer is None for a in imported)


def test_every_internal_link_resolves_to_a_published_page(client, imported):
    pages = [a.body_html for a in imported] + [e.answer_html for e in FAQEntry.objects.all()]
    targets = {href for html in pages for href in _LINK.findall(html)}
    assert targets, "the articles link to each other"
    broken = {href: client.get(href).status_code for href in targets}
    assert {href: code for href, code in broken.items() if code != 200} == {}


def test_every_faq_answer_links_to_an_article(imported):
    for entry in FAQEntry.objects.all():
        assert 'href="/articles/' in entry.answer_html, entry.question


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_nothing_names_the_source_clinics_or_their_staff():
    root = Path(settings.BASE_DIR)
    files = [
        *root.glob("content/**/*.md"),
        *root.glob("templates/**/*.html"),
        *root.glob("clinic_site/templates/**/*.html"),
    ]
    for path in files:
        tokens = words_of(path.read_text(encoding="utf-8"))
        for size in (1, 2, 3):
            for start in range(len(tokens) - size + 1):
                phrase = " ".join(tokens[start : start + size])
                digest = hashlib.sha256(phrase.encode()).hexdigest()[:16]
                assert digest not in FORBIDDEN_NAME_HASHES, f"{path} names a source clinic"


def test_content_report_lists_every_article_and_flags_a_bad_one(imported):
    bad = Article.objects.create(
        title="Bad",
        slug="deliberately-bad",
        summary="Too short and too hard.",
        body="Pharmacokinetic heterogeneity notwithstanding, glutamatergic neurotransmission "
        "modulation demonstrates considerable interindividual variability.",
        reviewed_on=datetime.date(2020, 1, 1),
    )
    out = StringIO()
    call_command("content_report", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.strip()}
    for article in imported:
        assert article.slug in lines
    flagged = lines[bad.slug]
    for flag in ("reading grade over 8", "under 400 words", "no references", "review overdue"):
        assert flag in flagged
    with pytest.raises(CommandError, match="need attention"):
        call_command("content_report", "--strict", stdout=StringIO())
