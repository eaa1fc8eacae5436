"""The databases' own search engines (now the search app's: search/backends/).

The same migration on both databases; what only one of them has is made by RunPython
operations that look at the connection's vendor:
- PostgreSQL: the pg_trgm extension (typo correction), a GIN index on each stored
  search_document and a trigram GIN index on the vocabulary's words.
- SQLite: the FTS5 tables (Porter stemmer) for articles and FAQ entries.
Existing articles and entries are indexed, and the vocabulary built, by the search app's
migration 0002_index_existing_pages (the indexing code moved there with search; this
migration used to call it here). The models made here moved to the search app, tables and
all, in 0020_search_models_move_to_search_app.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
SQLITE = [
    "CREATE VIRTUAL TABLE articles_article_fts USING fts5("
    f"title, summary, body, tokenize='{FTS_TOKENIZER}')",
    "CREATE VIRTUAL TABLE articles_faqentry_fts USING fts5("
    f"question, answer, tokenize='{FTS_TOKENIZER}')",
]
SQLITE_REVERSE = ["DROP TABLE articles_article_fts", "DROP TABLE articles_faqentry_fts"]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_document)",
    "CREATE INDEX articles_faqentry_search_gin ON articles_faqentry USING gin (search_document)",
    "CREATE INDEX articles_searchword_trgm ON articles_searchword USING gin (word gin_trgm_ops)",
    # Ranking reads each matching document whole. An article's is a little over 2 kB, so
    # PostgreSQL would move it to the TOAST table, one more lookup per match; MAIN keeps it
    # in the row (compressed): ranking was 3x faster with 1,000 articles.
    "ALTER TABLE articles_article ALTER COLUMN search_document SET STORAGE MAIN",
    "ALTER TABLE articles_faqentry ALTER COLUMN search_document SET STORAGE MAIN",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS articles_article_search_gin",
    "DROP INDEX IF EXISTS articles_faqentry_search_gin",
    "DROP INDEX IF EXISTS articles_searchword_trgm",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_citations_in_text_and_glossary'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('terms', models.CharField(help_text='Two or more words or phrases that mean the same, separated by “=”. For example: Spravato = esketamine', max_length=300, unique=True)),
            ],
            options={
                'verbose_name': 'search synonym',
                'ordering': ['terms'],
            },
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=60, unique=True)),
                ('documents', models.PositiveIntegerField(help_text='How many articles and answers use it.')),
            ],
            options={
                'ordering': ['word'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='faqentry',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.CreateModel(
            name='SearchPromotion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(help_text='What a visitor types, e.g. “price”. Capitals, punctuation and small words like “the” or “how” do not matter.', max_length=200)),
                ('sort_order', models.PositiveIntegerField(default=0, help_text='With several promoted articles for one query, lower comes first.')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='search_promotions', to='articles.article')),
            ],
            options={
                'verbose_name': 'promoted search result',
                'ordering': ['query', 'sort_order'],
                'constraints': [models.UniqueConstraint(fields=('query', 'article'), name='one_promotion_per_query')],
            },
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
