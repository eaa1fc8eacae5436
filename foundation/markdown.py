"""Markdown to safe HTML: the one renderer under every kind of content. Each content
model calls it with what it needs (an article its sources, glossary and triage data; a
page nothing) and registers that call in content_rendering.py, which the editor's preview
and the reviewer's preview use too, so a preview is exactly what visitors will see.

python-markdown turns the text into HTML; nh3 (the Ammonia sanitiser) then keeps
only an allowlist of tags and attributes. Whatever a clinician, or someone with a
stolen password, pastes into the editor, no script, style, frame, form or event
handler reaches a visitor, and links may only be http(s), mailto or relative.

Three things are our own markup, made here from the Markdown and never taken from an
author's HTML:

- Citations. `[^key]` after a claim cites a source by its key. The caller passes the
  sources (key -> text and web address); every cited one is listed, numbered in the order
  of first citation, under the heading "References", each number linking to its entry and
  back (python-markdown's footnotes, `#fn:` / `#fnref:` anchors).
- Care cards, for urgent advice (the NHS pattern): `!!! when-to-get-help "Heading"` with
  symptom keys listed under it (`    - slow-breathing`). The caller passes the triage data
  (each key's level and wording, and the clinic's phone numbers) and the list becomes one
  card per level, most urgent first, each saying where to go and how (care_cards.py).
- Glossary links: the first use of each glossary term the caller passes links to its
  entry on /glossary/ (not inside headings, links or code).

Our markup carries classes and ids an author cannot forge: while rendering, our elements
get a class prefix made of a random token for this one render, and so does every id the
renderer writes (headings, citation markers, the list of sources); the sanitiser keeps
only classes and ids with that prefix, and the prefix is then removed. A hostile
`<div class="care-card care-card--emergency">` written by hand loses its classes, and a
forged citation marker (`<sup id="fnref:key"><a class="footnote-ref" href="https://...">`)
loses its id and class: it cannot pass for one of ours, and no hand-written id can take
over an anchor that the table of contents or a citation links to.
"""

import re
import secrets
import xml.etree.ElementTree as etree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

import markdown
import nh3
from django.utils.translation import gettext
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .care_cards import CareCards, Triage
from .images import ImageNotFound, image_attributes

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    # Classes and ids only through keep_own (in sanitize): our markup's (see above).
    "a": {"href", "title", "class"},
    "div": {"class"},
    "h2": {"class"},
    "h3": {"class"},
    "h4": {"class"},
    "h5": {"class"},
    "h6": {"class"},
    # lang: words in another language than the page's (care cards mark them).
    "li": {"lang"},
    "span": {"class", "lang"},
    "sup": {"class"},
}
# tel: and sms: for click-to-call links (care cards say "Call 911", "text 988").
URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}
# The classes python-markdown's footnotes write: ours only when the renderer made them.
FOOTNOTE_CLASSES = {"footnote", "footnote-ref", "footnote-backref"}

REFERENCES_HEADING = "References"

_H1 = re.compile(r"<(/?)h1(\b[^>]*)>", re.IGNORECASE)
# nh3 writes every <img> the same way: attributes in double quotes, values escaped.
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# Where glossary terms are never linked: headings, links, code, and our own lists.
_NO_GLOSSARY_LINKS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "script"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


