"""Reading-level statistics for article bodies.

One definition, used by ``content_report``, the admin change page and the tests,
so staff and CI always agree on an article's grade.
"""

import re
from dataclasses import dataclass

import markdown
import textstat

WORDS_PER_MINUTE = 200
MAX_GRADE = 8.0
MIN_WORDS = 400
MAX_WORDS = 1500

_TAG = re.compile(r"<[^>]+>")
# A citation marker, [^key]: not words a reader reads.
_CITATION = re.compile(r"\[\^[^\]\s]+\]")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|dt|dd|blockquote|div)>", re.IGNORECASE)


@dataclass(frozen=True)
class ReadingStats:
    words: int
    grade: float
    minutes: int


def plain_text(markdown_text: str) -> str:
    """The words a reader sees, without Markdown or HTML syntax.

    Block endings become full stops when a block has none (headings, list items, a care
    card's heading), so that a heading is not glued to the next sentence and inflates the
    grade. Citation markers are left out.
    """
    html = markdown.markdown(
        _CITATION.sub("", markdown_text), extensions=["tables", "footnotes", "admonition"]
    )
    html = _BLOCK_END.sub(lambda m: ".\n", html)
    text = _TAG.sub(" ", html)
    text = re.sub(r"([.!?:])\s*\.\n", r"\1\n", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def reading_stats(markdown_text: str) -> ReadingStats:
    text = plain_text(markdown_text)
    words = len(re.findall(r"[A-Za-z0-9’']+", text))
    grade = round(textstat.flesch_kincaid_grade(text), 1) if words else 0.0
    minutes = max(1, round(words / WORDS_PER_MINUTE)) if words else 0
    return ReadingStats(words=words, grade=grade, minutes=minutes)


@dataclass(frozen=True)
class ReportRow:
    slug: str
    stats: ReadingStats
    references: int  # sources cited in the text
    reviewed_on: object
    next_review_due: object
    flags: tuple[str, ...]


def report_row(article, today) -> ReportRow:
    """One line of the content report: an article's numbers and what needs attention."""
    stats = article.reading_stats()
    references = len(article.cited_keys)
    flags = []
    if stats.grade > MAX_GRADE:
        flags.append(f"reading grade over {MAX_GRADE:g}")
    if stats.words < MIN_WORDS:
        flags.append(f"under {MIN_WORDS} words")
    if stats.words > MAX_WORDS:
        flags.append(f"over {MAX_WORDS} words")
    if references == 0:
        flags.append("no references")
    if not getattr(article, "reviewed_hash", ""):
        flags.append("never reviewed")
    elif not article.review_is_current:
        flags.append("changed since its review")
    if article.next_review_due and article.next_review_due < today:
        flags.append("review overdue")
    return ReportRow(
        slug=article.slug,
        stats=stats,
        references=references,
        reviewed_on=article.reviewed_on,
        next_review_due=article.next_review_due,
        flags=tuple(flags),
    )
