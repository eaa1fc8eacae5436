"""Markdown to safe HTML: the one place articles, FAQ answers and the editor preview
are rendered, so the preview is exactly what visitors will see.

python-markdown turns the text into HTML; nh3 (the Ammonia sanitiser) then keeps
only an allowlist of tags and attributes. Whatever a clinician, or someone with a
stolen password, pastes into the editor, no script, style, frame, form or event
handler reaches a visitor, and links may only be http(s), mailto or relative.
"""

import re
from dataclasses import dataclass, field

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    # Footnotes and admonitions are styled through these classes only.
    "div": {"class"},
    "p": {"class"},
    "sup": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_CLASSES = {"footnote", "footnote-ref", "footnote-backref", "admonition", "admonition-title",
                   "note", "warning", "tip", "important"}  # fmt: skip

_H1 = re.compile(r"<(/?)h1(\b[^>]*)>", re.IGNORECASE)


@dataclass
class Rendered:
    html: str
    # Second-level headings as (id, text) pairs, for the table of contents.
    headings: list[tuple[str, str]] = field(default_factory=list)


def _keep_class(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = [name for name in value.split() if name in ALLOWED_CLASSES]
    return " ".join(kept) or None


def sanitize(html: str) -> str:
    # The page title is the only <h1>: a heading level 1 in the body becomes level 2.
    html = _H1.sub(r"<\1h2\2>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_keep_class,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(text: str) -> Rendered:
    md = markdown.Markdown(
        extensions=["tables", "toc", "footnotes", "admonition", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-2"}},
        output_format="html",
    )
    html = sanitize(md.convert(text or ""))
    headings = [(token["id"], token["name"]) for token in md.toc_tokens]
    return Rendered(html=html, headings=headings)


def markdownify(text: str) -> str:
    """Entry point for django-markdownx's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render_markdown(text).html
