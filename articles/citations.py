"""The sources articles may cite and the checks an article body must pass before it is
saved or imported.

Each source is stored once under a stable key (the CitedSource model, edited in the
admin under the clinical review rule, imported from and exported to
content/references.yaml): articles cite by key (`[^anand2023]` right after the claim)
and the page lists the full citation. Only real, checkable sources (content guide).
"""

import difflib
import re
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError

from clinic_site.content_format import YAMLProblem, load_yaml
from clinic_site.markdown import CARE_CARDS, REFERENCES_HEADING, Source, cited_keys
from clinic_site.page_cache import per_content_version

_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]]+)\]:", re.MULTILINE)
_ADMONITION = re.compile(r"^ {0,3}!!! *([A-Za-z0-9_-]*)", re.MULTILINE)
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


def body_problems(text: str, sources: dict[str, Source] | None = None) -> list[str]:
    """What is wrong with an article body's citations and care cards, in plain words
    for the editor (an empty list when nothing is)."""
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
    for kind in dict.fromkeys(_ADMONITION.findall(prose)):
        if kind not in CARE_CARDS:
            problems.append(
                f"“!!! {kind}” is not a kind of care card. Use !!! emergency, !!! urgent or "
                '!!! info, then the heading in quotes, e.g. !!! urgent "Call the clinic now if:"'
            )
    return problems
