"""Spanish FAQ answers in the Spanish index (issue 28 item 5: search/spanish.py), in tables
of their own beside the article translations' (an FTS5 table cannot take a new column, and
the two kinds have different fields, as English articles and FAQ entries do), and every
existing FAQ answer translation indexed in them. Derived data only: no stored row moves.

- SQLite: an FTS5 table `search_spanish_faq_fts` (question, answer) of Spanish stems.
- PostgreSQL: a table `search_spanish_faq_document` (translation id, tsvector of those
  stems read by the 'simple' configuration) with a GIN index. No extension is needed.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_spanish_faq_fts USING fts5("
    "question, answer, tokenize='unicode61 remove_diacritics 2')"
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_spanish_faq_fts"]
POSTGRESQL = [
    "CREATE TABLE search_spanish_faq_document ("
    "translation_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_spanish_faq_document_gin ON search_spanish_faq_document "
    "USING gin (document)",
]
POSTGRESQL_REVERSE = ["DROP TABLE IF EXISTS search_spanish_faq_document"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


def index_faq_translations(apps, schema_editor):
    from search.index import rebuild_spanish

    rebuild_spanish(FAQEntryTranslation=apps.get_model("articles", "FAQEntryTranslation"))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_spanish_index"),
        ("articles", "0022_faq_glossary_triage_translations"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
        migrations.RunPython(index_faq_translations, migrations.RunPython.noop),
    ]
