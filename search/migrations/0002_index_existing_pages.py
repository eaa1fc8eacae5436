"""Every existing article and FAQ entry indexed, and the vocabulary built, by the code that
now does it (search/index.py). Articles' migration 0008 made the engines' tables and
indexes and used to do this itself; on a database that already has them this writes the
same rows again."""

from django.db import migrations
from django.utils import timezone


def index_everything(apps, schema_editor):
    from search.index import rebuild_all

    Article = apps.get_model("articles", "Article")
    # Article.objects.published(), written out for the historical model (which has no
    # custom manager): a scheduled article's words are never suggested.
    visible = Article.objects.filter(status="published", publish_at__lte=timezone.now())
    rebuild_all(
        Article,
        apps.get_model("articles", "FAQEntry"),
        apps.get_model("search", "SearchWord"),
        visible_articles=visible,
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_models_from_articles")]

    operations = [migrations.RunPython(index_everything, migrations.RunPython.noop)]
