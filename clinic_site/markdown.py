"""Markdown to safe HTML: the one place articles, FAQ answers and the editor preview
are rendered, so the preview is exactly what visitors will see.

python-markdown turns the text into HTML; nh3 (the Ammonia sanitiser) then keeps
only an allowlist of tags and attributes. Whatever a clinician, or someone with a
stolen password, pastes into the editor, no script, style, frame, form or event
handler reaches a visitor, and links may only be http(s), mailto or relative.
"""

import re
from dataclasses import dataclass, field
from html import escape

import markdown
import nh3

from .images import ImageNotFound, image_attributes

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
# nh3 writes every <img> the same way: attributes in double quotes, values escaped.
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


@dataclass
class Rendered:
    html: str
    # Second-level headings as (id, text) pairs, for the table of contents.
    headings: list[tuple[str, str]] = field(default_factory=list)
    # Image addresses shown as missing because they cannot be files of this site.
    missing_images: list[str] = field(default_factory=list)


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
    missing: list[str] = []
    html = with_image_attributes(sanitize(md.convert(text or "")), missing)
    headings = [(token["id"], token["name"]) for token in md.toc_tokens]
    return Rendered(html=html, headings=headings, missing_images=missing)


def with_image_attributes(html: str, missing: list[str] | None = None) -> str:
    """Each image, after sanitising, with what makes pages load fast and steady: its width
    and height (the browser keeps the space, nothing jumps), lazy loading (article images
    come below the title and summary) and, for uploads, WebP copies to choose from by
    screen width. Added from our own files, never from the author's text.
    """
    missing = [] if missing is None else missing
    return _IMG.sub(lambda match: _responsive_image(match, missing), html)


def _responsive_image(match: re.Match, missing: list[str]) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    try:
        found = image_attributes(attributes.get("src", "").replace("&amp;", "&"))
    except ImageNotFound as not_found:
        # Shown as missing: the description stays, in place of a picture that is not there.
        missing.append(str(not_found))
        alt = attributes.get("alt", "")
        return f'<span class="missing-image">[Image not found{": " + alt if alt else ""}]</span>'
    srcset, sizes = found.pop("srcset", None), found.pop("sizes", None)
    # The author's own width/height win; the rest is ours.
    attributes = {**found, **attributes, "loading": "lazy", "decoding": "async"}
    image = "<img " + " ".join(f'{k}="{v}"' for k, v in attributes.items()) + ">"
    if not srcset:
        return image
    return (
        f'<picture><source type="image/webp" srcset="{escape(srcset)}" sizes="{sizes}">'
        f"{image}</picture>"
    )


def markdownify(text: str) -> str:
    """Entry point for django-markdownx's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION).

    Above the preview, a message for each image shown as missing, saying what to do."""
    rendered = render_markdown(text)
    notes = "".join(
        f'<p class="editor-warning" role="alert">This image cannot be shown: '
        f"{escape(src)} is not an address of an image on this site. Use \u201cAdd an "
        f"image\u201d to upload it, or fix the address (it may not contain ..).</p>"
        for src in rendered.missing_images
    )
    return notes + rendered.html
