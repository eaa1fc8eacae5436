"""Search moved from `articles` to an app of its own (issue 25) without losing a row: the
synonyms (seeded and staff's own), the best bets and the vocabulary saved before the move
are all there after it, read through the search app's models, on both databases."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from search import query
from search.models import SearchPromotion, SearchSynonym, SearchWord

# The last articles migration with the search models in it, and the one before the synonyms
# are seeded (0009 and 0012 seed them, through the articles app's historical models).
BEFORE = [("articles", "0019_triage_symptom_history")]
BEFORE_SEEDS = [("articles", "0008_search_engine")]
TABLES = {"articles_searchsynonym", "articles_searchpromotion", "articles_searchword"}
# Tables migrations after the move add (articles 0021 and 0022: translations), and the
# Spanish index's (search 0004: an FTS5 table and its shadow tables on SQLite, a table on
# PostgreSQL).
LATER_TABLES = {
    "articles_articletranslation",
    "articles_faqentrytranslation",
    "articles_glossarytermtranslation",
    "articles_triagetranslation",
}
SPANISH_INDEX_PREFIX = "search_spanish_"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_every_search_row_is_kept_when_the_models_move_to_the_search_app():
    migrate(BEFORE_SEEDS)  # the seeds run afresh below, whatever an earlier test emptied
    old = migrate(BEFORE)
    OldSynonym = old.get_model("articles", "SearchSynonym")
    OldPromotion = old.get_model("articles", "SearchPromotion")
    OldWord = old.get_model("articles", "SearchWord")
    OldArticle = old.get_model("articles", "Article")
    # The seeded synonyms (articles 0009 and 0012) and one staff added.
    seeded = set(OldSynonym.objects.values_list("terms", flat=True))
    assert "Spravato = esketamine" in seeded and any("xanax" in t for t in seeded)
    OldSynonym.objects.create(terms="zonked = dissociation")
    article = OldArticle.objects.create(
        title="Paying for treatment",
        slug="paying",
        summary="Costs.",
        body="What it costs.",
        status="published",
        publish_at=timezone.now(),
    )
    OldPromotion.objects.create(query="price", article_id=article.pk, sort_order=3)
    OldPromotion.objects.create(query="insurance", article_id=article.pk, sort_order=0)
    OldWord.objects.create(word="zonkedness", documents=7)
    words_before = set(OldWord.objects.values_list("word", "documents"))
    # A group of staff allowed to add synonyms, before the move.
    Group = old.get_model("auth", "Group")
    Permission = old.get_model("auth", "Permission")
    managers = Group.objects.create(name="Synonym keepers")
    managers.permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="add_searchsynonym")
    )
    tables_before = set(connection.introspection.table_names())

    migrate(latest())

    # The search models keep their tables (none dropped, none added for them); later
    # migrations may add tables of their own.
    tables_after = set(connection.introspection.table_names())
    added = tables_after - tables_before
    spanish_index = {t for t in added if t.startswith(SPANISH_INDEX_PREFIX)}
    assert TABLES <= tables_after and added - spanish_index == LATER_TABLES
    assert spanish_index
    assert set(SearchSynonym.objects.values_list("terms", flat=True)) == seeded | {
        "zonked = dissociation"
    }
    promotions = SearchPromotion.objects.order_by("query")
    assert [(p.query, p.article.slug, p.sort_order) for p in promotions] == [
        ("insurance", "paying", 0),
        ("price", "paying", 3),
    ]
    assert Article.objects.get(slug="paying").search_promotions.count() == 2
    assert set(SearchWord.objects.values_list("word", "documents")) == words_before
    assert ("dissociation",) in query.expand_synonyms(query.parse("zonked")).terms[0].phrases
    # The permission moved with its model: the group may still add synonyms.
    keeper = User.objects.create_user("keeper", is_staff=True)
    keeper.groups.add(managers.pk)
    assert User.objects.get(pk=keeper.pk).has_perm("search.add_searchsynonym")


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_without_losing_a_row():
    SearchSynonym.objects.create(terms="woozy = dizzy")
    migrate(BEFORE)
    migrate(latest())
    assert SearchSynonym.objects.filter(terms="woozy = dizzy").exists()
