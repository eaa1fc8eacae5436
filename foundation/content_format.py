"""The format content/ files share, articles and clinic pages alike: YAML front matter
between two `---` lines, then Markdown; slugs; the summary's length.

Parsing checks everything and raises ContentError naming the file and the problem, so
import_content can refuse a broken set before it writes anything.
"""

import re
from pathlib import Path

import yaml

# A summary is shown in lists and given to search engines, which cut longer ones.
SUMMARY_MAX_LENGTH = 160
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)


class ContentError(Exception):
    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class YAMLProblem(ValueError):
    """Text that is not valid YAML; the message says where ("(line 3)") when it can."""


def load_yaml(text: str, first_line: int = 1):
    """YAML text as Python data. `first_line` is the file line the text starts on, so the
    line named in an error is the one an editor sees."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + first_line})" if mark else ""
        raise YAMLProblem(where) from None


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(path, "the file must start with front matter between two '---' lines.")
    try:
        meta = load_yaml(match.group(1), first_line=2)
    except YAMLProblem as problem:
        raise ContentError(path, f"the front matter is not valid YAML{problem}.") from None
    if not isinstance(meta, dict):
        raise ContentError(path, "the front matter must be a list of 'name: value' lines.")
    return meta, match.group(2).strip()


def file_text(meta: dict, body: str) -> str:
    """A content/ file: the front matter, then the Markdown body."""
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{body.strip()}\n"
