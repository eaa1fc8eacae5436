"""The site's own articles, FAQ and glossary meet the content guide: reading level,
length, summaries, citations, the topics patients ask about, working links, and no trace
of the source clinics. Everything here reads the project's own files (content/), never
the content guide beside the project: a fresh clone must pass on its own."""

import datetime
import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.citations import load_sources
from articles.models import Article, FAQEntry, GlossaryTerm
from articles.readability import (
    MAX_GRADE,
    MAX_MEDIAN_GRADE,
    MAX_WORDS,
    MIN_WORDS,
    median_grade,
    plain_text,
    reading_stats,
)

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
_GLOSSARY_LINK = re.compile(r'href="/glossary/#([^"]+)"')

# The topics the content guide asks for beyond the first twelve articles (issue 15).
NEW_TOPICS = {
    "spravato-esketamine-nasal-spray",
    "at-home-telehealth-and-compounded-ketamine",
    "ketamine-compared-with-other-options",
    "choosing-a-ketamine-clinic",
    "staying-safe-between-sessions",
    "pregnancy-older-adults-and-other-conditions",
    "for-the-person-who-comes-with-you",  # topic 18 (issue 23)
}
MIN_FAQ_ENTRIES = 30
# An FAQ answer or a glossary entry is a few sentences, where Flesch-Kincaid swings with one
# long word; the guide's 6.5 ceiling is for articles, these keep the older limit of 8.
SHORT_TEXT_MAX_GRADE = 8.0


@pytest.fixture
def imported(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())
    return list(Article.objects.all())


def test_at_least_ten_published_articles_and_thirty_faq_entries(imported):
    assert Article.objects.published().count() >= 10
    assert FAQEntry.objects.count() >= MIN_FAQ_ENTRIES


def test_each_new_topic_has_its_published_article(imported):
    published = set(Article.objects.published().values_list("slug", flat=True))
    assert NEW_TOPICS - published == set()


def test_every_faq_answer_reads_at_grade_eight_or_below(imported):
    too_hard = {e.question: reading_stats(e.answer).grade for e in FAQEntry.objects.all()}
    assert {q: g for q, g in too_hard.items() if g > SHORT_TEXT_MAX_GRADE} == {}


def test_every_article_reads_at_grade_six_and_a_half_or_below_and_the_median_at_five_and_a_half(
    imported,
):
    """The guide's ceiling (issue 23), on the measure readability.py defines."""
    grades = {a.slug: a.reading_stats().grade for a in imported}
    assert {slug: g for slug, g in grades.items() if g > MAX_GRADE} == {}
    assert median_grade(grades.values()) <= MAX_MEDIAN_GRADE
    assert (MAX_GRADE, MAX_MEDIAN_GRADE) == (6.5, 5.5)


def test_the_reading_level_reads_paragraphs_and_list_items_only(db):
    """Headings, a care card's heading and the References list are not prose; each
    paragraph and list item ends a sentence, so a list of short items is not read as
    one long sentence."""
    body = (
        "## A very long heading with extraordinarily complicated vocabulary\n\n"
        "You rest after the dose.[^berman2000]\n\n"
        "- Someone drives you home\n"
        "- You sleep\n\n"
        '!!! info "Good to know"\n'
        "    You can stop at any time.\n"
    )
    text = plain_text(body)
    assert text.splitlines() == [
        "You rest after the dose.",
        "Someone drives you home.",
        "You sleep.",
        "You can stop at any time.",
    ]
    assert "Good to know" not in text  # the card's heading
    assert "References" not in text and "Berman" not in text
    assert reading_stats(body).grade == reading_stats(text).grade
    article_text = plain_text("# Title\n\n### Sub heading\n\nShort words.\n")
    assert article_text == "Short words."


def test_every_article_is_between_400_and_1500_words(imported):
    words = {a.slug: a.reading_stats().words for a in imported}
    assert {s: w for s, w in words.items() if not MIN_WORDS <= w <= MAX_WORDS} == {}


