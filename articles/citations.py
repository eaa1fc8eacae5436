"""The sources articles may cite and the checks an article body must pass before it is
saved or imported (citations and care cards).

Each source is stored once under a stable key (the CitedSource model, edited in the
admin under the clinical review rule, imported from and exported to
content/references.yaml): articles cite by key (`[^anand2023]` right after the claim)
and the page lists the full citation. Only real, checkable sources (content guide).
"""

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError

from foundation.care_cards import HELP_CARD
from foundation.content_format import YAMLProblem, load_yaml
from foundation.content_version import per_content_version
from foundation.markdown import REFERENCES_HEADING, Source, cited_keys

_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]]+)\]:", re.MULTILINE)
_ADMONITION = re.compile(r"^ {0,3}!!! *([A-Za-z0-9_-]*)", re.MULTILINE)
# A "when to get help" card: its first line, then the indented (or blank) lines under it.
_HELP_CARD = re.compile(
    rf"^ {{0,3}}!!! *{HELP_CARD}(?![\w-])[^\n]*(?:\n|\Z)"
    r"((?:(?:[ \t]*\n)|(?:(?: {4}|\t)[^\n]*\n?))*)",
    re.MULTILINE,
)
_LIST_ITEM = re.compile(r"^[-*+] +(\S+)$")
# Kinds of box an author may write: the symptom-key cards and information boxes.
CARD_KINDS = (HELP_CARD, "info")
# Free-text cards from before the triage data: refused, their wording could send a symptom
# to the wrong place.
OLD_CARD_KINDS = ("emergency", "urgent")
HELP_CARD_EXAMPLE = (
    f'!!! {HELP_CARD} "After a dose, get help if you notice:", then one symptom key per '
    "line, indented by 4 spaces: - slow-breathing"
)
_REFERENCES_HEADING = re.compile(
    rf"^ {{0,3}}#{{1,6}} *{REFERENCES_HEADING} *#* *$", re.MULTILINE | re.IGNORECASE
)
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.MULTILINE | re.DOTALL)


class SourcesFileError(ValueError):
    """content/references.yaml cannot be read or has a malformed entry."""


def sources_path() -> Path:
    return Path(settings.CITATION_SOURCES_FILE)


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """key -> Source: the sources stored in the database, or those in a file (`path`,
    for import_content; read again only when the file changes)."""
    if path is None:
        return stored_sources()
    return read_sources_file(path)


@per_content_version
def stored_sources() -> dict[str, Source]:
    """Every page and fingerprint reads these: once per worker after each save."""
    model = apps.get_model("articles", "CitedSource")
    return {source.key: source.as_source() for source in model.objects.all()}


def load_sources_quietly() -> dict[str, Source]:
    """The stored sources, or none if they cannot be read (a database being migrated)."""
    try:
        return stored_sources()
    except DatabaseError:
        return {}


def read_sources_file(path: Path) -> dict[str, Source]:
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        raise SourcesFileError(f"{path}: the list of sources is missing.") from None
    return _parse_sources(path, modified)


@lru_cache(maxsize=4)
def _parse_sources(path: Path, modified: int) -> dict[str, Source]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YAMLProblem as problem:
        raise SourcesFileError(f"{path}: not valid YAML{problem}.") from None
    if not isinstance(data, dict):
        raise SourcesFileError(f"{path}: expected 'key:' entries, each with a text.")
    sources = {}
    for key, entry in data.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise SourcesFileError(f"{path}: the key {key!r} may only use a-z, 0-9 and hyphens.")
        if not isinstance(entry, dict) or not str(entry.get("text") or "").strip():
            raise SourcesFileError(f"{path}: the source {key!r} has no text.")
        unknown = sorted(set(entry) - {"text", "url"})
        if unknown:
            raise SourcesFileError(f"{path}: the source {key!r} has unknown field(s): {unknown}.")
        url = str(entry.get("url") or "").strip()
        if url and not url.startswith(("https://", "http://")):
            raise SourcesFileError(f"{path}: the url of {key!r} must start with https://.")
        sources[key] = Source(text=" ".join(str(entry["text"]).split()), url=url)
    return sources


