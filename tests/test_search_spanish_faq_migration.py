"""search 0005 (issue 28 item 5): the Spanish FAQ answers' index is made beside the article
translations' and filled with the answers already translated; undone, it goes and every
stored row stays (the index is derived data). On both databases."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import FAQEntryTranslation
from search import backends
from search.spanish_text import stemmed

BEFORE = [("search", "0004_spanish_index")]
# The FAQ answer translations' own migration (0005 depends on it; 0004 does not).
TRANSLATIONS = ("articles", "0022_faq_glossary_triage_translations")
FAQ_INDEX = {"sqlite": "search_spanish_faq_fts", "postgresql": "search_spanish_faq_document"}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def faq_index_exists() -> bool:
    return FAQ_INDEX[connection.vendor] in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_answers_already_translated_are_indexed_and_undoing_keeps_them():
    migrate(BEFORE)
    assert not faq_index_exists()
    old = MigrationExecutor(connection).loader.project_state([*BEFORE, TRANSLATIONS]).apps
    Entry = old.get_model("articles", "FAQEntry")
    Translation = old.get_model("articles", "FAQEntryTranslation")
    entry = Entry.objects.create(question="Does it hurt?", answer="No.", answer_html="<p>No.</p>")
    translation = Translation.objects.create(
        entry=entry,
        language="es",
        translator="Ana Pérez",
        question="¿Duele?",
        answer="No duele. Un ornitorrinco.",
        answer_html="<p>No duele. Un ornitorrinco.</p>",
    )

    migrate(latest())

    assert faq_index_exists()
    found = backends.current().spanish_term_matches([(stemmed("ornitorrincos"),)], "faq")
    assert found == {translation.pk}
    # Undone: the index goes, the translation stays; done again, it is indexed again.
    migrate(BEFORE)
    assert not faq_index_exists()
    assert FAQEntryTranslation.objects.filter(pk=translation.pk).exists()
    migrate(latest())
    assert translation.pk in backends.current().spanish_term_matches([(stemmed("duele"),)], "faq")
