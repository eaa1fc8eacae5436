"""Reading and writing the translated articles in content/es/articles/ (the format is
content/es/README.md's), for import_content and export_content.

A file pairs with its English article by the English `slug`. Parsing checks everything
and raises ContentError naming the file, so import_content refuses a broken set before
it writes anything, as it does for English files. The English article's `topic` and
`order` are in the file for readers; they are the English values, so the importer does
not keep them and export writes the English article's own.
"""

import datetime
import hashlib
import json
import re
from pathlib import Path

import yaml

from clinic.translation import known_english_text
from foundation.content_format import (
    SLUG_PATTERN,
    SUMMARY_MAX_LENGTH,
    ContentError,
    split_front_matter,
)

from .citations import body_problems
from .content_files import article_file_text, optional_date
from .models import TRANSLATED_FIELDS, Article, ArticleTranslation, Language, one_year_after

TRANSLATION_FIELDS = {
    "title", "slug", "summary", "topic", "order", "language", "translation_of",
    "english_sha256", "translated_on", "translator", "reviewed_on", "reviewer",
    "next_review_due", "review_fingerprint",
}  # fmt: skip
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Where the translations of articles live, under content/.
ARTICLES_FOLDER = Path("es") / "articles"
PAGES_FOLDER = Path("es") / "pages"
# translation_of names the English file from the repository root: content/articles/...
CONTENT_PREFIX = "content/"


def _text(path: Path, meta: dict, name: str) -> str:
    value = " ".join(str(meta.get(name) or "").split())
    if not value:
        raise ContentError(path, f"the front matter has no {name}.")
    return value


def _fingerprint(path: Path, meta: dict, name: str) -> str | None:
    value = meta.get(name) or None
    if value is not None and not _SHA256.match(str(value)):
        raise ContentError(path, f"{name} must be 64 lower-case hexadecimal digits (SHA-256).")
    return value


def common_fields(path: Path, meta: dict) -> dict:
    """What every content/es file says of its translation (the shape of
    TranslationRecord.common_state()), checked: its language, the English file and
    version it translates, its translator, and its review if any."""
    if meta.get("language") not in Language.values:
        raise ContentError(path, f"language must be one of: {', '.join(Language.values)}.")
    translation_of = str(meta.get("translation_of") or "")
    if not translation_of.startswith(CONTENT_PREFIX):
        raise ContentError(path, "translation_of must name the English file, content/….")
    english_sha256 = _fingerprint(path, meta, "english_sha256")
    if english_sha256 is None:
        raise ContentError(path, "english_sha256 is missing (sha256sum of the English file).")
    reviewed_on = optional_date(path, meta, "reviewed_on")
    next_review_due = optional_date(path, meta, "next_review_due")
    if reviewed_on and not next_review_due:  # the model's default, so the state compares equal
        next_review_due = one_year_after(datetime.date.fromisoformat(reviewed_on)).isoformat()
    reviewer = meta.get("reviewer")
    return {
        "language": meta["language"],
        "translation_of": translation_of,
        "english_sha256": english_sha256,
        "translated_on": optional_date(path, meta, "translated_on"),
        "translator": _text(path, meta, "translator"),
        "reviewer": str(reviewer).strip() if reviewer else None,
        "reviewed_on": reviewed_on,
        "next_review_due": next_review_due,
        "review_fingerprint": _fingerprint(path, meta, "review_fingerprint"),
    }


def parse_translation(
    path: Path, sources: dict | None = None, symptoms: dict | None = None
) -> dict:
    """The translation's state (the shape of ArticleTranslation.content_state()), checked:
    citations against `sources`, care cards against `symptoms`, as English bodies are."""
    meta, body = split_front_matter(path, path.read_text(encoding="utf-8"))
    unknown = sorted(set(meta) - TRANSLATION_FIELDS)
    if unknown:
        raise ContentError(path, f"unknown front matter field(s): {', '.join(unknown)}.")
    common = common_fields(path, meta)
    slug = str(meta.get("slug") or "").strip()
    if not SLUG_PATTERN.match(slug):
        raise ContentError(path, "slug must be the English article's slug (a-z, 0-9, hyphens).")
    summary = _text(path, meta, "summary")
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ContentError(
            path, f"the summary is {len(summary)} characters; at most {SUMMARY_MAX_LENGTH}."
        )
    if not body:
        raise ContentError(path, "the translation has no body text after the front matter.")
    problems = body_problems(body, sources, symptoms=symptoms, old_cards_allowed=False)
    if problems:
        raise ContentError(path, " ".join(problems))
    return {
        "title": _text(path, meta, "title"),
        "slug": slug,
        "summary": summary,
        **common,
        "body": body,
    }


def parse_translation_dir(
    folder: Path,
    english_slugs: set[str],
    sources: dict | None = None,
    symptoms: dict | None = None,
    noun: str = "article",
) -> dict[Path, dict]:
    """Every translation in the folder, each naming an English article in `english_slugs`
    (the files being imported and the articles already stored), one per slug and language."""
    found: dict[Path, dict] = {}
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.md")):
        state = parse_translation(path, sources, symptoms)
        if state["slug"] not in english_slugs:
            raise ContentError(
                path,
                f"its slug {state['slug']!r} names no English {noun} (the slug must be the "
                f"English {noun}'s, from content/{noun}s/).",
            )
        key = (state["slug"], state["language"])
        if key in seen:
            raise ContentError(path, f"{seen[key].name} already translates {state['slug']!r}.")
        seen[key] = path
        found[path] = state
    return found


