"""Two versions of an article side by side, word by word, in plain words.

Used by the review screen (live text against a change waiting for review) and by
History › Compare (any two saved versions). Every field that differs is shown, each
under its everyday name ("Web address", not "slug"), with removed words struck through
on the left and added words marked on the right. Long text is compared paragraph by
paragraph, and unchanged paragraphs are folded away with a count.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from clinic.models import Clinician

from .models import REVIEWED_FIELDS, Status, Topic, article_path

# Every field a reader or a reviewer cares about, in the order the screen shows them.
COMPARED_FIELDS = (
    *REVIEWED_FIELDS,
    "slug",
    "topic",
    "order",
    "status",
    "publish_at",
    "author",
    "reviewer",
    "reviewed_on",
    "next_review_due",
)
LABELS = {
    "title": "Title",
    "summary": "Summary",
    "body": "Text",
    "references": "References",
    "slug": "Web address",
    "topic": "Topic",
    "order": "Position in the reading order",
    "status": "Status",
    "publish_at": "Shown on the site from",
    "author": "Written by",
    "reviewer": "Medically reviewed by",
    "reviewed_on": "Reviewed on",
    "next_review_due": "Next review due",
    # FAQ answers, glossary entries and pages (a change to any of them waits for review).
    "question": "Question",
    "answer": "Answer",
    "term": "Term",
    "also": "Other forms",
    "definition": "Definition",
}
# Text a model works out from its stored data, compared as text: the triage data's
# translation, one paragraph per level heading or symptom (articles/models/
# translation_kinds.py).
WORKED_OUT = {"levels": "Level headings", "symptoms": "Symptoms"}
# Shown paragraph by paragraph, word by word.
LONG_FIELDS = {"body", "references", "answer", "definition", "also", *WORKED_OUT}
# Short text, word by word; every other field is one value replaced by another.
WORDED_FIELDS = {"title", "summary"}
DATE_STYLE = "F j, Y"
DATETIME_STYLE = "F j, Y, g:i a"

_TOKEN = re.compile(r"\s+|\S+")


@dataclass
class Row:
    before: SafeString
    after: SafeString
    folded: int = 0  # a row standing for this many unchanged paragraphs


@dataclass
class FieldDifference:
    name: str
    label: str
    rows: list[Row] = field(default_factory=list)


def plain_value(source, name: str, article: bool = True) -> str:
    """A field's value as a person reads it (`article`: of an article or a revision of one,
    whose slug is read as its address)."""
    if name in ("author", "reviewer"):
        clinician_id = getattr(source, f"{name}_id", None)
        if not clinician_id:
            return "Not set"
        person = Clinician.objects.filter(pk=clinician_id).first()
        return str(person) if person else "A clinician who has since been removed"
    value = getattr(source, name, None)
    if name == "slug" and article:
        return article_path(value) if value else ""
    if name == "topic":
        return dict(Topic.choices).get(value, value or "")
    if name == "status":
        return dict(Status.choices).get(value, value or "")
    if name == "publish_at":
        return date_format(timezone.localtime(value), DATETIME_STYLE) if value else "Not set"
    if name in ("reviewed_on", "next_review_due"):
        return date_format(value, DATE_STYLE) if value else "Not set"
    if name in WORKED_OUT:
        return value or ""
    choices = getattr(source._meta.get_field(name), "flatchoices", None)
    if choices:  # e.g. a symptom's level: where it sends a patient, in words
        return str(dict(choices).get(value, value or ""))
    return "" if value is None else str(value).replace("\r\n", "\n")


def words(text: str) -> list[str]:
    """Words (with the punctuation they carry) and the spaces between them."""
    return _TOKEN.findall(text)


def segments(before: str, after: str) -> list[tuple[bool, str, str]]:
    """(same?, old text, new text) runs. A change interrupted only by a space reads as one
    change ("<del>First line</del>", not "<del>First</del> <del>line</del>")."""
    old, new = words(before), words(after)
    runs: list[list] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        same = op == "equal"
        a, b = "".join(old[i1:i2]), "".join(new[j1:j2])
        if same and not a.strip() and runs and not runs[-1][0]:
            same = False  # a bare space between two changes joins them
        if runs and runs[-1][0] == same:
            runs[-1][1] += a
            runs[-1][2] += b
        else:
            runs.append([same, a, b])
    return [(same, a, b) for same, a, b in runs]


def marked(text: str, tag: str) -> SafeString:
    """text with its words (not its surrounding spaces) inside <tag>."""
    stripped = text.strip()
    if not stripped:
        return conditional_escape(text)
    start = text.index(stripped[0])
    end = start + len(stripped)
    return format_html(
        "{}<{}>{}</{}>{}", text[:start], mark_safe(tag), stripped, mark_safe(tag), text[end:]
    )


def word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML: removed words in <del> on the left, added in <ins> on the right."""
    left, right = [], []
    for same, a, b in segments(before, after):
        if same:
            left.append(conditional_escape(a))
            right.append(conditional_escape(b))
        else:
            left.append(marked(a, "del"))
            right.append(marked(b, "ins"))
    return mark_safe("".join(left)), mark_safe("".join(right))


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


def long_text_rows(before: str, after: str) -> list[Row]:
    """Paragraph pairs: changed ones word by word, runs of unchanged ones folded."""
    old, new = paragraphs(before), paragraphs(after)
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.append(Row(mark_safe(""), mark_safe(""), folded=i2 - i1))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for index in range(max(len(olds), len(news))):
            a = olds[index] if index < len(olds) else ""
            b = news[index] if index < len(news) else ""
            rows.append(Row(*word_diff(a, b)))
    return rows


def differences(older, newer, fields=COMPARED_FIELDS) -> list[FieldDifference]:
    """Each compared field whose value differs between two versions of an article (or,
    given its `fields`, of other content)."""
    found = []
    article = fields is COMPARED_FIELDS
    for name in fields:
        before, after = plain_value(older, name, article), plain_value(newer, name, article)
        if before.strip() == after.strip():
            continue
        difference = FieldDifference(name=name, label=label(newer, name, article))
        if name in LONG_FIELDS:
            difference.rows = long_text_rows(before, after)
        elif name in WORDED_FIELDS:
            difference.rows = [Row(*word_diff(before, after))]
        else:  # a choice, a date, a person, an address: one value replaced by another
            difference.rows = [Row(marked(before, "del"), marked(after, "ins"))]
        found.append(difference)
    return found


def label(item, name: str, article: bool = True) -> str:
    """A field's everyday name: an article's from LABELS, other content's from its model
    (an FAQ entry's "order" is its place on the FAQ page, not in the reading order)."""
    if article:
        return LABELS[name]
    if name in WORKED_OUT:
        return WORKED_OUT[name]
    return str(item._meta.get_field(name).verbose_name).capitalize()


def changed_labels(older, newer, fields=COMPARED_FIELDS) -> list[str]:
    """The everyday names of the fields that differ (for the History list)."""
    article = fields is COMPARED_FIELDS
    return [
        label(newer, name, article)
        for name in fields
        if plain_value(older, name, article).strip() != plain_value(newer, name, article).strip()
    ]
