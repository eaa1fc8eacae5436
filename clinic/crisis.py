"""Does a message or a search suggest a crisis or thoughts of self-harm?

The phrases are not here: they live in content/crisis-phrases.yaml, written for a clinician
to read and sign off (what each group means is said there). This module reads that file
once and is the one function both the contact form (inquiries) and search use; it lives in
`clinic`, the app both may import. The contact form's script (static/js/crisis-check.js)
gets the same patterns from the page (`phrases_for_script`) and normalises text with the
same steps, so the card shown while typing and the one on the sent page always agree
(tests/test_crisis_inquiries.py runs the script under node against the same table).

How text is compared, in Python and in the script alike (`normalize`):
1. lower case; accents and tildes dropped, so Spanish typed without them still matches
   ("Daño", "dano" -> "dano"; "más" -> "mas"; "ü" -> "u"); apostrophes (straight or curly)
   dropped: "Don’t" -> "dont";
2. the end of a sentence (., !, ? or ; after a word and before a space, or a line break)
   becomes a mark "¶", so a phrase never matches across two sentences;
3. every run of other characters that are not letters, digits, @ or $ becomes one space;
4. letters spaced out one by one are joined: "k i l l" -> "kill";
5. in a word that has letters, a digit or sign standing for a letter is read as the letter:
   "su1cide" -> "suicide", "k1ll" -> "kill", "$elf" -> "self" (after step 1, so "dañ0" is
   a word of plain letters and digits too: "dano");
6. the file's short forms are written out: "wanna" -> "want to", "do not" -> "dont",
   "danio" -> "dano".
Phrases go through the same steps. A phrase matches as whole words, and the spaces between
its words are optional ("killmyself"). A crisis phrase counts unless all of it lies inside a
"not a crisis" phrase ("suicide prevention research").

A false alarm costs little (the person sees 988 and 911, staff see a flag); a missed crisis
costs a lot.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.checks import Error

from foundation.content_format import YAMLProblem, load_yaml

# Accents and tildes, once a letter is split from them (NFD): "ñ" is "n" + U+0303. Only the
# marks Latin letters take (the Combining Diacritical Marks block), so other scripts keep
# theirs; text typed already split ("n" + U+0303, as some keyboards send it) folds the same.
ACCENTS = re.compile(r"[\u0300-\u036f]+")
APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
# A sentence ends with . ! ? or ; after a word of two characters or more ("K.I.L.L. me" has
# none) and before a space, or at a line break. Whitespace is spelt out (not \s), so that
# Python and JavaScript read the same characters.
SENTENCE_END = re.compile(
    r"([^ \t\n\r\f\v\u00a0\u2028\u2029.!?;]{2})[.!?;]+(?=[ \t\n\r\f\v\u00a0\u2028\u2029])|\n"
)
SENTENCE_MARK = "\u00b6"  # ¶
NOT_KEPT = re.compile(r"(?:[^\w@$\u00b6]|_)+")
SPACED_LETTERS = re.compile(r" ((?:[^ \u00b6] ){2,}[^ \u00b6])(?= )")
ASCII_WORD = re.compile(r"[a-z0-9@$]+")
HAS_LETTER = re.compile(r"[a-z]")
LETTER_FOR = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                            "@": "a", "$": "s"})  # fmt: skip
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
GROUPS = ("crisis", "not_a_crisis")


class CrisisPhrasesError(ValueError):
    """content/crisis-phrases.yaml cannot be read or has a malformed entry."""


@dataclass(frozen=True)
class Phrases:
    crisis: tuple[re.Pattern, ...]
    not_a_crisis: tuple[re.Pattern, ...]
    same_as: tuple[tuple[re.Pattern, str], ...]
    groups: dict[str, dict[str, tuple[str, ...]]]  # "crisis" -> group name -> phrases
    # Every crisis pattern in one: most text holds none of them, and one search of the text
    # says so at once, instead of one per phrase (hundreds, in two languages).
    any_crisis: re.Pattern | None = None


def phrases_path() -> Path:
    return _phrases_path(str(settings.BASE_DIR))


@functools.lru_cache(maxsize=4)  # every search and message asks; building a Path costs more
def _phrases_path(base_dir: str) -> Path:
    return Path(base_dir) / "content" / "crisis-phrases.yaml"


# --- Normalising text ----------------------------------------------------------------------


def _as_letters(match: re.Match) -> str:
    word = match.group()
    if HAS_LETTER.search(word):
        return word.translate(LETTER_FOR)
    return word


def fold_accents(text: str) -> str:
    """Step 1's folding: "daño" -> "dano". Composed again afterwards (NFC), so letters that
    carry no Latin mark (Korean syllables, say) are left as they were."""
    return unicodedata.normalize("NFC", ACCENTS.sub("", unicodedata.normalize("NFD", text)))


def base_normalize(text: str) -> str:
    """Steps 1 to 5 of the module's docstring: a space at each end and between words."""
    text = APOSTROPHES.sub("", fold_accents(text.lower()))
    text = SENTENCE_END.sub(rf"\1 {SENTENCE_MARK} ", text + " ")
    text = " " + NOT_KEPT.sub(" ", text).strip() + " "
    text = SPACED_LETTERS.sub(lambda match: " " + match.group(1).replace(" ", ""), text)
    return ASCII_WORD.sub(_as_letters, text)


def normalize(text: str, phrases: Phrases | None = None) -> str:
    """All six steps: what phrases are looked for in."""
    phrases = phrases or load_phrases()
    text = base_normalize(text)
    for pattern, long_form in phrases.same_as:
        text = pattern.sub(long_form, text)
    return text


# --- Matching ------------------------------------------------------------------------------


