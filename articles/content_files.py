"""Reading and writing the Markdown files in content/.

An article file is YAML front matter between two `---` lines, then the Markdown body.
The FAQ is one file, content/faq.md: each `## ` heading is a question and the text
under it, up to the next `## `, is its answer.

Parsing checks everything and raises ContentError naming the file and the problem,
so import_content can refuse a broken set before it writes anything.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.text import slugify

from .citations import body_problems
from .models import Status, Topic, one_year_after

ARTICLE_FIELDS = {
    "title", "slug", "summary", "topic", "order", "status", "author", "reviewer",
    "reviewed_on", "next_review_due",
}  # fmt: skip
GLOSSARY_FIELDS = {"term", "slug", "also", "definition"}
SUMMARY_MAX = 160
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)
_QUESTION = re.compile(r"^## +(.+?)\s*#*\s*$", re.MULTILINE)


class ContentError(Exception):
    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass
class FAQItem:
    question: str
    answer: str
    order: int

    def state(self) -> dict:
        return {"question": self.question, "answer": self.answer, "order": self.order}


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(path, "the file must start with front matter between two '---' lines.")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise ContentError(path, f"the front matter is not valid YAML{where}.") from None
    if not isinstance(meta, dict):
        raise ContentError(path, "the front matter must be a list of 'name: value' lines.")
    return meta, match.group(2).strip()


def _optional_date(path: Path, meta: dict, name: str) -> str | None:
    value = meta.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ContentError(path, f"{name} must be a date like 2025-01-31, not {value!r}.") from None


def _optional_name(path: Path, meta: dict, name: str) -> str | None:
    value = meta.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ContentError(path, f"{name} must be a clinician's name.")
    return value.strip()


def parse_article(path: Path) -> dict:
    """Return the article's state (the same shape as Article.content_state())."""
    meta, body = split_front_matter(path, path.read_text(encoding="utf-8"))
    if "references" in meta:
        raise ContentError(
            path,
            "'references:' is no longer used. Cite each source in the text, right after "
            "its claim, as [^key] with its key from content/references.yaml, and remove "
            "the 'references:' list.",
        )
    unknown = sorted(set(meta) - ARTICLE_FIELDS)
    if unknown:
        raise ContentError(path, f"unknown front matter field(s): {', '.join(unknown)}.")

    title = str(meta.get("title") or "").strip()
    if not title:
        raise ContentError(path, "the front matter has no title.")
    slug = str(meta.get("slug") or slugify(title)).strip()
    if not _SLUG.match(slug):
        raise ContentError(path, f"the slug {slug!r} may only use a-z, 0-9 and hyphens.")
    summary = " ".join(str(meta.get("summary") or "").split())
    if not summary:
        raise ContentError(path, "the front matter has no summary.")
    if len(summary) > SUMMARY_MAX:
        raise ContentError(
            path, f"the summary is {len(summary)} characters; at most {SUMMARY_MAX}."
        )
    topic = meta.get("topic")
    if topic not in Topic.values:
        raise ContentError(path, f"unknown topic {topic!r}; use one of: {', '.join(Topic.values)}.")
    order = meta.get("order", 100)
    if not isinstance(order, int) or order < 0:
        raise ContentError(path, "order must be a whole number, 0 or more.")
    status = meta.get("status", Status.PUBLISHED)
    if status not in Status.values:
        raise ContentError(path, f"status must be one of: {', '.join(Status.values)}.")
    if not body:
        raise ContentError(path, "the article has no body text after the front matter.")
    problems = body_problems(body)
    if problems:
        raise ContentError(path, " ".join(problems))

    reviewed_on = _optional_date(path, meta, "reviewed_on")
    next_review_due = _optional_date(path, meta, "next_review_due")
    if reviewed_on and not next_review_due:
        # The same default the model applies on save, so an unchanged file compares equal.
        next_review_due = one_year_after(datetime.date.fromisoformat(reviewed_on)).isoformat()

    return {
        "title": title,
        "slug": slug,
        "summary": summary,
        "topic": topic,
        "order": order,
        "status": status,
        "author": _optional_name(path, meta, "author"),
        "reviewer": _optional_name(path, meta, "reviewer"),
        "reviewed_on": reviewed_on,
        "next_review_due": next_review_due,
        "body": body,
    }


def parse_article_dir(folder: Path) -> dict[Path, dict]:
    """Every article in folder, checked as a set (no two files with one slug)."""
    articles: dict[Path, dict] = {}
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        state = parse_article(path)
        if state["slug"] in seen:
            raise ContentError(
                path, f"the slug {state['slug']!r} is already used by {seen[state['slug']].name}."
            )
        seen[state["slug"]] = path
        articles[path] = state
    return articles