@dataclass(frozen=True)
class Source:
    """A source articles may cite: the full citation, and its web address if it has one."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class GlossaryLink:
    """A glossary term: the words that stand for it (term and other forms) and its address."""

    forms: tuple[str, ...]
    url: str


@dataclass
class Rendered:
    html: str
    # Second-level headings as (id, text) pairs, for the table of contents.
    headings: list[tuple[str, str]] = field(default_factory=list)
    # Image addresses shown as missing because they cannot be files of this site.
    missing_images: list[str] = field(default_factory=list)


def render_markdown(
    text: str,
    *,
    sources: Mapping[str, Source] | None = None,
    glossary: Sequence[GlossaryLink] = (),
    triage: Triage | None = None,
) -> Rendered:
    """Render and sanitise. With `sources`, `[^key]` citations are listed under
    "References"; a key not among them stays as typed (the editor's checks name it).
    With `triage`, `!!! when-to-get-help` lists become care cards (without, a plain box)."""
    own = f"x{secrets.token_hex(8)}-"  # this render's class prefix: see the module's doc
    text = text or ""
    if sources:
        text = with_reference_definitions(text, sources)
    md = markdown.Markdown(
        extensions=[
            "tables",
            "toc",
            "footnotes",
            "admonition",
            "sane_lists",
            _OwnMarkup(own_prefix=own, glossary=list(glossary), triage=triage),
        ],
        extension_configs={
            "toc": {"toc_depth": "2-2"},
            # U+FE0E: the return arrow as text, not as an emoji picture on phones.
            "footnotes": {"BACKLINK_TEXT": "&#8617;&#xFE0E;"},
        },
        output_format="html",
    )
    missing: list[str] = []
    html = with_image_attributes(sanitize(md.convert(text), own_prefix=own), missing)
    headings = [(token["id"], token["name"]) for token in md.toc_tokens]
    return Rendered(html=html, headings=headings, missing_images=missing)


def cited_keys(text: str) -> list[str]:
    """The keys cited in `text` (not in code), each once, in the order of first citation."""
    text = text or ""
    # Code is looked for only if the text can hold any: the search for it tries every
    # position, which is slow for a long article, and article pages ask on every visit.
    if "`" in text or "~~~" in text:
        text = _CODE.sub("", text)
    return list(dict.fromkeys(_CITATION.findall(text)))


# A citation marker: [^key] not followed by ":" (that would be a footnote definition).
_CITATION = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# Fenced code blocks and code spans, where [^key] is shown as typed, not cited.
_CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.MULTILINE | re.DOTALL)


def with_reference_definitions(text: str, sources: Mapping[str, Source]) -> str:
    """The text with a footnote definition for every cited key found in `sources`."""
    definitions = []
    for key in cited_keys(text):
        source = sources.get(key)
        if source is None:
            continue
        # Shown exactly as written: HTML characters as entities, Markdown ones escaped.
        citation = _MARKDOWN_SPECIAL.sub(r"\\\1", escape(source.text, quote=False))
        if source.url:
            citation = f"[{citation}]({source.url})"
        definitions.append(f"[^{key}]: {citation}")
    if not definitions:
        return text
    return text.rstrip() + "\n\n" + "\n".join(definitions) + "\n"


class _OwnMarkup(Extension):
    def __init__(self, *, own_prefix: str, glossary: list[GlossaryLink], triage: Triage | None):
        super().__init__()
        self.own_prefix = own_prefix
        self.glossary = glossary
        self.triage = triage

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (python-markdown's name)
        # After the footnotes are placed (50) and before the table of contents (5), so
        # "References" gets its id and its line in the table of contents.
        md.treeprocessors.register(_ReferencesHeading(md), "references-heading", 18)
        # After the table of contents: a card's heading belongs to the card, not the page's
        # list of sections.
        md.treeprocessors.register(CareCards(md, self.own_prefix, self.triage), "care-cards", 4)
        if self.glossary:
            md.treeprocessors.register(
                _GlossaryLinks(md, self.own_prefix, self.glossary), "glossary-links", 3
            )
        # Last: every element in the tree now is the renderer's (an author's HTML waits
        # in python-markdown's stash until after the tree is written out).
        md.treeprocessors.register(_OwnIdsAndFootnotes(md, self.own_prefix), "own-ids", 1)


class _ReferencesHeading(Treeprocessor):
    """Put the numbered list of sources under a "References" heading (no rule above it)."""

    def run(self, root: etree.Element) -> None:
        for index, child in enumerate(list(root)):
            if child.tag == "div" and child.get("class") == "footnote":
                for rule in child.findall("hr"):
                    child.remove(rule)
                heading = etree.Element("h2")
                # In the language the body is rendered in (a Spanish translation renders
                # with Spanish active: articles/models/translation.py).
                heading.text = gettext(REFERENCES_HEADING)
                root.insert(index, heading)
                return


class _GlossaryLinks(Treeprocessor):
    """Link the first use of each glossary term (whole words, any case) to its entry."""

    def __init__(self, md: markdown.Markdown, own_prefix: str, glossary: list[GlossaryLink]):
        super().__init__(md)
        self.own = own_prefix
        self.url_of: dict[str, str] = {}
        for link in glossary:
            for form in link.forms:
                self.url_of.setdefault(form.casefold(), link.url)
        forms = sorted(self.url_of, key=len, reverse=True)  # the longest form wins
        self.pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])",
            re.IGNORECASE,
        )
        self.linked: set[str] = set()

    def run(self, root: etree.Element) -> None:
        self.visit(root)

    def skipped(self, element: etree.Element) -> bool:
        classes = (element.get("class") or "").split()
        return (
            element.tag in _NO_GLOSSARY_LINKS
            or "footnote" in classes
            or f"{self.own}care-card__heading" in classes
        )

    def visit(self, element: etree.Element) -> None:
        # Document order: the element's own text, then each child and the text after it.
        if self.skipped(element):
            return
        element.text, links = self.split(element.text)
        for index, link in enumerate(links):
            element.insert(index, link)
        for child in list(element)[len(links) :]:
            self.visit(child)
            child.tail, links = self.split(child.tail)
            position = list(element).index(child)
            for offset, link in enumerate(links, start=1):
                element.insert(position + offset, link)

    def split(self, text: str | None) -> tuple[str | None, list[etree.Element]]:
        """The text up to the first new link, and the links made (each with the text up
        to the next one as its tail)."""
        if not text:
            return text, []
        before, links, start = None, [], 0
        for match in self.pattern.finditer(text):
            url = self.url_of[match.group(1).casefold()]
            if url in self.linked:
                continue
            self.linked.add(url)
            if links:
                links[-1].tail = text[start : match.start()]
            else:
                before = text[: match.start()]
            link = etree.Element("a", {"href": url, "class": f"{self.own}glossary-link"})
            link.text = match.group(1)
            links.append(link)
            start = match.end()
        if not links:
            return text, []
        links[-1].tail = text[start:]
        return before, links


class _OwnIdsAndFootnotes(Treeprocessor):
    """Mark the ids and the footnote classes the renderer wrote as ours (the prefix), so
    the sanitiser can tell them from the same ids and classes written by hand."""

    def __init__(self, md: markdown.Markdown, own_prefix: str):
        super().__init__(md)
        self.own = own_prefix

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.get("id"):
                element.set("id", self.own + element.get("id"))
            classes = (element.get("class") or "").split()
            if any(name in FOOTNOTE_CLASSES for name in classes):
                marked = [self.own + n if n in FOOTNOTE_CLASSES else n for n in classes]
                element.set("class", " ".join(marked))


def sanitize(html: str, own_prefix: str | None = None) -> str:
    # The page title is the only <h1>: a heading level 1 in the body becomes level 2.
    html = _H1.sub(r"<\1h2\2>", html)

    def ours(name: str) -> bool:
        return bool(own_prefix) and name.startswith(own_prefix)

    def keep_own(tag: str, attribute: str, value: str) -> str | None:
        """Classes and ids only if the renderer wrote them (see the module's doc)."""
        if attribute == "id":
            return value if ours(value) else None
        if attribute != "class":
            return value
        kept = [name for name in value.split() if ours(name)]
        return " ".join(kept) or None

    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=keep_own,
        link_rel=None,
        strip_comments=True,
    )
    return clean.replace(own_prefix, "") if own_prefix else clean


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
