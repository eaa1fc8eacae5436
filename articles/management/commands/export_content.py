"""Write the when-to-get-help symptoms, sources, articles, FAQ, glossary and trust pages,
and the articles' translations (content/es/articles/), from the database back to content/,
in the format import_content reads, so that import, export, import changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.content_files import article_file_text, parse_article, sources_file_text
from articles.models import Article, CitedSource, FAQEntry, GlossaryTerm, TriageSymptom
from articles.translation_files import write_translations
from articles.translation_sets import (
    english_faq_text,
    english_glossary_text,
    english_triage_text,
    write_translation_sets,
)
from clinic.content_files import page_file_text, parse_page
from clinic.models import Page, PageTranslation


class Command(BaseCommand):
    help = "Write the articles, FAQ, glossary and trust pages from the database to content/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", type=Path, default=settings.BASE_DIR / "content")

    def handle(self, *args, dir: Path, **options) -> None:
        folder = dir / "articles"
        folder.mkdir(parents=True, exist_ok=True)
        existing = existing_files_by_slug(folder)
        articles = Article.objects.select_related("author", "reviewer")
        english_files = {}
        for article in articles:
            path = existing.get(article.slug) or folder / f"{article.order:02d}-{article.slug}.md"
            path.write_text(article_file_text(article.content_state()), encoding="utf-8")
            english_files[article.pk] = path
        faq = FAQEntry.objects.count()
        (dir / "faq.md").write_text(english_faq_text(), encoding="utf-8")
        glossary = GlossaryTerm.objects.count()
        (dir / "glossary.yaml").write_text(english_glossary_text(), encoding="utf-8")
        symptoms = TriageSymptom.objects.count()
        if symptoms:
            (dir / "triage.yaml").write_text(english_triage_text(), encoding="utf-8")
        sources = [source.content_state() for source in CitedSource.objects.order_by("pk")]
        (dir / "references.yaml").write_text(sources_file_text(sources), encoding="utf-8")
        page_folder = dir / "pages"
        page_folder.mkdir(parents=True, exist_ok=True)
        existing_pages = existing_files_by_slug(page_folder, parse_page)
        pages = list(Page.objects.all())
        page_files = {}
        for page in pages:
            path = existing_pages.get(page.slug) or page_folder / f"{page.slug}.md"
            path.write_text(page_file_text(page.content_state()), encoding="utf-8")
            page_files[page.pk] = path
        translations = write_translations(dir, english_files)
        translations += write_translations(dir, page_files, PageTranslation)
        translations += write_translation_sets(dir)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(articles)} articles, {translations} translations, "
                f"{faq} FAQ entries, "
                f"{glossary} glossary terms, {symptoms} when-to-get-help symptoms, "
                f"{len(sources)} sources and {len(pages)} pages to {dir}."
            )
        )


def existing_files_by_slug(folder: Path, parse=parse_article) -> dict[str, Path]:
    """Keep each article (or page) in the file it came from, even if its name no longer fits."""
    found = {}
    for path in folder.glob("*.md"):
        try:
            found[parse(path)["slug"]] = path
        except Exception:  # a broken file is simply not reused; export never fails on it
            continue
    return found
