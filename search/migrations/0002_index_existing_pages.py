"""Existing articles and FAQ entries indexed, and the vocabulary built, on a database whose
search index was never built, by the code that now does it (search/index.py).

Articles' migration 0008 made the engines' tables and indexes and used to index everything
itself; from then on every save keeps the index and the vocabulary current. So a database
that has a vocabulary is left exactly as it is (nothing is rewritten, no row is lost); one
that has none (new, or from before search existed) is indexed here."""

from django.db import migrations
from django.utils import timezone


def index_everything(apps, schema_editor):
    from search.index import rebuild_all

    SearchWord = apps.get_model("search", "SearchWord")
    if SearchWord.objects.exists():
        return  # indexed already, and kept current by every save since
    Article = apps.get_model("articles", "Article")
    # Article.objects.published(), written out for the historical model (which has no
    # custom manager): a scheduled article's words are never suggested.
    visible = Article.objects.filter(status="published", publish_at__lte=timezone.now())
    rebuild_all(
        Article, apps.get_model("articles", "FAQEntry"), SearchWord, visible_articles=visible
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_models_from_articles")]

    operations = [migrations.RunPython(index_everything, migrations.RunPython.noop)]
