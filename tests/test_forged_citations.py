"""Citation markers, the list of sources and the page's anchors are made by the renderer
only: footnote markup written by hand in the Markdown is stripped, as hand-written care
cards are (issue 24)."""

import re

from foundation.markdown import render_markdown

# The forged marker from the issue: it looks like citation 1 but leads to another site.
FORGED_MARKER = (
    '<sup id="fnref:berman2000"><a class="footnote-ref" href="https://evil.example/">1</a></sup>'
)
FORGED_LIST = (
    '<div class="footnote"><ol><li id="fn:berman2000">A made-up source. '
    '<a class="footnote-backref" href="#fnref:berman2000">back</a></li></ol></div>'
)
BODY = (
    f"Ketamine is a cure for everything.{FORGED_MARKER}\n\n"
    f"{FORGED_LIST}\n\n"
    '<p id="later">A paragraph that claims the id of the heading below.</p>\n\n'
    '<p id="fnref2:zarate2006">And one that claims a marker id.</p>\n\n'
    "## Later\n\n"
    "Ketamine lifted depression fast in one trial.[^berman2000]\n"
)


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_hand_written_footnote_markup_loses_its_ids_and_classes(make_article):
    html = make_article(body=BODY).body_html

    # The forged marker is left as plain text in a superscript: no id, no class.
    assert '<sup><a href="https://evil.example/">1</a></sup>' in html
    assert '<div><ol><li>A made-up source. <a href="#fnref:berman2000">back</a>' in html
    assert "<p>A paragraph that claims the id of the heading below.</p>" in html
    assert "<p>And one that claims a marker id.</p>" in html

    # The only footnote classes are the renderer's own, on the real citation.
    assert html.count('class="footnote-ref"') == 1
    assert html.count('class="footnote"') == 1
    assert html.count('class="footnote-backref"') == 1
    assert '<sup id="fnref:berman2000"><a class="footnote-ref" href="#fn:berman2000">1</a>' in html

    # Every id on the page is unique and is the renderer's: the heading, the references
    # heading, the real marker and the real list entry. Nothing written by hand takes
    # over an anchor that a link points to.
    assert ids(html) == ["later", "fnref:berman2000", "references", "fn:berman2000"]
    references = html[html.index('<h2 id="references">') :]
    assert '<li id="fn:berman2000">' in references and "Berman RM" in references


def test_the_renderers_own_footnotes_and_heading_ids_are_unchanged():
    """Without any hand-written HTML the output is what it always was (no prefix left)."""
    html = render_markdown("## Before\n\nText.[^1]\n\n[^1]: A note.\n").html
    assert '<h2 id="before">Before</h2>' in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<div class="footnote">' in html and '<li id="fn:1">' in html
    assert 'class="footnote-backref" href="#fnref:1"' in html
    assert not re.search(r"\bx[0-9a-f]{16}-", html)  # the render's private prefix is gone


def test_a_hand_written_care_card_and_an_id_on_any_tag_are_stripped():
    html = render_markdown(
        '<div class="care-card care-card--emergency" id="main">Do not call 911.</div>\n\n'
        '<span id="references">x</span>\n'
    ).html
    assert html.count("id=") == 0 and "class=" not in html