def suggests_crisis(text: str) -> bool:
    """True when `text` contains a crisis phrase (see the module's docstring)."""
    phrases = load_phrases()
    normalized = normalize(text, phrases)
    if phrases.any_crisis is not None and not phrases.any_crisis.search(normalized):
        return False
    quiet = [m.span() for p in phrases.not_a_crisis for m in p.finditer(normalized)]
    for pattern in phrases.crisis:
        for match in pattern.finditer(normalized):
            start, end = match.span()
            if not any(q_start <= start and end <= q_end for q_start, q_end in quiet):
                return True
    return False


def phrases_for_script() -> dict:
    """What the form's script needs: the same patterns, as text (it normalises text itself
    with the same steps). Only letters, spaces, ?, (?:, |, ) and (?= ): the same meaning in
    Python's and JavaScript's regular expressions."""
    phrases = load_phrases()
    return {
        "crisis": [p.pattern for p in phrases.crisis],
        "notCrisis": [p.pattern for p in phrases.not_a_crisis],
        "sameAs": [[p.pattern, long_form] for p, long_form in phrases.same_as],
    }


def check_phrases_file(app_configs=None, **kwargs) -> list[Error]:
    """A system check (`manage.py check`, run on start-up and by migrate): a broken file
    must stop a deployment, never a patient's message."""
    try:
        load_phrases()
    except CrisisPhrasesError as error:
        return [Error(str(error), hint="Fix the file; see its first lines.", id="clinic.E101")]
    return []


# --- Reading the file ----------------------------------------------------------------------


def load_phrases() -> Phrases:
    """The phrases, read from the file once per process (a deployment restarts it)."""
    return _load(phrases_path())


@functools.cache
def _load(path: Path) -> Phrases:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except OSError:
        raise CrisisPhrasesError(f"{path}: the list of crisis phrases is missing.") from None
    except YAMLProblem as problem:
        raise CrisisPhrasesError(f"{path}: not valid YAML{problem}.") from None
    return parse_phrases(data, str(path))


def parse_phrases(data, where: str = "crisis phrases") -> Phrases:
    if not isinstance(data, dict):
        raise CrisisPhrasesError(f"{where}: expected crisis:, not_a_crisis:, words: and same_as:.")
    unknown = sorted(set(data) - {"sign_off", "crisis", "not_a_crisis", "words", "same_as"})
    if unknown:
        raise CrisisPhrasesError(f"{where}: unknown section(s): {', '.join(unknown)}.")

    same_as = []
    for short, long_form in (data.get("same_as") or {}).items():
        short, long_form = _words(str(short), where), _words(str(long_form), where)
        same_as.append((re.compile(f" {short}(?= )"), f" {long_form}"))
    partial = Phrases((), (), tuple(same_as), {})

    words = {}
    for name, choices in (data.get("words") or {}).items():
        if not isinstance(choices, list) or not choices:
            raise CrisisPhrasesError(f"{where}: words: {name!r} needs a list of words.")
        words[name] = [_loose(normalize(str(choice), partial), where) for choice in choices]

    groups, patterns = {}, {}
    for section in GROUPS:
        groups[section], patterns[section] = {}, []
        entries = data.get(section)
        if not isinstance(entries, dict) or not entries:
            raise CrisisPhrasesError(f"{where}: {section}: needs groups of phrases.")
        for group, phrases in entries.items():
            if not isinstance(phrases, list) or not phrases:
                raise CrisisPhrasesError(f"{where}: the group {group!r} has no phrases.")
            groups[section][group] = tuple(str(phrase) for phrase in phrases)
            for phrase in groups[section][group]:
                patterns[section].append(_pattern(phrase, words, partial, where))
    crisis = tuple(dict.fromkeys(patterns["crisis"]))
    return Phrases(
        crisis=tuple(re.compile(p) for p in crisis),
        not_a_crisis=tuple(re.compile(p) for p in dict.fromkeys(patterns["not_a_crisis"])),
        same_as=partial.same_as,
        groups=groups,
        any_crisis=re.compile("|".join(f"(?:{p})" for p in crisis)),
    )


def _words(text: str, where: str) -> str:
    """A short form or phrase piece normalised: letters and digits between single spaces."""
    words = base_normalize(text).strip()
    if not words or not all(ch.isalnum() or ch == " " for ch in words):
        raise CrisisPhrasesError(f"{where}: {text!r} must be words (letters and digits).")
    return words


def _loose(words: str, where: str) -> str:
    """Normalised words as a pattern in which the spaces between words are optional."""
    return " ?".join(_words(words, where).split(" "))


def _pattern(phrase: str, words: dict, partial: Phrases, where: str) -> str:
    """' kill ?myself(?= )' for "kill myself"; {name} becomes (?:one|of|its ?words)."""
    pattern, last = "", 0
    for match in PLACEHOLDER.finditer(phrase):
        pattern += _piece(phrase[last : match.start()], partial, where)
        choices = words.get(match.group(1))
        if choices is None:
            raise CrisisPhrasesError(f"{where}: {phrase!r} uses {{{match.group(1)}}}, not listed.")
        pattern += "(?:" + "|".join(choices) + ")"
        last = match.end()
    pattern += _piece(phrase[last:], partial, where)
    if not pattern.strip(" ?"):
        raise CrisisPhrasesError(f"{where}: an empty phrase.")
    return " " + pattern.strip(" ?") + "(?= )"


def _piece(text: str, partial: Phrases, where: str) -> str:
    """A literal part of a phrase: its words, with an optional space where a word meets
    a {placeholder} after a space ("lost {someone}") and none where it does not ("{someone}s")."""
    if not text.strip():
        return " ?" if text else ""
    core = _loose(normalize(text, partial), where)
    before = " ?" if text[0].isspace() else ""
    after = " ?" if text[-1].isspace() else ""
    return before + core + after
