"""What other apps and the composed pages may read of articles: the published list, the FAQ
and the topic grouping, each read once per worker after each content save; and the
translations patients may read (translation_queries.py).

The page views (views.py) use these too; nothing outside this app imports a view module.
The lists are shared by every request in the worker: copy before changing one.
"""

from itertools import groupby

from foundation.content_version import per_content_version

from .models import Article, FAQEntry, Topic
from .translation_queries import (  # noqa: F401  (what the Spanish pages may show)
    shown_faq_translations,
    shown_glossary_translations,
    shown_translation,
    shown_triage_translation,
)

LIST_FIELDS = ("title", "slug", "summary", "topic", "order")


@per_content_version
def published_articles() -> list[Article]:
    """Every published article in reading order, with only what lists show: read once per
    worker after each save. Shared by all requests: copy before changing."""
    return list(Article.objects.published().only(*LIST_FIELDS))


@per_content_version
def faq_entries() -> list[FAQEntry]:
    """Every FAQ entry in order, read once per worker after each save (shared: never change)."""
    return list(FAQEntry.objects.all())


def group_by_topic(articles) -> list[tuple[str, list[Article]]]:
    """Articles grouped under their topic, topics in the order of their first article."""
    ordered = sorted(articles, key=lambda a: (a.order, a.title))
    first_position = {}
    for article in ordered:
        first_position.setdefault(article.topic, article.order)
    by_topic = sorted(ordered, key=lambda a: (first_position[a.topic], a.order, a.title))
    labels = dict(Topic.choices)
    return [
        (labels[topic], list(items)) for topic, items in groupby(by_topic, key=lambda a: a.topic)
    ]
