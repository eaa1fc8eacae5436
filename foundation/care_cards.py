"""Care cards: the site's own markup for urgent advice (the NHS pattern), made while
Markdown is rendered (foundation/markdown.py registers `CareCards` with python-markdown).

`!!! when-to-get-help "Heading"` with symptom keys listed under it (`    - slow-breathing`)
becomes one card per triage level, most urgent first, each saying where to go and how,
from the triage data the caller passes (`Triage`: each key's level and wording, and the
clinic's phone numbers). `!!! info "..."` is an information box; `!!! emergency` and
`!!! urgent` cards with free text are still drawn for text saved before (the editor's
checks refuse them now). Classes carry the render's own prefix (see markdown.py), so a
card written by hand in HTML never passes for one of ours.
"""

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass

import markdown
from django.utils.translation import gettext
from markdown.treeprocessors import Treeprocessor

# Care card types: the Markdown name, and the label shown (in words, not colour alone).
CARE_CARDS = {"emergency": "Emergency", "urgent": "Urgent", "info": "Information"}
# The card that lists symptoms by key; each becomes a card of its triage level.
HELP_CARD = "when-to-get-help"
# The triage levels, most urgent first, with the short label each card shows in words.
TRIAGE_LEVELS = {
    "emergency": "Emergency",
    "crisis": "Crisis",
    "clinic_today": "Same day",
    "soon": "Soon",
}

_HEADING = re.compile(r"^h([1-6])$")
_BLOCKS = {"div", "h2", "h3", "h4", "h5", "h6", "p", "ul", "li"}


@dataclass(frozen=True)
class ClinicContacts:
    """Where the clinic-level cards send a patient, from the clinic profile."""

    phone: str
    phone_href: str
    after_hours_phone: str = ""
    after_hours_href: str = ""
    after_hours_note: str = ""
    # The note's language when it is not the page's (the clinic wrote no Spanish note
    # yet): the card marks it lang="en" rather than pass English off as Spanish.
    after_hours_note_lang: str = ""


@dataclass(frozen=True)
class Triage:
    """What `!!! when-to-get-help` cards need, passed in by the caller: each symptom key's
    level (a key of TRIAGE_LEVELS) and wording, each level's heading, the clinic's phone
    numbers, and the address of the full "When to get help" page ("" for no link)."""

    symptoms: Mapping[str, tuple[str, str]]  # key -> (level, text)
    headings: Mapping[str, str]  # level -> e.g. "Call 911 or go to the emergency room now"
    clinic: ClinicContacts
    help_url: str = ""
    # The language of the symptoms' words and the headings when it is not the page's
    # (a Spanish page whose Spanish triage data patients may not read yet shows the
    # English words, marked lang="en" rather than passed off as Spanish); "" if it is.
    words_lang: str = ""


