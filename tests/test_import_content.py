"""import_content loads content/ safely; export_content writes it back without loss."""

import datetime
import shutil
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article, FAQEntry, GlossaryTerm
from tests.reviewing import a_clinician, sign_off

ARTICLE = """\
---
title: {title}
slug: {slug}
summary: A one-sentence summary.
topic: {topic}
order: {order}
reviewed_on: null
---

## Section

Body of {slug}.[^berman2000]
"""

FAQ = """\
---
title: Frequently asked questions
---

## Can I drive home?

No: someone else drives you. [More](/articles/first/).

## Is it addictive?

It can be misused. [More](/articles/second/).
"""


def write_article(folder: Path, name: str, **fields) -> Path:
    values = {"title": "First", "slug": "first", "topic": "basics", "order": 1} | fields
    path = folder / "articles" / name
    path.write_text(ARTICLE.format(**values), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def demo_publishing_rule(settings):
    """These files name no reviewer: imported as the demo does (scripts/run). With the
    clinical-review rule on, see tests/clinical_review/."""
    settings.REQUIRE_MEDICAL_REVIEW = False


@pytest.fixture
def content_dir(tmp_path):
    (tmp_path / "articles").mkdir()
    write_article(tmp_path, "01-first.md")
    write_article(tmp_path, "02-second.md", title="Second", slug="second", order=2)
    (tmp_path / "faq.md").write_text(FAQ, encoding="utf-8")
    return tmp_path


def run_import(folder: Path, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_content", "--dir", str(folder), *args, stdout=out)
    return out.getvalue()


def test_import_creates_articles_and_faq_and_says_so(db, content_dir):
    output = run_import(content_dir)
    assert "Created article first" in output and "Created article second" in output
    assert "Created FAQ entry 'Can I drive home?'" in output
    first = Article.objects.get(slug="first")
    assert first.status == "published" and first.reviewed_on is None
    assert '<h2 id="section">Section</h2>' in first.body_html
    assert first.cited_keys == ["berman2000"]
    assert 'href="#fn:berman2000"' in first.body_html
    assert "Berman RM, et al." in first.body_html
    assert list(FAQEntry.objects.values_list("question", "order")) == [
        ("Can I drive home?", 1),
        ("Is it addictive?", 2),
    ]


def test_second_import_changes_nothing_and_says_so(db, content_dir):
    run_import(content_dir)
    before = list(Article.objects.values_list("pk", "updated_at"))
    output = run_import(content_dir)
    assert (
        output.strip()
        == "Nothing to change: 2 articles, 2 FAQ entries, 0 glossary terms and 0 pages "
        "already match content/."
    )
    assert list(Article.objects.values_list("pk", "updated_at")) == before


def test_changed_file_updates_the_article(db, content_dir):
    run_import(content_dir)
    write_article(content_dir, "01-first.md", title="First, revised")
    output = run_import(content_dir)
    assert "Updated article first" in output
    assert Article.objects.get(slug="first").title == "First, revised"


def test_admin_edit_is_kept_unless_forced(db, content_dir):
    run_import(content_dir)
    article = Article.objects.get(slug="first")
    article.body = "Edited by a clinician in the admin."
    article.save()
    write_article(content_dir, "01-first.md", title="First, from the file")

    output = run_import(content_dir)
    assert "Skipped article first: edited in the admin since the last import" in output
    assert Article.objects.get(slug="first").body == "Edited by a clinician in the admin."

    output = run_import(content_dir, "--force")
    assert "Updated article first" in output
    assert Article.objects.get(slug="first").title == "First, from the file"


def test_admin_edit_of_a_faq_answer_is_kept(db, content_dir):
    run_import(content_dir)
    entry = FAQEntry.objects.get(question="Can I drive home?")
    entry.answer = "Edited answer."
    entry.save()
    (content_dir / "faq.md").write_text(FAQ.replace("No: someone", "No. Someone"), encoding="utf-8")
    assert "Skipped FAQ entry 'Can I drive home?'" in run_import(content_dir)
    assert FAQEntry.objects.get(question="Can I drive home?").answer == "Edited answer."


MALFORMED = [
    ("01-first.md", "---\ntitle: [unclosed\n---\nbody\n", "the front matter is not valid YAML"),
    ("01-first.md", "no front matter here\n", "must start with front matter"),
    ("01-first.md", "---\nslug: x\nsummary: s\ntopic: basics\n---\nbody\n", "has no title"),
    ("01-first.md", ARTICLE.format(title="T", slug="x", topic="astrology", order=1), "unknown topic 'astrology'"),
    ("03-dupe.md", ARTICLE.format(title="Dupe", slug="second", topic="basics", order=3), "already used by 02-second.md"),
    ("01-first.md", ARTICLE.format(title="T", slug="Not A Slug", topic="basics", order=1), "may only use a-z"),
    ("01-first.md", ARTICLE.replace("summary: A one-sentence summary.", "summary: " + "x" * 161).format(title="T", slug="t", topic="basics", order=1), "at most 160"),
    ("01-first.md", ARTICLE.replace("reviewed_on:", 'references:\n  - "Berman RM, et al."\nreviewed_on:').format(title="T", slug="t", topic="basics", order=1), "'references:' is no longer used. Cite each source in the text"),
    ("01-first.md", ARTICLE.replace("[^berman2000]", "[^berman2001]").format(title="T", slug="t", topic="basics", order=1), "[^berman2001] is not in the list of sources (content/references.yaml). Did you mean [^berman2000]?"),
    ("01-first.md", ARTICLE.format(title="T", slug="t", topic="basics", order=1) + "\n[^berman2000]: Berman.\n", "Please remove the line starting “[^berman2000]:”"),
    ("01-first.md", ARTICLE.format(title="T", slug="t", topic="basics", order=1) + '\n!!! danger "Careful"\n    Text.\n', "“!!! danger” is not a kind of care card"),
]  # fmt: skip


@pytest.mark.parametrize("name,text,problem", MALFORMED)
def test_malformed_file_is_refused_naming_file_and_problem(db, content_dir, name, text, problem):
    (content_dir / "articles" / name).write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_import(content_dir)
    assert name in str(error.value) and problem in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert Article.objects.count() == 0 and FAQEntry.objects.count() == 0


def test_malformed_file_changes_nothing_already_stored(db, content_dir):
    run_import(content_dir)
    write_article(content_dir, "01-first.md", title="New title")
    write_article(content_dir, "02-second.md", title="Oops", slug="first", order=2)
    with pytest.raises(CommandError):
        run_import(content_dir)
    assert Article.objects.get(slug="first").title == "First"


def test_unknown_reviewer_is_refused(db, content_dir):
    path = content_dir / "articles" / "01-first.md"
    path.write_text(path.read_text().replace("order: 1\n", "order: 1\nreviewer: Dr. Nobody\n"))
    with pytest.raises(CommandError, match="the reviewer 'Dr. Nobody' is not a clinician"):
        run_import(content_dir)


def test_import_export_import_is_lossless(db, content_dir, tmp_path_factory):
    run_import(content_dir)
    reviewed = Article.objects.get(slug="first")
    sign_off(reviewed, a_clinician("Dr. Real"), datetime.date(2026, 1, 10))
    states = {a.slug: a.content_state() for a in Article.objects.all()}
    assert states["first"]["reviewer"] == "Dr. Real"
    assert states["first"]["review_fingerprint"] == reviewed.reviewed_hash
    faq = [e.content_state() for e in FAQEntry.objects.all()]

    exported = tmp_path_factory.mktemp("exported")
    call_command("export_content", "--dir", str(exported), stdout=open("/dev/null", "w"))
    Article.objects.all().delete()
    FAQEntry.objects.all().delete()
    run_import(exported)

    assert {a.slug: a.content_state() for a in Article.objects.all()} == states
    assert Article.objects.get(slug="first").review_is_current
    assert [e.content_state() for e in FAQEntry.objects.all()] == faq
    assert "Nothing to change" in run_import(exported)


def test_export_then_import_of_the_same_database_changes_nothing(db, content_dir):
    run_import(content_dir)
    article = Article.objects.get(slug="first")
    article.summary = "Changed in the admin."
    article.save()
    call_command("export_content", "--dir", str(content_dir), stdout=open("/dev/null", "w"))
    assert (
        "summary: Changed in the admin." in (content_dir / "articles" / "01-first.md").read_text()
    )
    assert "Nothing to change" in run_import(content_dir)


def test_the_sites_own_content_imports_cleanly(db, tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(Path(settings.BASE_DIR) / "content", folder)
    run_import(folder)
    assert Article.objects.published().count() >= 10
    assert FAQEntry.objects.count() >= 20
    assert textwrap.dedent("Nothing to change") in run_import(folder)


GLOSSARY = """\
- term: NMDA receptor
  slug: nmda-receptor
  also: [NMDA receptors]
  definition: "A docking site on nerve cells. See [how it works](/articles/first/)."
- term: Dissociation
  slug: dissociation
  also: []
  definition: "Feeling detached from your body or surroundings."
"""


def test_glossary_is_imported_linked_from_articles_and_exported_back(db, content_dir, tmp_path):
    """glossary.yaml becomes glossary terms; articles link the first use of each term; export
    writes it back and a second import changes nothing."""
    (content_dir / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    write_article(content_dir, "01-first.md", title="First")
    path = content_dir / "articles" / "01-first.md"
    path.write_text(path.read_text() + "\nKetamine blocks NMDA receptors. NMDA receptors again.\n")
    output = run_import(content_dir)
    assert "Created glossary term nmda-receptor" in output
    html = Article.objects.get(slug="first").body_html
    assert html.count('href="/glossary/#nmda-receptor"') == 1
    assert (
        'blocks <a class="glossary-link" href="/glossary/#nmda-receptor">NMDA receptors</a>' in html
    )

    exported = tmp_path / "exported"
    call_command("export_content", "--dir", str(exported), stdout=open("/dev/null", "w"))
    GlossaryTerm.objects.all().delete()
    run_import(exported)
    assert [t.content_state() for t in GlossaryTerm.objects.order_by("slug")] == [
        {"term": "Dissociation", "slug": "dissociation", "also": [],
         "definition": "Feeling detached from your body or surroundings."},
        {"term": "NMDA receptor", "slug": "nmda-receptor", "also": ["NMDA receptors"],
         "definition": "A docking site on nerve cells. See [how it works](/articles/first/)."},
    ]  # fmt: skip
    assert "Nothing to change" in run_import(exported)


def test_a_new_glossary_term_links_articles_already_imported(db, content_dir):
    write_article(content_dir, "01-first.md")
    path = content_dir / "articles" / "01-first.md"
    path.write_text(path.read_text() + "\nYou may feel dissociation.\n")
    run_import(content_dir)
    assert "glossary" not in Article.objects.get(slug="first").body_html
    (content_dir / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    # The term's own save renders the articles already stored again (GlossaryTerm.save).
    assert "Created glossary term dissociation" in run_import(content_dir)
    assert 'href="/glossary/#dissociation"' in Article.objects.get(slug="first").body_html


GLOSSARY_MALFORMED = [
    ("- term: X\n  slug: x\n", "'X' has no definition."),
    ("- term: X\n  slug: Not a slug\n  definition: d\n", "may only use a-z"),
    ("- term: X\n  definition: d\n- term: Y\n  also: [x]\n  definition: d\n", "'x' already links to 'X'"),
    ("- term: X\n  definition: d\n  see: y\n", "unknown field(s): see"),
    ("term: [unclosed\n", "the glossary is not valid YAML"),
]  # fmt: skip


@pytest.mark.parametrize("text,problem", GLOSSARY_MALFORMED)
def test_malformed_glossary_is_refused(db, content_dir, text, problem):
    (content_dir / "glossary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_import(content_dir)
    assert "glossary.yaml" in str(error.value) and problem in str(error.value)
    assert Article.objects.count() == 0 and GlossaryTerm.objects.count() == 0
