"""The sources articles may cite (content/references.yaml) and the checks an article
body must pass before it is saved or imported.

The list of sources is one file in the project, each source once under a stable key:
articles cite by key (`[^anand2023]` right after the claim) and the page lists the full
citation. It stays a file, not something edited in the admin: adding a source is a
deliberate, reviewed change (only real, checkable sources; see the content guide).
"""

import difflib
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from clinic_site.content_format import YAMLProblem, load_yaml
from clinic_site.markdown import CARE_CARDS, REFERENCES_HEADING, Source, cited_keys

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
    """key -> Source, read from the file (again only when the file changes)."""
    path = path or sources_path()
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
        # TEMPORARY (content branch): the symptom-key card the triage branch renders and
        # checks; accepted here only so the rewritten content imports before that branch
        # lands. When merging, take the triage branch's version of this function.
        if kind not in CARE_CARDS and kind != "when-to-get-help":
            problems.append(
                f"“!!! {kind}” is not a kind of care card. Use !!! emergency, !!! urgent or "
                '!!! info, then the heading in quotes, e.g. !!! urgent "Call the clinic now if:"'
            )
    return problems