def english_file_for(content_dir: Path, state: dict) -> Path:
    """The English file a translation names, in the folder being imported."""
    return content_dir / state["translation_of"].removeprefix(CONTENT_PREFIX)


def sha256_of(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def english_file_sha256(article: Article) -> str:
    """SHA-256 of the English article's file as export_content writes it now: what a
    translation brought up to date with the article records as `english_sha256`."""
    return hashlib.sha256(article_file_text(article.content_state()).encode()).hexdigest()


def translation_file_text(translation) -> str:
    """A content/es/articles (or content/es/pages) file, laid out as content/es/README.md's
    files are written (text values double-quoted, JSON escapes being YAML's), so import
    then export gives back the same bytes."""
    state, article = translation.content_state(), getattr(translation, "article", None)
    # A page's file gives its title and summary plain where YAML allows, as its English
    # file does; an article's always double-quoted.
    text = quoted if article is not None else plain
    lines = [
        f"title: {text(state['title'])}",
        f"slug: {state['slug']}",
        f"summary: {text(state['summary'])}",
    ]
    if article is not None:  # a page has no topic or place in the reading order
        lines += [f"topic: {article.topic}", f"order: {article.order}"]
    lines += [
        *common_lines(state),
    ]
    return "---\n" + "\n".join(lines) + f"\n---\n\n{state['body'].strip()}\n"


def common_lines(state: dict, review_fingerprint: bool = True) -> list[str]:
    """The lines every content/es file gives its translation, in README order: the review
    only when there is one (`review_fingerprint`: False in a file of several items, where
    each item gives its own)."""
    lines = [
        f"language: {state['language']}",
        f"translation_of: {state['translation_of']}",
        f"english_sha256: {state['english_sha256']}",
        f"translated_on: {state['translated_on'] or 'null'}",
        f"translator: {quoted(state['translator'])}",
        f"reviewed_on: {state['reviewed_on'] or 'null'}",
    ]
    if state["reviewed_on"] and state["reviewer"]:
        lines += [
            f"reviewer: {quoted(state['reviewer'])}",
            f"next_review_due: {state['next_review_due']}",
        ]
        if review_fingerprint:
            lines.append(f"review_fingerprint: {state['review_fingerprint']}")
    return lines


def plain(text: str, flow: bool = False) -> str:
    """A YAML scalar written plain when it reads back unchanged, else double-quoted."""
    wrapped = f"k: [{text}]" if flow else f"k: {text}"
    try:
        read = yaml.safe_load(wrapped)
    except yaml.YAMLError:
        read = None
    ok = read == {"k": [text] if flow else text}
    return text if ok and text.strip() == text else quoted(text)


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def translation_path(folder: Path, translation) -> Path:
    """Where export writes a translation: the file it came from, or a name from its slug."""
    english = translation.english_item()
    order = f"{english.order:02d}-" if isinstance(translation, ArticleTranslation) else ""
    return folder / (Path(translation.source_file).name or f"{order}{english.slug}.md")


def write_translations(content_dir: Path, english_files: dict[int, Path], model=None) -> int:
    """export_content's part: every article translation to content/es/articles/ (every
    page translation to content/es/pages/, given `model` PageTranslation).
    `english_files`: English item id -> the English file export wrote, named as
    translation_of by a translation made in the admin (one imported keeps its file's)."""
    model = model or ArticleTranslation
    folder = content_dir / (ARTICLES_FOLDER if model is ArticleTranslation else PAGES_FOLDER)
    translations = list(model.objects.select_related(model.ENGLISH, "reviewer"))
    if translations:
        folder.mkdir(parents=True, exist_ok=True)
    for translation in translations:
        english_id = getattr(translation, f"{model.ENGLISH}_id")
        if not translation.translation_of and english_id in english_files:
            english = english_files[english_id].relative_to(content_dir)
            translation.translation_of = f"{CONTENT_PREFIX}{english.as_posix()}"
        translation_path(folder, translation).write_text(
            translation_file_text(translation), encoding="utf-8"
        )
    return len(translations)


def english_text_of(
    english_file: dict | None, state: dict, content_dir: Path, stored: ArticleTranslation | None
) -> dict:
    """The English title, summary and body a translation was made from, or {} if unknown
    (clinic.translation.known_english_text says when it is known)."""
    text = None if english_file is None else {n: english_file[n] for n in TRANSLATED_FIELDS}
    matches = sha256_of(english_file_for(content_dir, state)) == state["english_sha256"]
    return known_english_text(text, matches, stored, state["english_sha256"], TRANSLATED_FIELDS)


def apply_translation_state(translation, state: dict, english_text: dict, reviewer, source_file):
    """Copy a file's state onto a translation of an article or a page (not saved).
    `english_text`: what english_text_of found ({}: the English it translates is unknown,
    so it is stale)."""
    for name in TRANSLATED_FIELDS:
        setattr(translation, name, state[name])
    return translation.apply_common_state(state, english_text, reviewer, source_file)