def parse_faq(path: Path) -> list[FAQItem]:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("---"):
        _, text = split_front_matter(path, text)
    parts = _QUESTION.split(text)
    if parts[0].strip():
        raise ContentError(
            path, "text before the first '## ' question; every answer needs a question."
        )
    items: list[FAQItem] = []
    seen: set[str] = set()
    for position, index in enumerate(range(1, len(parts), 2), start=1):
        question, answer = parts[index].strip(), parts[index + 1].strip()
        if not answer:
            raise ContentError(path, f"the question {question!r} has no answer.")
        if question in seen:
            raise ContentError(path, f"the question {question!r} appears twice.")
        seen.add(question)
        items.append(FAQItem(question=question, answer=answer, order=position))
    return items


def article_file_text(state: dict) -> str:
    meta = {
        "title": state["title"],
        "slug": state["slug"],
        "summary": state["summary"],
        "topic": state["topic"],
        "order": state["order"],
        "status": state["status"],
        "author": state["author"],
        "reviewer": state["reviewer"],
        "reviewed_on": _as_date(state["reviewed_on"]),
        "next_review_due": _as_date(state["next_review_due"]),
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{state['body'].strip()}\n"


def faq_file_text(items: list[FAQItem]) -> str:
    blocks = [f"## {item.question}\n\n{item.answer.strip()}\n" for item in items]
    return "---\ntitle: Frequently asked questions\n---\n\n" + "\n".join(blocks)


def _as_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def parse_page(path: Path) -> dict:
    """A page about the clinic (content/pages/*.md): title, slug, summary and body."""
    meta, body = split_front_matter(path, path.read_text(encoding="utf-8"))
    unknown = sorted(set(meta) - {"title", "slug", "summary"})
    if unknown:
        raise ContentError(path, f"unknown front matter field(s): {', '.join(unknown)}.")
    title = str(meta.get("title") or "").strip()
    slug = str(meta.get("slug") or "").strip()
    summary = " ".join(str(meta.get("summary") or "").split())
    if not title:
        raise ContentError(path, "the front matter has no title.")
    if not _SLUG.match(slug):
        raise ContentError(path, f"the slug {slug!r} may only use a-z, 0-9 and hyphens.")
    if not summary or len(summary) > SUMMARY_MAX:
        raise ContentError(path, f"the summary must be 1 to {SUMMARY_MAX} characters.")
    if not body:
        raise ContentError(path, "the page has no body text after the front matter.")
    return {"title": title, "slug": slug, "summary": summary, "body": body}


def parse_page_dir(folder: Path) -> dict[Path, dict]:
    return {path: parse_page(path) for path in sorted(folder.glob("*.md"))}


def page_file_text(state: dict) -> str:
    meta = {"title": state["title"], "slug": state["slug"], "summary": state["summary"]}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{state['body'].strip()}\n"


def parse_glossary(path: Path) -> list[dict]:
    """content/glossary.yaml: a list of {term, slug, also: [...], definition (Markdown)}."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ContentError(path, f"the glossary is not valid YAML{where}.") from None
    if not isinstance(entries, list):
        raise ContentError(path, "the glossary must be a list of entries ('- term: ...').")
    states: list[dict] = []
    slugs: dict[str, str] = {}
    forms: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ContentError(path, f"entry {number} must be 'term:', 'slug:', 'definition:'.")
        unknown = sorted(set(entry) - GLOSSARY_FIELDS)
        if unknown:
            raise ContentError(path, f"entry {number}: unknown field(s): {', '.join(unknown)}.")
        term = " ".join(str(entry.get("term") or "").split())
        if not term:
            raise ContentError(path, f"entry {number} has no term.")
        slug = str(entry.get("slug") or slugify(term)).strip()
        if not _SLUG.match(slug):
            raise ContentError(
                path, f"{term!r}: the slug {slug!r} may only use a-z, 0-9 and hyphens."
            )
        also = entry.get("also") or []
        if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
            raise ContentError(path, f"{term!r}: 'also' must be a list of words, like [plural].")
        also = [" ".join(a.split()) for a in also]
        definition = str(entry.get("definition") or "").strip()
        if not definition:
            raise ContentError(path, f"{term!r} has no definition.")
        if slug in slugs:
            raise ContentError(
                path, f"{term!r}: the slug {slug!r} is already used by {slugs[slug]!r}."
            )
        slugs[slug] = term
        for form in [term, *also]:
            if form.casefold() in forms:
                raise ContentError(
                    path, f"{term!r}: {form!r} already links to {forms[form.casefold()]!r}."
                )
            forms[form.casefold()] = term
        states.append({"term": term, "slug": slug, "also": also, "definition": definition})
    return states


def glossary_file_text(states: list[dict]) -> str:
    entries = [
        {"term": s["term"], "slug": s["slug"], "also": s["also"], "definition": s["definition"]}
        for s in states
    ]
    body = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=88)
    return (
        "# Plain-language definitions of the terms the articles use, shown on /glossary/.\n"
        "# The first use of a term (or a form under 'also') in each article links to it.\n" + body
    )
