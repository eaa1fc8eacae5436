"""Reading and writing the clinic's own pages in content/pages/*.md (privacy notice,
accessibility statement, ...): front matter with title, slug and summary, then Markdown."""

from pathlib import Path

from foundation.content_format import (
    SLUG_PATTERN,
    SUMMARY_MAX_LENGTH,
    ContentError,
    file_text,
    split_front_matter,
)


def parse_page(path: Path) -> dict:
    """A page about the clinic: title, slug, summary and body."""
    meta, body = split_front_matter(path, path.read_text(encoding="utf-8"))
    unknown = sorted(set(meta) - {"title", "slug", "summary"})
    if unknown:
        raise ContentError(path, f"unknown front matter field(s): {', '.join(unknown)}.")
    title = str(meta.get("title") or "").strip()
    slug = str(meta.get("slug") or "").strip()
    summary = " ".join(str(meta.get("summary") or "").split())
    if not title:
        raise ContentError(path, "the front matter has no title.")
    if not SLUG_PATTERN.match(slug):
        raise ContentError(path, f"the slug {slug!r} may only use a-z, 0-9 and hyphens.")
    if not summary or len(summary) > SUMMARY_MAX_LENGTH:
        raise ContentError(path, f"the summary must be 1 to {SUMMARY_MAX_LENGTH} characters.")
    if not body:
        raise ContentError(path, "the page has no body text after the front matter.")
    return {"title": title, "slug": slug, "summary": summary, "body": body}


def parse_page_dir(folder: Path) -> dict[Path, dict]:
    return {path: parse_page(path) for path in sorted(folder.glob("*.md"))}


def page_file_text(state: dict) -> str:
    """What export_content writes for a page: what parse_page reads back unchanged."""
    meta = {"title": state["title"], "slug": state["slug"], "summary": state["summary"]}
    return file_text(meta, state["body"])