class CareCards(Treeprocessor):
    """Admonitions of our kinds become care cards:

    <div class="care-card care-card--emergency">
      <h3 class="care-card__heading"><span class="care-card__label">Emergency<span
        class="visually-hidden">:</span></span> Call 911 if:</h3>
      <div class="care-card__body">...the card's text...</div>
    </div>

    `!!! when-to-get-help` lists symptom keys; with the caller's triage data it becomes a
    group (`div.help-cards`, under the author's heading if there is one) of such cards, one
    per level present, most urgent first: each lists its symptoms' wording from the data
    and says where to go, with click-to-call links, the closed-clinic route for the
    clinic's levels and a link to the full "When to get help" page.

    A card's heading is one level below the section the card is in (level 2 before any
    section heading), so the page's outline stays in order. Any other admonition loses
    its box and keeps its title as a bold line: the editor's checks ask for one of ours.
    """

    def __init__(self, md: markdown.Markdown, own_prefix: str, triage: Triage | None):
        super().__init__(md)
        self.own = own_prefix
        self.triage = triage

    def run(self, root: etree.Element) -> None:
        self.visit(root, level=1)

    def visit(self, parent: etree.Element, level: int) -> int:
        for child in list(parent):
            heading = _HEADING.match(child.tag) if isinstance(child.tag, str) else None
            if heading:
                level = int(heading.group(1))
            elif child.tag == "div" and "admonition" in (child.get("class") or "").split():
                self.make_card(child, min(level + 1, 6))
            else:
                self.visit(child, level)
        return level

    def make_card(self, box: etree.Element, heading_level: int) -> None:
        kinds = [name for name in box.get("class", "").split() if name != "admonition"]
        kind = kinds[0] if kinds else None
        title = next((p for p in box.findall("p") if p.get("class") == "admonition-title"), None)
        if kind == HELP_CARD and self.triage is not None:
            self.make_help_cards(box, title, heading_level)
            return
        if kind not in CARE_CARDS:
            box.attrib.pop("class", None)
            if title is not None:
                title.attrib.pop("class", None)
                strong = etree.Element("strong")
                strong.text, title.text = title.text, None
                title.insert(0, strong)
            return
        box.set("class", f"{self.own}care-card {self.own}care-card--{kind}")
        title_text = (title.text or "").strip() if title is not None else ""
        heading = self.card_heading(heading_level, gettext(CARE_CARDS[kind]), title_text)
        if title is not None:
            box.remove(title)
        box.insert(0, heading)
        body = etree.Element("div", {"class": f"{self.own}care-card__body"})
        for child in list(box)[1:]:
            box.remove(child)
            body.append(child)
        box.append(body)

    def card_heading(self, heading_level: int, label_text: str, text: str) -> etree.Element:
        heading = etree.Element(f"h{heading_level}", {"class": f"{self.own}care-card__heading"})
        label = etree.SubElement(heading, "span", {"class": f"{self.own}care-card__label"})
        label.text = label_text
        colon = etree.SubElement(label, "span", {"class": f"{self.own}visually-hidden"})
        colon.text = ":"
        label.tail = " " + text if text else None
        return heading

    def make_help_cards(
        self, box: etree.Element, title: etree.Element | None, heading_level: int
    ) -> None:
        """The group of cards, in place of the admonition. Only the listed keys are read
        (the editor's checks refuse anything else); a key the data does not have is left
        out here and named by those checks."""
        triage = self.triage
        keys = [
            (item.text or "").strip()
            for listing in box.iter()
            if listing.tag in ("ul", "ol")
            for item in listing.findall("li")
        ]
        by_level: dict[str, list[str]] = {level: [] for level in TRIAGE_LEVELS}
        for key in dict.fromkeys(keys):
            if key in triage.symptoms:
                level, text = triage.symptoms[key]
                by_level.setdefault(level, []).append(text)
        heading_text = (title.text or "").strip() if title is not None else ""
        if heading_text == HELP_CARD.capitalize():  # python-markdown's default title
            heading_text = ""
        for child in list(box):
            box.remove(child)
        box.attrib.clear()
        box.set("class", f"{self.own}help-cards")
        if heading_text:
            group_heading = etree.SubElement(
                box, f"h{heading_level}", {"class": f"{self.own}help-cards__heading"}
            )
            group_heading.text = heading_text
            heading_level = min(heading_level + 1, 6)
        for level, texts in by_level.items():
            if texts:
                box.append(self.help_card(level, texts, heading_level))
        # A line break after each block, as python-markdown writes its own: text taken from
        # the HTML (search, reading level) must not run "now.Crushing" together.
        box.text = "\n"
        for element in box.iter():
            if element is not box and element.tag in _BLOCKS and not element.tail:
                element.tail = "\n"

    def help_card(self, level: str, texts: list[str], heading_level: int) -> etree.Element:
        card = etree.Element("div", {"class": f"{self.own}care-card {self.own}care-card--{level}"})
        label = gettext(TRIAGE_LEVELS[level]) if level in TRIAGE_LEVELS else level
        heading = self.card_heading(heading_level, label, self.triage.headings.get(level, ""))
        words_lang = self.triage.words_lang
        if words_lang and len(heading) and heading[0].tail:
            marked = etree.SubElement(heading, "span", {"lang": words_lang})
            marked.text, heading[0].tail = heading[0].tail.lstrip(), " "
        card.append(heading)
        body = etree.SubElement(card, "div", {"class": f"{self.own}care-card__body"})
        listing = etree.SubElement(body, "ul")
        for text in texts:
            item = etree.SubElement(listing, "li", {"lang": words_lang} if words_lang else {})
            item.text = text
        for paragraph in care_card_actions(level, self.triage.clinic):
            body.append(paragraph)
        if self.triage.help_url:
            more = etree.SubElement(body, "p")
            link = etree.SubElement(more, "a", {"href": self.triage.help_url})
            link.text = gettext("When to get help: the full list")
        return card


