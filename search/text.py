"""Words, as both databases' engines and the one ranking see them.

What a page's searchable text is (title; summary and key terms; body, for an article;
question and answer for an FAQ entry), how words are compared (lower case, no accents,
the Snowball stemmer PostgreSQL uses), and pg_trgm's measure of how alike two words look.
Shared by the index writes (index.py), the query (query.py), the ranking and the snippets.
Read fields only, never model methods: the migration that indexes existing pages passes its
historical models.
"""

import re
import threading
import unicodedata
from functools import lru_cache
from html import unescape

import snowballstemmer
from django.utils.html import strip_tags

# How many pages' counts and texts each worker keeps between saves (search/ranking.py,
# search/results.py): far above any clinic's page count, so in practice every page once.
PAGES_KEPT = 20_000

WORD = re.compile(r"[^\W_]+")

# PostgreSQL's english.stop: words too common to say what a patient is looking for. Used on
# both databases (FTS5 has no stop words of its own), so a query means the same on each.
STOPWORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what "
    "which who whom this that these those am is are was were be been being have has had "
    "having do does did doing a an the and but if or because as until while of at by for "
    "with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how "
    "all any both each few more most other some such no nor not only own same so than too "
    "very s t can will just don should now".split()
)

# A heading's or list item's end, unless it already ends a sentence (a question, say).
_HEADING_WITHOUT_STOP = re.compile(r"(?<![.?!:;,])(</h[1-6]>|</li>)")
# Section headings and bold lead-ins ("**Dissociation.** You may feel...") name what a part
# of an article is about: they count with the summary, above a passing mention in the text.
# Bold in the middle of a sentence ("**Do not drive** until...") is emphasis, not a name.
# A bold lead-in may hold a glossary link: <strong><a ...>Dissociation</a>.</strong>.
_KEY_TERMS = re.compile(
    r"<h2\b[^>]*>(.*?)</h2>|<strong>((?:(?!</strong>).)*?[.:?!])</strong>", re.S
)

# Citation numbers in the text, and the list of references after it: not words of the page
# a patient searches for (the sources' titles would otherwise match "depression" everywhere).
_CITATION_MARK = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_REFERENCES = re.compile(r'<h2 id="references">References</h2>.*', re.S)

# A bold lead-in names its part in a few words; a whole bold sentence ("**Do not drive or
# use machines until the next day.**") is a warning, not a name.
KEY_TERM_MAX_WORDS = 6

_stemmer = snowballstemmer.stemmer("english")  # the same Snowball stemmer as PostgreSQL's
# The stemmer keeps the word it works on in itself: one word at a time (threaded servers).
_stemmer_lock = threading.Lock()


def fold(text: str) -> str:
    """Lower case without accents: how both databases compare words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    return WORD.findall(fold(text))


@lru_cache(maxsize=100_000)  # the site's words and visitors' words: each stemmed once
def stem(word: str) -> str:
    with _stemmer_lock:
        return _stemmer.stemWord(word)


def plain_text(html: str) -> str:
    """Rendered HTML as text. A heading or list item ends with a full stop, so a snippet
    that runs from a heading into the text reads "...nasal spray. An esketamine visit..."
    rather than "...nasal spray An esketamine visit..."."""
    html = _REFERENCES.sub("", _CITATION_MARK.sub("", html))
    return unescape(strip_tags(_HEADING_WITHOUT_STOP.sub(r".\1", html)))


def key_terms(html: str) -> str:
    names = []
    for match in _KEY_TERMS.finditer(html):
        heading, lead_in = match.group(1), match.group(2)
        if heading is not None:
            names.append(plain_text(heading))
        elif len(plain_text(lead_in).split()) <= KEY_TERM_MAX_WORDS:
            names.append(plain_text(lead_in))
    return " ".join(names)


def article_fields(article) -> tuple[str, str, str]:
    """(title, summary and key terms, body text): weights A, B and C."""
    html = article.body_html or ""
    return article.title, f"{article.summary} {key_terms(html)}".strip(), plain_text(html)


def faq_fields(entry) -> tuple[str, str]:
    """(question, answer text): weights B and C."""
    return entry.question, plain_text(entry.answer_html or "")


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before it and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)
