"""Reading-level statistics for article bodies.

One definition, used by ``content_report``, the admin change page and the tests,
so staff and CI always agree on an article's grade.

The measure is the one the content guide sets (issue 23): textstat 0.7.8's
Flesch-Kincaid grade on the paragraphs and list items of the body as rendered,
each counted as ending a sentence. Headings (care-card headings included) and the
References list are not read as prose, so they are left out; breadcrumbs and the
contents list are drawn by the page template, not the body, so they never enter.

Spanish text (issue 28 item 6) is measured by textstat 0.7.8's Szigriszt-Pazos index on
the same blocks, read on the INFLESZ scale (Barrio-Cantalejo et al. 2008): 55 or more is
"normal" or easier. A care card is read as its symptoms' Spanish wording; its other
lines are interface text, not the translator's prose.
"""

import re
import statistics
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat
from textstat.textstat import textstatistics

from foundation import content_rendering
from foundation.markdown import render_markdown

WORDS_PER_MINUTE = 200
MAX_GRADE = 6.5  # every article (content guide: "at or below US grade 6.5")
MAX_MEDIAN_GRADE = 5.5  # the median article
MIN_WORDS = 400
MAX_WORDS = 1500

MIN_INFLESZ = 55  # every Spanish article: "normal" or easier
# INFLESZ bands, lowest score first: (from this score, band name).
INFLESZ_BANDS = (
    (float("-inf"), "very difficult (muy difícil)"),
    (40, "somewhat difficult (algo difícil)"),
    (55, "normal"),
    (65, "quite easy (bastante fácil)"),
    (80, "very easy (muy fácil)"),
)

# A citation marker, [^key]: not words a reader reads.
_CITATION = re.compile(r"\[\^[^\]\s]+\]")
_SENTENCE_END = (".", "!", "?")
_HEADING = re.compile(r"h[1-6]$")
# A `!!! when-to-get-help "..."` card: its heading line and its symptom keys.
_HELP_CARD = re.compile(r'^!!! when-to-get-help "[^"]*"\n((?:    - [a-z0-9-]+\n?)+)', re.MULTILINE)
_SPANISH_WORD = re.compile(r"[^\W\d_]+|\d+")

# textstat's module functions share one language setting for the whole process; the
# Spanish measure has its own instance, so the English grades never read Spanish rules.
# "es" is Pyphen's Spanish hyphenation dictionary, bundled with it (nothing downloaded).
_spanish_textstat = textstatistics()
_spanish_textstat.set_lang("es")


@dataclass(frozen=True)
class ReadingStats:
    words: int
    grade: float
    minutes: int


class _Blocks(HTMLParser):
    """Collects the text of each paragraph and list item, outside headings and the
    References list. A list inside a list item starts a new block, so an item's own
    words and its sub-items' words are counted once each, as separate sentences."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._open_blocks = 0  # p and li elements we are inside
        self._skip_tag = ""  # a heading or the References div whose text is left out
        self._skip_depth = 0  # how many of _skip_tag are open (a div holds divs)

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        self._current = []
        if text:
            self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if self._skip_depth:
            self._skip_depth += tag == self._skip_tag
            return
        classes = (dict(attrs).get("class") or "").split()
        if _HEADING.match(tag) or (tag == "div" and "footnote" in classes):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in {"p", "li", "ul", "ol"}:
            self.flush()
        if tag in {"p", "li"}:
            self._open_blocks += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            self._skip_depth -= tag == self._skip_tag
            return
        if tag in {"p", "li"}:
            self.flush()
            self._open_blocks = max(0, self._open_blocks - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and self._open_blocks:
            self._current.append(data)


def prose_blocks(html: str) -> list[str]:
    """The paragraphs and list items of rendered HTML, as plain text, in order."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


def plain_text(markdown_text: str) -> str:
    """The words a reader reads, one block per line, each ending a sentence.

    The text is rendered as the site renders an article (so a care card reads as it is
    shown, with its symptoms' own words); citation markers are left out.
    """
    # Through the registry of renderers: the article's own (Article.rendered) reads the
    # glossary and the triage data, and the models import this module.
    render = content_rendering.renderer_for("articles.article").render
    html = render(_CITATION.sub("", markdown_text or "")).html
    return "\n".join(
        block if block.endswith(_SENTENCE_END) else f"{block}." for block in prose_blocks(html)
    )


def reading_stats(markdown_text: str) -> ReadingStats:
    text = plain_text(markdown_text)
    words = len(re.findall(r"[A-Za-z0-9’']+", text))
    grade = round(textstat.flesch_kincaid_grade(text), 1) if words else 0.0
    minutes = max(1, round(words / WORDS_PER_MINUTE)) if words else 0
    return ReadingStats(words=words, grade=grade, minutes=minutes)


def _ended(block: str) -> str:
    return block if block.endswith(_SENTENCE_END) else f"{block}."


def spanish_plain_text(markdown_text: str, symptoms: dict[str, str]) -> str:
    """The words a Spanish reader reads, one block per line, each ending a sentence: as
    plain_text, with each care card read as a list of its symptoms' Spanish wording
    (`symptoms`: key -> text; a key without one is left out)."""
    body = _CITATION.sub("", markdown_text or "")
    body = _HELP_CARD.sub(
        lambda card: "".join(
            f"- {symptoms[key]}\n"
            for key in (line.strip()[2:] for line in card.group(1).splitlines())
            if key in symptoms
        ),
        body,
    )
    return "\n".join(_ended(block) for block in prose_blocks(render_markdown(body).html))


@dataclass(frozen=True)
class SpanishReadingStats:
    words: int
    inflesz: float  # Szigriszt-Pazos
    band: str


def inflesz_band(score: float) -> str:
    return [name for start, name in INFLESZ_BANDS if score >= start][-1]


def spanish_reading_stats(markdown_text: str, symptoms: dict[str, str]) -> SpanishReadingStats:
    text = spanish_plain_text(markdown_text, symptoms)
    words = len(_SPANISH_WORD.findall(text))
    score = round(_spanish_textstat.szigriszt_pazos(text), 1) if words else 0.0
    return SpanishReadingStats(words=words, inflesz=score, band=inflesz_band(score))


def median_grade(grades) -> float:
    return round(statistics.median(grades), 1) if grades else 0.0


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


@dataclass(frozen=True)
class SpanishReportRow:
    slug: str  # the English article's: the page is /es/articles/<slug>/
    stats: SpanishReadingStats
    flags: tuple[str, ...]


def spanish_report_row(translation, symptoms: dict[str, str]) -> SpanishReportRow:
    """One line of the content report's Spanish table: a translation's reading level
    and what needs attention."""
    stats = spanish_reading_stats(translation.body, symptoms)
    flags = []
    if stats.inflesz < MIN_INFLESZ:
        flags.append(f"INFLESZ under {MIN_INFLESZ}")
    if translation.is_stale:
        flags.append("English changed since translated")
    if not translation.review_is_current:
        flags.append("not reviewed")
    return SpanishReportRow(slug=translation.article.slug, stats=stats, flags=tuple(flags))