def test_every_summary_is_one_sentence_of_at_most_160_characters(imported):
    for article in imported:
        assert 0 < len(article.summary) <= 160, article.slug
        assert article.summary.endswith((".", "?")), article.slug


def test_articles_stating_medical_facts_cite_sources(imported):
    for article in imported:
        if article.slug not in NO_REFERENCES_NEEDED:
            assert len(article.cited_keys) >= MIN_REFERENCES, article.slug


def test_every_cited_key_is_a_listed_source_and_every_listed_source_is_cited(imported):
    """No unsupported reference: each [^key] in an article is in content/references.yaml,
    and each source in that file supports at least one claim somewhere on the site."""
    sources = load_sources()
    cited = {(a.slug, key) for a in imported for key in a.cited_keys}
    assert {(slug, key) for slug, key in cited if key not in sources} == set()
    assert set(sources) - {key for _, key in cited} == set()


def test_each_article_lists_exactly_the_sources_it_cites_under_references(imported):
    """The numbered list holds every cited source once, in order of first citation, each
    linking back to its place in the text, with its web address linked where it has one."""
    sources = load_sources()
    for article in imported:
        html = article.body_html
        listed = re.findall(r'<li id="fn:([^"]+)">', html)
        assert listed == article.cited_keys, article.slug
        if listed:
            assert '<h2 id="references">References</h2>' in html, article.slug
            assert "[^" not in html, article.slug
        for number, key in enumerate(listed, start=1):
            assert f'<a class="footnote-ref" href="#fn:{key}">{number}</a>' in html
            assert f'href="#fnref:{key}"' in html
            if sources[key].url:
                assert f'href="{sources[key].url}"' in html, (article.slug, key)


def test_no_article_carries_an_invented_author_or_reviewer(imported):
    assert all(a.author is None and a.reviewer is None for a in imported)


def test_every_internal_link_resolves_to_a_published_page(client, imported):
    """Articles, FAQ answers and glossary definitions link only to pages that exist, and
    every /glossary/#term link to a term on the glossary page."""
    pages = [a.body_html for a in imported] + [e.answer_html for e in FAQEntry.objects.all()]
    pages += [term.definition_html for term in GlossaryTerm.objects.all()]
    targets = {href for html in pages for href in _LINK.findall(html)}
    assert targets, "the articles link to each other"
    broken = {href: client.get(href).status_code for href in targets}
    assert {href: code for href, code in broken.items() if code != 200} == {}
    glossary_page = client.get("/glossary/").content.decode()
    anchors = {anchor for html in pages for anchor in _GLOSSARY_LINK.findall(html)}
    assert {a for a in anchors if f'id="{a}"' not in glossary_page} == set()


def test_glossary_terms_are_linked_from_the_articles(imported):
    """The glossary is imported, and the first use of a term in an article links to it."""
    terms = list(GlossaryTerm.objects.all())
    assert len(terms) >= 10
    linked = {anchor for a in imported for anchor in _GLOSSARY_LINK.findall(a.body_html)}
    assert len(linked) >= 10
    for article in imported:
        anchors = _GLOSSARY_LINK.findall(article.body_html)
        assert len(anchors) == len(set(anchors)), f"{article.slug} links a term twice"


def test_every_glossary_definition_reads_at_grade_eight_or_below(imported):
    grades = {t.term: reading_stats(t.definition).grade for t in GlossaryTerm.objects.all()}
    assert {term: g for term, g in grades.items() if g > SHORT_TEXT_MAX_GRADE} == {}


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
    for flag in ("reading grade over 6.5", "under 400 words", "no references", "review overdue"):
        assert flag in flagged
    assert "Median reading grade:" in out.getvalue()
    with pytest.raises(CommandError, match="need attention"):
        call_command("content_report", "--strict", stdout=StringIO())
