"""Articles cite sources by key where the claim is ([^key]); the page lists each cited
source, numbered, under "References", and an unknown key is refused in plain words."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from articles.citations import SourcesFileError, load_sources, sources_path
from articles.models import Article, FAQEntry, fingerprint
from foundation.markdown import Source, render_markdown
from tests.staff import staff_in_group

BODY = (
    "Ketamine was first shown to lift depression fast in 2000.[^berman2000] "
    "A bigger trial agreed.[^zarate2006]\n\n"
    "## Later\n\nThe first finding again.[^berman2000]\n"
)


def test_cited_sources_are_numbered_and_listed_under_references(make_article):
    """Numbers follow the first citation; each links to its entry and the entry back."""
    html = make_article(body=BODY).body_html
    assert '<sup id="fnref:berman2000"><a class="footnote-ref" href="#fn:berman2000">1</a>' in html
    assert '<sup id="fnref:zarate2006"><a class="footnote-ref" href="#fn:zarate2006">2</a>' in html
    assert '<sup id="fnref2:berman2000">' in html  # cited twice: one list entry, two links back
    references = html[html.index('<h2 id="references">References</h2>') :]
    assert re.findall(r'<li id="fn:([^"]+)">', references) == ["berman2000", "zarate2006"]
    assert "Berman RM, et al. Antidepressant effects of ketamine in depressed patients." in html
    assert 'href="#fnref:berman2000"' in references and 'href="#fnref2:berman2000"' in references
    assert "[^" not in html


def test_a_source_with_a_web_address_links_to_it(make_article):
    html = make_article(body="Report side effects.[^medwatch]\n").body_html
    assert (
        '<a href="https://www.fda.gov/medwatch">U.S. Food and Drug Administration. MedWatch: '
        "the FDA Safety Information and Adverse Event Reporting Program.</a>"
    ) in html


def test_only_cited_sources_are_listed():
    sources = {"a": Source("Source A."), "b": Source("Source B.")}
    html = render_markdown("Claim.[^b]\n", sources=sources).html
    assert "Source B." in html and "Source A." not in html


def test_a_key_shown_as_code_is_neither_cited_nor_listed():
    sources = {"a": Source("Source A."), "b": Source("Source B.")}
    html = render_markdown("Write `[^a]` after a claim.[^b]\n", sources=sources).html
    assert "<code>[^a]</code>" in html
    assert "Source A." not in html and "Source B." in html


def test_a_key_in_a_fenced_code_block_is_not_cited():
    from foundation.markdown import cited_keys

    assert cited_keys("Claim.[^b]\n\n~~~\nWrite [^a] like this.\n~~~\n") == ["b"]
    assert cited_keys("Claim.[^b]\n\n```\n[^a]\n```\n") == ["b"]
    assert cited_keys("No code at all.[^a] And again.[^b][^a]") == ["a", "b"]


def test_a_sources_text_is_not_read_as_markdown_or_html():
    sources = {"a": Source("A *starred* <b>bold</b> [link](https://x.example)")}
    html = render_markdown("Claim.[^a]\n", sources=sources).html
    assert "A *starred* &lt;b&gt;bold&lt;/b&gt; [link](https://x.example)" in html


def test_the_article_page_shows_references_then_the_review_label_then_the_call_to_action(
    client, make_article
):
    """The body's last words are its own; the call to action is a section of its own."""
    make_article(slug="cited", body=BODY + "\nCall 988 in a crisis.\n")
    html = client.get("/articles/cited/").content.decode()
    order = [
        html.index("Call 988 in a crisis."),
        html.index('<h2 id="references">References</h2>'),
        html.index('<footer class="article-foot meta">'),
        html.index("</article>"),
        html.index('<section class="cta"'),
    ]
    assert order == sorted(order)


def test_structured_data_names_the_cited_sources(client, make_article):
    make_article(slug="cited", body=BODY)
    html = client.get("/articles/cited/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    page = next(d for d in map(json.loads, blocks) if d.get("@type") == "MedicalWebPage")
    assert len(page["citation"]) == 2 and page["citation"][0].startswith("Berman RM")


def test_content_report_counts_the_cited_sources(make_article):
    make_article(slug="cited", body=BODY)
    out = StringIO()
    call_command("content_report", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("cited "))
    assert line.split()[4] == "2"  # article, words, grade, minutes, refs


def test_citation_markers_do_not_count_as_words_for_the_reading_level(make_article):
    plain = make_article(slug="plain", body="The drug works fast. Many feel better.\n")
    cited = make_article(slug="cited", body="The drug works fast.[^berman2000] Many feel better.\n")
    assert plain.reading_stats() == cited.reading_stats()


# --- The editor in the admin ------------------------------------------------------------


def add_article(client, body: str):
    return client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Aftercare",
            "slug": "aftercare",
            "summary": "What to do after a session.",
            "topic": "treatment",
            "order": 5,
            "body": body,
            "publish_at_0": "2026-01-01",
            "publish_at_1": "00:00:00",
        },
    )


