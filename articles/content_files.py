"""Reading and writing the Markdown files in content/.

An article file is YAML front matter between two `---` lines, then the Markdown body.
The FAQ is one file, content/faq.md: each `## ` heading is a question and the text
under it, up to the next `## `, is its answer.

Parsing checks everything and raises ContentError naming the file and the problem,
so import_content can refuse a broken set before it writes anything. Clinic pages
(content/pages/) are read by clinic/content_files.py.
"""

import datetime
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.text import slugify

from foundation.content_format import (
    SLUG_PATTERN,
    SUMMARY_MAX_LENGTH,
    ContentError,
    YAMLProblem,
    file_text,
    load_yaml,
    split_front_matter,
)

from .citations import body_problems, care_card_problems
from .models import Status, Topic, TriageLevel, one_year_after

ARTICLE_FIELDS = {
    "title", "slug", "summary", "topic", "order", "status", "author", "reviewer",
    "reviewed_on", "next_review_due", "review_fingerprint", "updated",
}  # fmt: skip
# The fingerprint of the text a review covers (Article.reviewed_hash): 64 hex digits.
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
GLOSSARY_FIELDS = {"term", "slug", "also", "definition"}
_QUESTION = re.compile(r"^## +(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass
class FAQItem:
    question: str
    answer: str
    order: int

    def state(self) -> dict:
        return {"question": self.question, "answer": self.answer, "order": self.order}


def optional_date(path: Path, meta: dict, name: str) -> str | None:
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


def parse_article(path: Path, sources: dict | None = None, symptoms: dict | None = None) -> dict:
    """Return the article's state (the same shape as Article.content_state()). Citations are
    checked against `sources` (by default the stored ones), care cards against `symptoms`
    (triage keys, by default those in the database)."""
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
    if not SLUG_PATTERN.match(slug):
        raise ContentError(path, f"the slug {slug!r} may only use a-z, 0-9 and hyphens.")
    summary = " ".join(str(meta.get("summary") or "").split())
    if not summary:
        raise ContentError(path, "the front matter has no summary.")
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ContentError(
            path, f"the summary is {len(summary)} characters; at most {SUMMARY_MAX_LENGTH}."
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
    problems = body_problems(body, sources, symptoms=symptoms, old_cards_allowed=False)
    if problems:
        raise ContentError(path, " ".join(problems))

    # When the text last changed in substance: `updated` in the front matter, else the
    # date of the file's last commit (never the day it is imported).
    updated = optional_date(path, meta, "updated") or last_commit_date(path)
    reviewed_on = optional_date(path, meta, "reviewed_on")
    next_review_due = optional_date(path, meta, "next_review_due")
    if reviewed_on and not next_review_due:
        # The same default the model applies on save, so an unchanged file compares equal.
        next_review_due = one_year_after(datetime.date.fromisoformat(reviewed_on)).isoformat()
    review_fingerprint = meta.get("review_fingerprint") or None
    if review_fingerprint is not None and not _FINGERPRINT.match(str(review_fingerprint)):
        raise ContentError(
            path,
            "review_fingerprint must be the 64-character fingerprint export_content writes "
            "(or leave it out: the article then comes in as not reviewed).",
        )

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
        "review_fingerprint": review_fingerprint,
        "body": body,
        "updated": updated,
    }


def last_commit_date(path: Path) -> str | None:
    """The day of the last commit that touched the file, if it is in a git checkout."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    day = result.stdout.strip()
    try:
        return datetime.date.fromisoformat(day).isoformat() if result.returncode == 0 else None
    except ValueError:
        return None


def parse_article_dir(
    folder: Path, sources: dict | None = None, symptoms: dict | None = None
) -> dict[Path, dict]:
    """Every article in folder, checked as a set (no two files with one slug)."""
    articles: dict[Path, dict] = {}
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        state = parse_article(path, sources, symptoms)
        if state["slug"] in seen:
            raise ContentError(
                path, f"the slug {state['slug']!r} is already used by {seen[state['slug']].name}."
            )
        seen[state["slug"]] = path
        articles[path] = state
    return articles


SOURCES_HEADER = """\
# The sources the site may cite, each once, under a stable key.
# Articles cite a source where the claim is made, as a footnote marker: [^anand2023].
# The page then lists every cited source, numbered, under the heading "References".
# Add a source here only if it is real and checkable, with exactly this title, journal and year.
"""


def sources_file_text(states: list[dict]) -> str:
    """content/references.yaml from the stored sources (CitedSource.content_state())."""
    lines = [SOURCES_HEADER.rstrip("\n")]
    for state in states:
        # A JSON string is a YAML double-quoted scalar: any text survives the round trip.
        lines += [f"{state['key']}:", f"  text: {json.dumps(state['text'], ensure_ascii=False)}"]
        if state["url"]:
            lines.append(f"  url: {json.dumps(state['url'], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def parse_faq(path: Path, symptoms: dict | None = None) -> list[FAQItem]:
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
        problems = care_card_problems(answer, symptoms, False)
        if problems:
            raise ContentError(path, f"the answer to {question!r}: " + " ".join(problems))
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
        "reviewed_on": as_date(state["reviewed_on"]),
        "next_review_due": as_date(state["next_review_due"]),
        "updated": as_date(state.get("updated")),
    }
    if state.get("review_fingerprint"):
        # Only with a review: it says which text was reviewed (import_content checks it).
        meta["review_fingerprint"] = state["review_fingerprint"]
    return file_text(meta, state["body"])


def faq_file_text(items: list[FAQItem]) -> str:
    blocks = [f"## {item.question}\n\n{item.answer.strip()}\n" for item in items]
    return "---\ntitle: Frequently asked questions\n---\n\n" + "\n".join(blocks)


def as_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def parse_glossary(path: Path) -> list[dict]:
    """content/glossary.yaml: a list of {term, slug, also: [...], definition (Markdown)}."""
    try:
        entries = load_yaml(path.read_text(encoding="utf-8")) or []
    except YAMLProblem as problem:
        raise ContentError(path, f"the glossary is not valid YAML{problem}.") from None
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
        if not SLUG_PATTERN.match(slug):
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


TRIAGE_SYMPTOM_FIELDS = {"key", "level", "text"}
TRIAGE_LEVEL_FIELDS = {"key", "heading"}
TRIAGE_HEADER = """\
# When to get help: the one list of symptoms and where each one sends a patient.
#
# Every care card on the site names its symptoms by the keys below, and the page
# /when-to-get-help/ is built from this file, so a symptom reads the same and goes to the
# same place on every page. Changing a symptom's level here changes every card after
# `import_content` (or a save in the admin).
#
# The levels follow the content guide's "When to get help (triage)" section:
# - emergency: call 911 or go to the emergency room now
# - crisis: call or text 988 (the Suicide & Crisis Lifeline); mental-health crises only,
#   never a physical symptom
# - clinic_today: the clinic the same day (when it is closed: its after-hours line if it
#   has one, otherwise an urgent care centre or your own doctor; 911 if it gets worse)
# - soon: your own doctor or the clinic, soon (within a few days)
#
# Keys are lower case words joined by hyphens; `text` is how the symptom reads on every
# page, written to follow "Get help if you have..." or "...if the person has".
"""


def parse_triage(path: Path) -> list[dict]:
    """content/triage.yaml: `levels` (the four levels, in order, as the site defines them)
    and `symptoms`, each {key, level, text}, in the order they are listed. Refuses an
    unknown level, a duplicate key or a missing text, naming the entry."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except YAMLProblem as problem:
        raise ContentError(path, f"the triage list is not valid YAML{problem}.") from None
    if not isinstance(data, dict) or set(data) != {"levels", "symptoms"}:
        raise ContentError(path, "the file must have two parts, 'levels:' and 'symptoms:'.")
    expected = [{"key": value, "heading": label} for value, label in TriageLevel.choices]
    if data["levels"] != expected:
        listed = "; ".join(f"{level['key']}: {level['heading']}" for level in expected)
        raise ContentError(
            path,
            "'levels:' must list the site's four levels, most urgent first, exactly as the "
            f"cards show them ({listed}). A level is changed in articles/models/triage.py "
            "(TriageLevel) and here together.",
        )
    symptoms = data["symptoms"]
    if not isinstance(symptoms, list):
        raise ContentError(path, "'symptoms:' must be a list of entries ('- key: ...').")
    states: list[dict] = []
    seen: set[str] = set()
    for number, entry in enumerate(symptoms, start=1):
        if not isinstance(entry, dict):
            raise ContentError(path, f"symptom {number} must be 'key:', 'level:', 'text:'.")
        key = str(entry.get("key") or "").strip()
        name = f"symptom {number} ({key})" if key else f"symptom {number}"
        unknown = sorted(set(entry) - TRIAGE_SYMPTOM_FIELDS)
        if unknown:
            raise ContentError(path, f"{name}: unknown field(s): {', '.join(unknown)}.")
        if not SLUG_PATTERN.match(key):
            raise ContentError(path, f"{name}: the key must be lower-case words joined by hyphens.")
        if key in seen:
            raise ContentError(path, f"{name}: the key {key!r} is listed twice.")
        seen.add(key)
        level = entry.get("level")
        if level not in TriageLevel.values:
            raise ContentError(
                path,
                f"{name}: unknown level {level!r}; use one of: {', '.join(TriageLevel.values)}.",
            )
        text = " ".join(str(entry.get("text") or "").split())
        if not text:
            raise ContentError(path, f"{name} has no text (how the symptom reads on the site).")
        states.append({"key": key, "level": level, "text": text})
    return states


# The comment above each level's symptoms in content/triage.yaml.
TRIAGE_GROUP_COMMENTS = {
    "emergency": "911 or the emergency room now",
    "crisis": "Call or text 988",
    "clinic_today": "The clinic, the same day",
    "soon": "Your own doctor or the clinic, soon",
}


def triage_file_text(states: list[dict]) -> str:
    """content/triage.yaml from symptom states, in the format parse_triage reads and laid
    out as the file is written by hand (symptoms grouped by level, most urgent first, in
    their order within it), so import then export gives back the same file."""
    rank = {level: position for position, level in enumerate(TriageLevel.values)}
    lines = [TRIAGE_HEADER, "levels:"]
    for value, label in TriageLevel.choices:
        lines += [f"  - key: {value}", f"    heading: {_quoted(label)}"]
    lines += ["", "symptoms:"]
    previous = None
    for state in sorted(states, key=lambda state: rank[state["level"]]):  # stable: keeps order
        if state["level"] != previous:
            if previous is not None:
                lines.append("")
            lines.append(f"  # {TRIAGE_GROUP_COMMENTS[state['level']]}")
            previous = state["level"]
        lines += [
            f"  - key: {state['key']}",
            f"    level: {state['level']}",
            f"    text: {_quoted(state['text'])}",
        ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)
