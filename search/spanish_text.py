"""Spanish words, as both databases' Spanish indexes and the Spanish search see them
(issue 28 item 5).

Words are folded first (lower case, no accents: text.fold), then stemmed by the Snowball
Spanish stemmer, the algorithm of PostgreSQL's `spanish` configuration, in Python. The
index holds these stems, not the words, on both databases: "nausea" finds "náusea",
"efectos secundarios" finds "efecto secundario", and SQLite (FTS5 has no Spanish stemmer)
and PostgreSQL (no `unaccent` extension needed) find exactly the same pages. Folding
before stemming is what a patient typing without accents needs: "medicacion",
"medicación" and "medicaciones" all become "medic"; a plural ending comes off before the
stemmer runs (`singular`), so "nausea" also finds "náuseas".

The English index and words (text.py) are untouched: a Spanish page is never in the
English index, nor an English page in the Spanish one.
"""

import re
import threading
from functools import lru_cache

import snowballstemmer

from .text import WORD, fold, key_terms, plain_text

# PostgreSQL's spanish.stop, the common part: words too common to say what a patient is
# looking for, folded as queries are ("él" is "el"). Never required to match.
STOPWORDS = frozenset(
    fold(
        "de la que el en y a los del se las por un para con no una su al lo como más pero "
        "sus le ya o este sí porque esta entre cuando muy sin sobre también me hasta hay "
        "donde quien desde todo nos durante todos uno les ni contra otros ese eso ante ellos "
        "e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho "
        "quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te "
        "ti tu tus ellas nosotras vosotros vosotras os mío mía míos mías tuyo tuya tuyos "
        "tuyas suyo suya suyos suyas nuestro nuestra nuestros nuestras esos esas estoy "
        "estás está estamos están es son soy eres somos fue era ser he ha han hemos "
        "tengo tiene tienen tener puedo puede pueden hacer hace cómo cuál cuáles cuánto "
        "cuántos dónde usted ustedes"
    ).split()
)

# The list of sources after the text: not words a patient searches for. Its heading is
# rendered in the language active when the translation is saved ("Referencias" under /es/).
_REFERENCES = re.compile(r'<h2 id="referenc(?:es|ias)">[^<]*</h2>.*', re.S)

_stemmer = snowballstemmer.stemmer("spanish")
# The stemmer keeps the word it works on in itself: one word at a time (threaded servers).
_stemmer_lock = threading.Lock()


@lru_cache(maxsize=50_000)  # the site's words and visitors' words: each stemmed once
def stem(folded_word: str) -> str:
    """The stem of a folded word (fold() it first), its plural ending taken off first."""
    with _stemmer_lock:
        return _stemmer.stemWord(singular(folded_word))


def singular(folded_word: str) -> str:
    """A plural's "-s" (after a or o) or "-es" (after a consonant) taken off: Snowball
    reads "-eas" as a verb ending ("nauseas" -> "naus", but "nausea" -> "nause") and keeps
    some plurals whole ("ansiedades"), so a patient's singular would miss the page's
    plural. Words in "-is" and "-us" are left ("dosis" is not "dos")."""
    if len(folded_word) > 4:
        if folded_word[-2:] in ("as", "os"):
            return folded_word[:-1]
        if folded_word[-2:] == "es" and folded_word[-3] not in "aeiou":
            return folded_word[:-2]
    return folded_word


def stems_of(text: str) -> list[str]:
    """Every word of the text as its stem, in order (stop words included: a quoted phrase
    is matched word by word)."""
    return [stem(word) for word in WORD.findall(fold(text))]


def stemmed(text: str) -> str:
    """The text as the Spanish indexes hold it: its stems, one space apart."""
    return " ".join(stems_of(text))


def translation_fields(translation) -> tuple[str, str, str]:
    """(title, summary and key terms, body text) of an article translation: weights A, B
    and C, as an English article's (text.article_fields). Fields only, never model methods:
    the migration that indexes existing translations passes its historical model."""
    html = _REFERENCES.sub("", translation.body_html or "")
    summary = f"{translation.summary} {key_terms(html)}".strip()
    return translation.title, summary, plain_text(html)


def faq_translation_fields(translation) -> tuple[str, str]:
    """(question, answer text) of an FAQ answer translation: weights B and C, as an English
    FAQ entry's (text.faq_fields). Fields only: a migration passes its historical model."""
    return translation.question, plain_text(translation.answer_html or "")
