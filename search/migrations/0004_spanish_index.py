"""The Spanish index (issue 28 item 5: search/spanish.py), apart from the English one, and
every existing article translation indexed in it.

- SQLite: an FTS5 table `search_spanish_fts` (title, summary, body) of Spanish stems. The
  stems are made in Python (search/spanish_text.py), so the tokenizer only splits words.
- PostgreSQL: a table `search_spanish_document` (translation id, tsvector of those stems
  read by the 'simple' configuration) with a GIN index. No extension is needed.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_spanish_fts USING fts5("
    "title, summary, body, tokenize='unicode61 remove_diacritics 2')"
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_spanish_fts"]
POSTGRESQL = [
    "CREATE TABLE search_spanish_document ("
    "translation_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_spanish_document_gin ON search_spanish_document USING gin (document)",
]
POSTGRESQL_REVERSE = ["DROP TABLE IF EXISTS search_spanish_document"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


def index_translations(apps, schema_editor):
    from search.index import rebuild_spanish

    rebuild_spanish(apps.get_model("articles", "ArticleTranslation"))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_clinic_manager_turns_gaps_into_synonyms"),
        ("articles", "0021_article_translations"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
        migrations.RunPython(index_translations, migrations.RunPython.noop),
    ]
