"""A table of every article with its reading level, length, references and review dates,
flagging what needs attention. Staff run it; the tests use the same code."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.models import Article
from articles.readability import MAX_MEDIAN_GRADE, median_grade, report_row


class Command(BaseCommand):
    help = "Show words, reading grade, reading time, references and review dates per article."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--strict", action="store_true", help="Exit with an error if anything is flagged."
        )

    def handle(self, *args, strict: bool, **options) -> None:
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
        if strict and (flagged or over):
            raise CommandError(f"{flagged} article(s) need attention; median grade {median:.1f}.")
