"""Markdown is rendered to HTML once, on save, and sanitised so nothing hostile survives."""

import re

import pytest

from foundation.markdown import render_markdown

HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="vbscript:msgbox(1)">x</a>',
    "![x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<div onmouseover="alert(1)">hover</div>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="&#106;avascript:alert(1)">encoded</a>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "<!-- <script>alert(1)</script> -->",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
]

FORBIDDEN = [
    re.compile(
        r"<\s*(script|style|iframe|form|input|button|svg|math|object|embed|meta|base|link)\b", re.I
    ),
    re.compile(r"\son\w+\s*=", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"(javascript|vbscript|data):", re.I),
]


@pytest.mark.parametrize("hostile", HOSTILE_INPUTS)
def test_hostile_input_comes_out_inert(hostile):
    """No tag, attribute or URL that could run code or restyle the page survives."""
    html = render_markdown(hostile).html
    for pattern in FORBIDDEN:
        assert not pattern.search(html), f"{pattern.pattern!r} survived in {html!r}"


def test_ordinary_markdown_keeps_its_structure():
    """Tables, lists, links, headings with ids, emphasis and footnotes are kept."""
    text = (
        "## Before your visit\n\n"
        "Eat a **light** meal and *rest*.[^1]\n\n"
        "- one\n- two\n\n"
        "1. first\n2. second\n\n"
        "| Step | Time |\n|---|---|\n| Check-in | 10 min |\n\n"
        "[Read more](/articles/a-treatment-day/) or [the FDA](https://www.fda.gov/) "
        "or [e-mail us](mailto:hello@example.com).\n\n"
        "[^1]: Follow your clinic's instructions.\n"
    )
    rendered = render_markdown(text)
    html = rendered.html
    assert '<h2 id="before-your-visit">Before your visit</h2>' in html
    assert "<strong>light</strong>" in html and "<em>rest</em>" in html
    assert "<ul>" in html and "<ol>" in html
    assert "<table>" in html and "<td>Check-in</td>" in html
    assert '<a href="/articles/a-treatment-day/">Read more</a>' in html
    assert '<a href="https://www.fda.gov/">the FDA</a>' in html
    assert '<a href="mailto:hello@example.com">e-mail us</a>' in html
    assert 'class="footnote"' in html
    # Footnotes are listed under a "References" heading, which the table of contents shows.
    assert rendered.headings == [
        ("before-your-visit", "Before your visit"),
        ("references", "References"),
    ]


def test_a_level_one_heading_in_the_body_becomes_level_two():
    """The page title is the page's only <h1>."""
    html = render_markdown("# Big\n\ntext").html
    assert "<h1" not in html and "<h2" in html


def test_article_body_html_is_rendered_on_save(make_article):
    article = make_article(body="## Hello\n\n<script>x()</script>Text")
    assert '<h2 id="hello">Hello</h2>' in article.body_html
    assert "<script" not in article.body_html


def test_the_sites_own_diagrams_get_their_size_and_load_lazily():
    html = render_markdown("![Four steps](/static/img/how-ketamine-works.svg)").html
    assert html == (
        '<p><img width="360" height="494" alt="Four steps" '
        'src="/static/img/how-ketamine-works.svg" loading="lazy" decoding="async"></p>'
    )


def test_an_authors_own_size_wins_and_other_sites_images_get_no_size():
    html = render_markdown('![A](/static/img/how-ketamine-works.svg "t")').html
    assert 'width="360"' in html
    own = render_markdown('<img src="/static/img/how-ketamine-works.svg" alt="B" width="100">')
    assert 'width="100"' in own.html and 'width="360"' not in own.html
    other = render_markdown("![C](https://example.com/c.png)").html
    assert "width" not in other and 'loading="lazy"' in other