def body_errors(response) -> list[str]:
    return list(response.context["adminform"].form.errors.get("body", []))


def test_an_unknown_key_is_refused_next_to_the_body_in_plain_words(editor_client):
    response = add_article(editor_client, "Rest.[^berman200]\n")
    assert response.status_code == 200
    assert body_errors(response) == [
        "[^berman200] is not in the list of sources (content/references.yaml). Did you mean "
        "[^berman2000]? Check the spelling, or ask for the source to be added to the list."
    ]
    assert not Article.objects.exists()


def test_a_footnote_definition_a_references_heading_and_an_unknown_card_are_refused(
    editor_client,
):
    body = (
        'Rest.[^berman2000]\n\n!!! danger "Careful"\n    Text.\n\n'
        "## References\n\n[^berman2000]: Berman.\n"
    )
    errors = body_errors(add_article(editor_client, body))
    assert len(errors) == 3
    assert errors[0].startswith("Please remove the line starting “[^berman2000]:”.")
    assert errors[1].startswith("Please remove the heading “References”")
    assert errors[2].startswith("“!!! danger” is not a kind of care card.")


def test_known_keys_save_and_the_preview_shows_the_references(editor_client):
    assert add_article(editor_client, "Rest.[^berman2000]\n").status_code == 302
    preview = editor_client.post(
        "/editor/markdownify/?model=articles.article", {"content": "Rest.[^berman2000]\n"}
    )
    assert '<h2 id="references">References</h2>' in preview.content.decode()


def test_a_faq_answer_cannot_cite_by_key(client, db):
    client.force_login(staff_in_group("editor", "Editor"))
    response = client.post(
        reverse("admin:articles_faqentry_add"),
        {"question": "Is it safe?", "answer": "Mostly.[^berman2000]", "order": 1},
    )
    assert response.status_code == 200
    assert FAQEntry.objects.count() == 0
    assert "An answer does not list sources" in response.content.decode()


# --- The list of sources ----------------------------------------------------------------


def test_the_projects_list_of_sources_is_valid():
    sources = load_sources(sources_path())
    assert len(sources) >= 15
    assert all(s.text and (not s.url or s.url.startswith("https://")) for s in sources.values())


@pytest.mark.parametrize(
    "text,problem",
    [
        ("a: [x\n", "not valid YAML"),
        ("Bad Key:\n  text: T\n", "may only use a-z"),
        ("a:\n  url: https://x.example\n", "has no text"),
        ("a:\n  text: T\n  url: javascript:alert(1)\n", "must start with https://"),
    ],
)
def test_a_broken_list_of_sources_is_named_clearly(tmp_path, text, problem):
    path = tmp_path / "references.yaml"
    path.write_text(text)
    with pytest.raises(SourcesFileError, match=re.escape(problem)):
        load_sources(path)


# --- The migration from free-text references --------------------------------------------


def test_migration_keeps_unplaced_references_for_the_editor(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0004_rerender_for_image_sizes")])
    apps = executor.loader.project_state([("articles", "0004_rerender_for_image_sizes")]).apps
    OldArticle = apps.get_model("articles", "Article")
    common = {"summary": "S.", "topic": "basics", "order": 1, "status": "published"}
    imported = OldArticle.objects.create(
        title="Imported", slug="imported", body="Text.", references="Ref A.", **common
    )
    state = {
        "title": "Imported", "slug": "imported", "summary": "S.", "topic": "basics",
        "order": 1, "status": "published", "author": None, "reviewer": None,
        "reviewed_on": None, "next_review_due": None, "references": ["Ref A."], "body": "Text.",
    }  # fmt: skip
    OldArticle.objects.filter(pk=imported.pk).update(source_hash=fingerprint(state))
    edited = OldArticle.objects.create(
        title="Edited", slug="edited", body="Mine.", references="Ref B.\nRef C.", **common
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    imported = Article.objects.get(slug="imported")
    # Unchanged since import: the next import_content may update it without --force.
    assert imported.source_hash == fingerprint(imported.content_state())
    assert imported.body == "Text."
    edited = Article.objects.get(slug="edited")
    assert edited.body.startswith("Mine.\n\n<!-- References listed before citations moved")
    assert "Ref B.\nRef C.\n-->" in edited.body
    edited.save()
    assert "Ref B." not in edited.body_html  # a comment: never shown to visitors


def test_search_snippets_leave_out_citation_numbers_and_the_reference_list(client, make_article):
    make_article(
        slug="cited", title="Fast relief", body="Relief came within a day.[^berman2000] Sanacora.\n"
    )
    html = client.get("/search/?q=relief").content.decode()
    assert "day. Sanacora" in html.replace("<mark>", "").replace("</mark>", "")
    assert "Berman RM" not in html
