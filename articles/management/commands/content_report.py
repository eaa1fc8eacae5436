"""A table of every article with its reading level, length, references and review dates,
flagging what needs attention, then one of every Spanish translation with its reading
level on the INFLESZ scale. Staff run it; the tests use the same code."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.models import Article, ArticleTranslation
from articles.readability import (
    MAX_MEDIAN_GRADE,
    MIN_INFLESZ,
    median_grade,
    report_row,
    spanish_report_row,
)


def spanish_symptoms(content_dir: Path) -> dict[str, str]:
    """Each symptom key's Spanish wording, which a Spanish care card lists. Read from
    content/es/triage.yaml: the Spanish triage data is not a database record yet."""
    path = content_dir / "es" / "triage.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {s["key"]: s["text"] for s in data.get("symptoms") or []}


class Command(BaseCommand):
    help = (
        "Show words, reading grade, reading time, references and review dates per article, "
        "and the reading level (INFLESZ) of each Spanish translation."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--strict", action="store_true", help="Exit with an error if anything is flagged."
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.BASE_DIR / "content",
            help="The content folder whose es/triage.yaml gives care cards' Spanish wording.",
        )

    def handle(self, *args, strict: bool, dir: Path, **options) -> None:
        today = timezone.localdate()
        rows = [report_row(article, today) for article in Article.objects.all()]
        # Slugs are shown whole (a cut slug cannot be looked up), so the column fits the longest.
        width = max([40, *(len(row.slug) for row in rows)])
        header = (
            f"{'article':<{width}} {'words':>5} {'grade':>5} {'min':>3} {'refs':>4} "
            f"{'reviewed':>10} {'review due':>10}  flags"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            line = (
                f"{row.slug:<{width}} {row.stats.words:>5} {row.stats.grade:>5.1f} "
                f"{row.stats.minutes:>3} {row.references:>4} {str(row.reviewed_on or '-'):>10} "
                f"{str(row.next_review_due or '-'):>10}  {', '.join(row.flags) or 'ok'}"
            )
            self.stdout.write(self.style.WARNING(line) if row.flags else line)
        flagged = sum(1 for row in rows if row.flags)
        self.stdout.write(f"\n{len(rows)} articles, {flagged} flagged.")
        # The guide holds the median article to a lower grade than the hardest one.
        median = median_grade([row.stats.grade for row in rows])
        median_line = f"Median reading grade: {median:.1f} (aim for {MAX_MEDIAN_GRADE:g} or below)."
        over = median > MAX_MEDIAN_GRADE
        self.stdout.write(self.style.WARNING(median_line) if over else median_line)
        spanish_flagged = self.spanish_table(width, spanish_symptoms(dir))
        if strict and (flagged or over or spanish_flagged):
            raise CommandError(
                f"{flagged + spanish_flagged} article(s) need attention; median grade {median:.1f}."
            )

    def spanish_table(self, width: int, symptoms: dict[str, str]) -> int:
        """The Spanish translations' table; returns how many are flagged."""
        translations = ArticleTranslation.objects.select_related("article")
        rows = [spanish_report_row(translation, symptoms) for translation in translations]
        header = (
            f"{'Spanish (/es/articles/)':<{width}} {'words':>5} {'INFLESZ':>7}  {'band':<34} flags"
        )
        self.stdout.write("\n" + header)
        self.stdout.write("-" * len(header))
        for row in rows:
            line = (
                f"{row.slug:<{width}} {row.stats.words:>5} {row.stats.inflesz:>7.1f}  "
                f"{row.stats.band:<34} {', '.join(row.flags) or 'ok'}"
            )
            self.stdout.write(self.style.WARNING(line) if row.flags else line)
        flagged = sum(1 for row in rows if row.flags)
        self.stdout.write(
            f"\n{len(rows)} Spanish articles, {flagged} flagged "
            f"(INFLESZ {MIN_INFLESZ} or more is normal or easier)."
        )
        return flagged