def care_card_actions(level: str, clinic: ClinicContacts) -> list[etree.Element]:
    """What a card of this level tells the patient to do, with click-to-call links: one
    paragraph, so the closed-clinic route always sits with "call the clinic".

    In the language active while the body is rendered (a Spanish translation renders with
    Spanish active): each sentence is translated whole, its links named by {placeholders},
    so a translation may put them where its own word order wants them."""
    paragraph = etree.Element("p")
    if level == "emergency":
        _add(
            paragraph,
            *_sentence(
                gettext("{call_911} or go to the nearest emergency room now."),
                call_911=_link("tel:911", gettext("Call 911")),
            ),
        )
    elif level == "crisis":
        _add(
            paragraph,
            *_sentence(
                gettext(
                    "{call_988} or {text_988} (the 988 Suicide & Crisis Lifeline). It is free "
                    "and open day and night. If you are in danger right now, {call_911}."
                ),
                call_988=_link("tel:988", gettext("Call 988")),
                text_988=_link("sms:988", gettext("text 988")),
                call_911=_link("tel:911", gettext("call 911")),
            ),
        )
    else:
        if level == "clinic_today":
            sentence = gettext("Call the clinic today at {phone}. ")
        else:
            sentence = gettext(
                "Call the clinic at {phone}, or see your own doctor, in the next few days. "
            )
        _add(paragraph, *_sentence(sentence, phone=_link(clinic.phone_href, clinic.phone)))
        _add(paragraph, *closed_clinic_route(clinic))
    return [paragraph]


def closed_clinic_route(clinic: ClinicContacts) -> list:
    """ "When the clinic is closed, ..." as text and links: its after-hours line if it has
    one, else urgent care or the patient's own doctor; 911 if it gets worse. The same
    words as templates/includes/clinic_closed_route.html."""
    if clinic.after_hours_phone:
        parts: list = [
            *_sentence(
                gettext("When the clinic is closed, call our after-hours line at {phone}"),
                phone=_link(clinic.after_hours_href, clinic.after_hours_phone),
            ),
            *(_note(clinic) if clinic.after_hours_note else [". "]),
        ]
    else:
        parts = [
            gettext(
                "When the clinic is closed, go to an urgent care center or call your own doctor."
            )
            + " "
        ]
    return [
        *parts,
        *_sentence(
            gettext("If it gets worse, {call_911}."), call_911=_link("tel:911", gettext("call 911"))
        ),
    ]


def _note(clinic: ClinicContacts) -> list:
    """ " (what the after-hours line is for). ", marked with its language if not the page's."""
    if not clinic.after_hours_note_lang:
        return [f" ({clinic.after_hours_note}). "]
    note = etree.Element("span", {"lang": clinic.after_hours_note_lang})
    note.text = clinic.after_hours_note
    return [" (", note, "). "]


def _sentence(sentence: str, **links: etree.Element) -> list:
    """A (translated) sentence as text and links in its own order: each {name} in it is
    the link given for that name."""
    parts = []
    for piece in re.split(r"(\{\w+\})", sentence):
        name = piece[1:-1]
        if piece.startswith("{") and name in links:
            parts.append(links[name])
        elif piece:
            parts.append(piece)
    return parts


def _link(href: str, text: str) -> etree.Element:
    link = etree.Element("a", {"href": href})
    link.text = text
    return link


def _add(parent: etree.Element, *parts) -> None:
    """Append text and elements to `parent` in order (ElementTree keeps text between
    elements in each element's tail)."""
    for part in parts:
        if isinstance(part, str):
            children = list(parent)
            if children:
                children[-1].tail = (children[-1].tail or "") + part
            else:
                parent.text = (parent.text or "") + part
        else:
            parent.append(part)
