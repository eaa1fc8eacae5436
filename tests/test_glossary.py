"""The glossary: /glossary/ explains the words the articles use, and the first use of
each word in an article links to its entry."""

import pytest
from django.urls import reverse

from articles.models import Article, GlossaryTerm, PendingChange
from clinic.models import Clinician
from foundation.markdown import GlossaryLink, render_markdown
from tests.staff import staff_in_group

NMDA = GlossaryLink(("NMDA receptor", "NMDA receptors"), "/glossary/#nmda-receptor")
OFF_LABEL = GlossaryLink(("off-label",), "/glossary/#off-label")


def linked(text: str) -> str:
    return render_markdown(text, glossary=[NMDA, OFF_LABEL]).html


def test_only_the_first_use_is_linked_in_any_form_and_case():
    html = linked("Ketamine blocks nmda receptors. An NMDA receptor is a docking site.\n")
    assert html == (
        '<p>Ketamine blocks <a class="glossary-link" href="/glossary/#nmda-receptor">'
        "nmda receptors</a>. An NMDA receptor is a docking site.</p>"
    )


def test_terms_are_not_linked_inside_headings_links_or_code():
    html = linked(
        "## NMDA receptors\n\n[About the NMDA receptor](/articles/x/) and `off-label` and\n\n"
        "    off-label code\n\nThen: the NMDA receptor, used off-label.\n"
    )
    assert html.count("glossary-link") == 2
    assert '<h2 id="nmda-receptors">NMDA receptors</h2>' in html
    assert '<a href="/articles/x/">About the NMDA receptor</a>' in html
    assert "<code>off-label</code>" in html
    assert (
        'Then: the <a class="glossary-link" href="/glossary/#nmda-receptor">NMDA receptor</a>, '
        'used <a class="glossary-link" href="/glossary/#off-label">off-label</a>.'
    ) in html


def test_only_whole_words_are_linked():
    assert "glossary-link" not in linked("Not off-labeled, nor pre-off-label, nor NMDA receptorX.")


def test_a_term_inside_a_list_or_a_care_card_is_linked_but_not_in_its_heading():
    html = linked('!!! info "About the NMDA receptor"\n    - It is used off-label.\n')
    assert 'href="/glossary/#nmda-receptor"' not in html
    assert '<li>It is used <a class="glossary-link" href="/glossary/#off-label">' in html


@pytest.fixture
def terms(db):
    nmda = GlossaryTerm.objects.create(
        term="NMDA receptor",
        slug="nmda-receptor",
        also="NMDA receptors",
        definition="A docking site on nerve cells. See [how it works](/articles/how/).",
    )
    zebra = GlossaryTerm.objects.create(
        term="dissociation", slug="dissociation", definition="Feeling *detached*."
    )
    return nmda, zebra


def test_glossary_page_lists_terms_alphabetically_with_an_anchor_each(client, terms):
    response = client.get("/glossary/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<h1>Glossary</h1>" in html
    assert html.index('id="dissociation"') < html.index('id="nmda-receptor"')
    assert "<p>Feeling <em>detached</em>.</p>" in html
    assert '<a href="/articles/how/">how it works</a>' in html
    assert '<a href="#letter-d">D</a>' in html and '<span id="letter-n"></span>' in html


def test_glossary_is_in_the_footer_and_the_sitemap(client, terms):
    assert (
        f'<a href="{reverse("articles:glossary")}">Glossary</a>' in client.get("/").content.decode()
    )
    assert "/glossary/</loc>" in client.get("/sitemap.xml").content.decode()


def test_an_article_saved_links_its_first_use_of_a_term(terms, make_article):
    article = make_article(body="## NMDA receptors\n\nKetamine blocks NMDA receptors.\n")
    assert article.body_html.count('href="/glossary/#nmda-receptor"') == 1


def test_an_editor_adds_a_term_and_existing_articles_link_to_it_once_approved(client, make_article):
    article = make_article(body="You may feel dissociation for a while.\n")
    assert "glossary-link" not in article.body_html
    client.force_login(staff_in_group("editor", "Editor"))
    response = client.post(
        reverse("admin:articles_glossaryterm_add"),
        {"term": "Dissociation", "slug": "dissociation", "also": "", "definition": "Detached."},
    )
    assert response.status_code == 302
    # A definition is medical text: an Editor's new entry waits for a clinical reviewer.
    assert not GlossaryTerm.objects.exists()
    change = PendingChange.objects.get()
    reviewer = staff_in_group("reviewer", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=reviewer)
    client.force_login(reviewer)
    client.post(
        reverse("admin:articles_pendingchange_change", args=[change.pk]), {"action": "approve"}
    )
    assert GlossaryTerm.objects.get().term == "Dissociation"
    article = Article.objects.get(pk=article.pk)
    assert '<a class="glossary-link" href="/glossary/#dissociation">dissociation</a>' in (
        article.body_html
    )
    assert article.history.count() == 1  # linking is not a new revision of the text


def test_two_terms_cannot_claim_the_same_word(editor_client, terms):
    response = editor_client.post(
        reverse("admin:articles_glossaryterm_add"),
        {"term": "Receptor", "slug": "receptor", "also": "nmda receptors", "definition": "D."},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["also"] == [
        "Already used by another entry: “nmda receptors” (NMDA receptor)."
    ]