def body_problems(
    text: str,
    sources: dict[str, Source] | None = None,
    symptoms: Mapping[str, object] | None = None,
    old_cards_allowed: bool = False,
) -> list[str]:
    """What is wrong with an article body's citations and care cards, in plain words
    for the editor (an empty list when nothing is). `symptoms`: see care_card_problems."""
    try:
        sources = load_sources() if sources is None else sources
    except SourcesFileError as error:
        return [f"The list of sources cannot be read, so citations cannot be checked: {error}"]
    prose = _FENCED_CODE.sub("", text or "")  # where [^key] is shown, not cited
    problems = []
    for key in cited_keys(prose):
        if key not in sources:
            close = difflib.get_close_matches(key, sources, n=1)
            hint = f" Did you mean [^{close[0]}]?" if close else ""
            problems.append(
                f"[^{key}] is not in the list of sources (content/references.yaml).{hint} "
                "Check the spelling, or ask for the source to be added to the list."
            )
    for key in dict.fromkeys(_DEFINITION.findall(prose)):
        problems.append(
            f"Please remove the line starting “[^{key}]:”. Cite a source with its key only; "
            "the list under References is made from the list of sources."
        )
    if _REFERENCES_HEADING.search(prose):
        problems.append(
            "Please remove the heading “References”: it is added, with the list of the "
            "sources you cite, at the end of the page."
        )
    return problems + care_card_problems(text, symptoms, old_cards_allowed)


def uses_old_cards(text: str) -> bool:
    """Whether `text` has a free-text `!!! emergency` or `!!! urgent` card."""
    prose = _FENCED_CODE.sub("", text or "")
    return any(kind in OLD_CARD_KINDS for kind in _ADMONITION.findall(prose))


def card_keys(text: str) -> list[str]:
    """The symptom keys the "when to get help" cards in `text` list, each once."""
    prose = _FENCED_CODE.sub("", text or "")
    keys = []
    for lines in _HELP_CARD.findall(prose):
        for line in lines.splitlines():
            item = _LIST_ITEM.match(line.strip())
            if item:
                keys.append(item.group(1))
    return list(dict.fromkeys(keys))


def care_card_problems(
    text: str, symptoms: Mapping[str, object] | None = None, old_cards_allowed: bool = False
) -> list[str]:
    """What is wrong with the care cards in `text`, in plain words for the editor.

    `symptoms`: the triage symptom keys (key -> anything); by default those in the
    database (import_content passes the ones it is importing). `old_cards_allowed`: let
    `!!! emergency` / `!!! urgent` through (import_content, until content/ is converted)."""
    prose = _FENCED_CODE.sub("", text or "")
    problems = []
    for kind in dict.fromkeys(_ADMONITION.findall(prose)):
        if kind in OLD_CARD_KINDS:
            if old_cards_allowed:
                continue
            problems.append(
                f"“!!! {kind}” cards with their own text are no longer used, so that a symptom "
                "goes to the same place on every page. Use a when-to-get-help card with "
                f"symptom keys instead: {HELP_CARD_EXAMPLE}. The keys are under Formatting help."
            )
        elif kind not in CARD_KINDS:
            problems.append(
                f"“!!! {kind}” is not a kind of care card. Use !!! {HELP_CARD} with symptom keys "
                f'({HELP_CARD_EXAMPLE}), or !!! info "Good to know" for an information box.'
            )
    cards = _HELP_CARD.findall(prose)
    if not cards:
        return problems
    if symptoms is None:
        # By name, as stored_sources does: the models import these checks.
        model = apps.get_model("articles", "TriageSymptom")
        symptoms = dict.fromkeys(model.objects.values_list("key", flat=True))
    for lines in cards:
        entries = [line.strip() for line in lines.splitlines() if line.strip()]
        if not entries:
            problems.append(
                f"A “!!! {HELP_CARD}” card lists no symptoms. Under it, list one symptom key "
                "per line, indented by 4 spaces, e.g. - slow-breathing"
            )
        for entry in entries:
            item = _LIST_ITEM.match(entry)
            key = item.group(1) if item else None
            if key in symptoms:
                continue
            nearest = difflib.get_close_matches(key or entry, list(symptoms), n=3, cutoff=0.4)
            hint = f" The nearest keys are: {', '.join(nearest)}." if nearest else ""
            if key is None:
                problems.append(
                    f"In a “!!! {HELP_CARD}” card, “{entry}” is not a symptom key. A card lists "
                    "only keys, one per line, like “- slow-breathing”: the wording and where to "
                    f"go come from the list of symptoms.{hint}"
                )
            else:
                problems.append(
                    f"“{key}” is not a symptom key in the list of when to get help.{hint} "
                    "Check the spelling (all keys are under Formatting help), or ask for the "
                    "symptom to be added to the list."
                )
    return problems
