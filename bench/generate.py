"""Add 1,000 generated articles to the benchmark's database, for bench/run's scale run.

Usage: python bench/generate.py [COUNT]   (with the benchmark's environment, DATABASE_URL)

The generated articles are made of the real articles' paragraphs, shuffled, under made-up
titles: the same words, so a search finds many of them (a search for "nasal spray" matches
about 400 of 1,012), as on a large site that says the same things in many places.
"""

import os
import random
import sys
import time

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from articles.models import Article, Status  # noqa: E402
from search import index as search_index  # noqa: E402
from search.backends import sqlite as sqlite_search  # noqa: E402

GENERATED = 1000


def generate(count: int) -> None:
    rng = random.Random(17)
    paragraphs = [
        paragraph
        for article in Article.objects.published()
        for paragraph in article.body.split("\n\n")
        if paragraph.strip()
    ]
    words = sorted({w for p in paragraphs for w in p.split() if w.isalpha() and len(w) > 4})
    with search_index.bulk(), transaction.atomic():
        for n in range(count):
            title = " ".join(rng.sample(words, 4)).capitalize()
            Article.objects.create(
                title=f"{title} ({n})",
                slug=f"generated-{n}",
                summary=" ".join(rng.sample(words, 12))[:160],
                body="\n\n".join(rng.sample(paragraphs, min(len(paragraphs), 12))),
                status=Status.PUBLISHED,
                order=1000 + n,
            )


def settle() -> None:
    """What the database does on its own soon after a bulk load (PostgreSQL's autovacuum
    merges the GIN index's pending entries and gathers statistics; SQLite's FTS5 merges its
    index segments on later writes), done now so the timing is of a settled database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE articles_article")
            cursor.execute("VACUUM ANALYZE articles_searchword")
        else:
            cursor.execute(
                f"INSERT INTO {sqlite_search.ARTICLE_FTS}({sqlite_search.ARTICLE_FTS}) "
                "VALUES ('optimize')"
            )
            cursor.execute("ANALYZE")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else GENERATED
    started = time.perf_counter()
    generate(count)
    settle()
    print(
        f"{count} articles generated and indexed on {connection.vendor} "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
