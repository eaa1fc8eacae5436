"""The content version (foundation/content_version.py): nothing that changes public content
bypasses it, and `ContentMemo` keeps at most what it is told, never past a save."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, FAQEntry
from foundation import content_version as versioning
from foundation.content_version import ContentMemo

from .wsgi_client import WsgiClient

ARTICLE = "/articles/how-ketamine-works/"


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())


# --- Writes that send no post_save still move the version on ---------------------------------


def test_rerender_never_leaves_the_cached_article_stale(site):
    client = WsgiClient()
    assert "Rerendered words" not in client.get(ARTICLE).text()  # now in the page cache
    # A change that reaches the stored text without a save (no signal, no bump)...
    Article.objects.filter(slug="how-ketamine-works").update(
        body="## Rerendered words\n\nThe body as the glossary renders it now."
    )
    article = Article.objects.get(slug="how-ketamine-works")
    # ... then rerender(), which writes the new HTML with QuerySet.update().
    assert article.rerender()
    assert "Rerendered words" in client.get(ARTICLE).text()


def test_rerender_of_an_faq_answer_never_leaves_the_cached_faq_stale(site):
    client = WsgiClient()
    entry = FAQEntry.objects.order_by("order").first()
    assert "Rerendered answer" not in client.get("/faq/").text()
    FAQEntry.objects.filter(pk=entry.pk).update(answer="Rerendered answer, in plain words.")
    entry.refresh_from_db()
    assert entry.rerender()
    assert "Rerendered answer" in client.get("/faq/").text()


def test_rerender_that_changes_nothing_keeps_the_version(site):
    article = Article.objects.get(slug="how-ketamine-works")
    before = versioning.content_version()
    assert not article.rerender()
    assert versioning.content_version() == before


# --- ContentMemo --------------------------------------------------------------------------


def builds(memo: ContentMemo, keys) -> list:
    """Which of these keys had to be built (were not kept)."""
    built = []
    for key in keys:
        memo.get_or_build(key, lambda key=key: built.append(key) or f"answer {key}")
    return built


def test_a_content_memo_answers_from_what_it_kept(db):
    memo = ContentMemo(max_entries=10)
    assert builds(memo, ["a", "b", "a", "b"]) == ["a", "b"]
    assert memo.get_or_build("a", lambda: "not used") == "answer a"


def test_a_content_memo_reads_many_at_once_and_keeps_what_is_put(db):
    memo = ContentMemo(max_entries=10)
    memo.put("a", "answer a")
    assert memo.get_many(["a", "b"]) == {"a": "answer a"}
    versioning.bump_content_version()
    assert memo.get_many(["a"]) == {}  # a save empties it


def test_a_content_memo_keeps_at_most_max_entries_least_recently_used_leaving(db):
    memo = ContentMemo(max_entries=2)
    builds(memo, ["a", "b", "a", "c"])  # "b" was used least recently
    assert len(memo) == 2
    assert builds(memo, ["a", "c", "b"]) == ["b"]


def test_a_content_memo_reads_its_size_when_it_stores(db, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 0
    memo = ContentMemo(max_entries=lambda: settings.SEARCH_RESULT_CACHE_SIZE)
    assert builds(memo, ["a", "a"]) == ["a", "a"]  # 0: nothing kept
    settings.SEARCH_RESULT_CACHE_SIZE = 5
    assert builds(memo, ["a", "a"]) == ["a"]


def test_a_content_memo_empties_when_the_content_version_moves_on(db):
    memo = ContentMemo(max_entries=10)
    builds(memo, ["a", "b"])
    versioning.invalidate()
    assert len(memo) == 0
    assert builds(memo, ["a", "b"]) == ["a", "b"]


def test_an_answer_built_while_a_save_lands_is_not_kept_for_the_new_content(db):
    memo = ContentMemo(max_entries=10)

    def build_during_a_save() -> str:
        versioning.invalidate()  # the save lands while the old answer is being built
        return "built from the old content"

    assert memo.get_or_build("a", build_during_a_save) == "built from the old content"
    assert memo.get_or_build("a", lambda: "built from the new content") == (
        "built from the new content"
    )


def test_search_results_pages_are_kept_in_a_content_memo(site, settings, client):
    from search.views import kept_search_pages

    settings.SEARCH_RESULT_CACHE_SIZE = 2
    for query in ("nasal", "spray", "dose", "nasal"):
        assert client.get(f"/search/?q={query}").status_code == 200
    assert len(kept_search_pages) == 2
    Article.objects.get(slug="how-ketamine-works").save()
    assert len(kept_search_pages) == 0


# --- The number's file, read again only when it changed -----------------------------------


def test_the_version_file_is_read_again_only_when_another_worker_changed_it(tmp_path):
    """Two stores on one folder stand for two workers: the one that did not bump the number
    sees the new one at once, and an unchanged file is not opened (a stat says so)."""
    from unittest import mock

    from django.core.cache.backends.filebased import FileBasedCache

    mine = FileBasedCache(str(tmp_path), {})
    other_worker = FileBasedCache(str(tmp_path), {})
    reader = versioning.VersionFile()
    assert reader.read(mine) is None  # no number yet
    other_worker.set(versioning.VERSION_KEY, 41, timeout=None)
    assert reader.read(mine) == 41

    with mock.patch.object(mine, "get", wraps=mine.get) as opened:
        assert reader.read(mine) == 41
        assert reader.read(mine) == 41
    assert not opened.called

    other_worker.incr(versioning.VERSION_KEY)
    assert reader.read(mine) == 42
    other_worker.set(versioning.VERSION_KEY, 7, timeout=None)  # same size, a new file
    assert reader.read(mine) == 7
