"""The search models, taken over from `articles` (its migration 0020) without touching a
row: the tables keep their names (`db_table`), so this changes only Django's idea of where
the models live. The content types follow, so the permissions staff were given on synonyms
and promotions, and the admin's history of them, stay theirs.

On a new database the same: articles' migrations 0008, 0009 and 0012 make the tables and
seed the synonyms, then they are handed over here."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ["searchsynonym", "searchpromotion", "searchword"]


def move_content_types(from_label, to_label):
    def operation(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MODELS:
            if not types.filter(app_label=to_label, model=model).exists():
                types.filter(app_label=from_label, model=model).update(app_label=to_label)

    return operation


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0020_search_models_move_to_search_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchSynonym",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("terms", models.CharField(help_text="Two or more words or phrases that mean the same, separated by “=”. For example: Spravato = esketamine", max_length=300, unique=True)),
                    ],
                    options={
                        "verbose_name": "search synonym",
                        "ordering": ["terms"],
                        "db_table": "articles_searchsynonym",
                    },
                ),
                migrations.CreateModel(
                    name="SearchWord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("word", models.CharField(max_length=60, unique=True)),
                        ("documents", models.PositiveIntegerField(help_text="How many articles and answers use it.")),
                    ],
                    options={
                        "ordering": ["word"],
                        "db_table": "articles_searchword",
                    },
                ),
                migrations.CreateModel(
                    name="SearchPromotion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("query", models.CharField(help_text="What a visitor types, e.g. “price”. Capitals, punctuation and small words like “the” or “how” do not matter.", max_length=200)),
                        ("sort_order", models.PositiveIntegerField(default=0, help_text="With several promoted articles for one query, lower comes first.")),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="search_promotions", to="articles.article")),
                    ],
                    options={
                        "verbose_name": "promoted search result",
                        "ordering": ["query", "sort_order"],
                        "db_table": "articles_searchpromotion",
                        "constraints": [models.UniqueConstraint(fields=("query", "article"), name="one_promotion_per_query")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("articles", "search"), move_content_types("search", "articles")
        ),
    ]
