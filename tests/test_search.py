"""Search on the databases' own engines (issue 17): FTS5 on SQLite, full-text search on
PostgreSQL. The suite runs on both (DATABASE_URL), so every test here holds on each."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FAQEntry, Status
from search import query as search_query
from search import typos
from search.models import SearchPromotion, SearchSynonym, SearchWord
from search.signals import search_done

from .wsgi_client import WsgiClient


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    """The real articles and FAQ from the repository's content/ folder."""
    call_command("import_content", stdout=StringIO())


def search_page(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def results_of(html: str) -> str:
    """The list of results (articles and FAQ answers, one ranked list), or ""."""
    section = re.search(r'id="search-results"(.*?)</section>', html, re.S)
    return section.group(1) if section else ""


def result_links(html: str) -> list[str]:
    """Each result's address, in order: /articles/slug/ or /faq/#faq-N."""
    return re.findall(r'<h3><a href="([^"]+)">', results_of(html))


def first_article(html: str) -> str | None:
    """The first article among the results (an FAQ answer may come before it)."""
    slugs = article_slugs(html)
    return slugs[0] if slugs else None


def article_slugs(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/articles/([^/]+)/"', results_of(html))


def showing_results_for(html: str) -> str | None:
    found = re.search(r"Showing results for <strong>(.*?)</strong>", html)
    return found.group(1) if found else None


# --- Done when: what a new patient types on a phone ----------------------------------------


@pytest.mark.parametrize(
    "query,expected_first",
    [
        ("spravado", "spravato-esketamine-nasal-spray"),
        ("ketamene infusion", "ways-ketamine-is-given"),
        ("can i drive home", "a-treatment-day"),
        ("nasal spray price", "costs-and-insurance"),
        ("dissociation", "side-effects-and-safety"),
    ],
)
def test_a_new_patients_searches_put_the_page_they_need_first(client, site, query, expected_first):
    assert first_article(search_page(client, query)) == expected_first


# --- Typos ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,shown,expected_first",
    [
        ("spravado", "spravato", "spravato-esketamine-nasal-spray"),
        ("sprovato", "spravato", "spravato-esketamine-nasal-spray"),
        ("spravatto", "spravato", "spravato-esketamine-nasal-spray"),
        ("ketamene infusion", "ketamine infusion", "ways-ketamine-is-given"),
        ("infussion", "infusion", "ways-ketamine-is-given"),
        ("infusoin", "infusion", "ways-ketamine-is-given"),
        ("injecton", "injection", "ways-ketamine-is-given"),
        ("lozenjes", "lozenges", "ways-ketamine-is-given"),
        ("nasel spray", "nasal spray", "spravato-esketamine-nasal-spray"),
        ("dissociaton", "dissociation", "side-effects-and-safety"),
        ("nausia", "nausea", "side-effects-and-safety"),
        ("addictve", "addictive", "side-effects-and-safety"),
        ("depresion", "depression", "what-is-ketamine-therapy"),
        ("insurnace", "insurance", "costs-and-insurance"),
        ("psychoterapy", "psychotherapy", "ketamine-assisted-psychotherapy"),
        ("drivng", "driving", "a-treatment-day"),
        ("anestetic", "anesthetic", None),
        ("blod pressure", "blood pressure", None),
        ("tretment", "treatment", None),
        ("theraphy", "therapy", None),
    ],
)
def test_misspelled_words_are_searched_as_the_closest_word_the_site_uses(
    client, site, typed, shown, expected_first
):
    html = search_page(client, typed)
    assert showing_results_for(html) == shown
    if expected_first:
        assert first_article(html) == expected_first


@pytest.mark.parametrize(
    "typed,expected_first",
    [("esketamin", "spravato-esketamine-nasal-spray"), ("insurence", "costs-and-insurance")],
)
def test_a_misspelling_with_the_same_stem_needs_no_correction(client, site, typed, expected_first):
    html = search_page(client, typed)
    assert showing_results_for(html) is None  # the engines' stemmers already match it
    assert first_article(html) == expected_first


def test_the_correction_is_announced_with_a_link_to_search_exactly_what_was_typed(client, site):
    html = search_page(client, "spravado")
    status = re.search(r'<div class="search-status" role="status">(.*?)</div>', html, re.S)
    assert "Showing results for <strong>spravato</strong>" in status.group(1)
    assert 'href="/search/?q=spravado&amp;exact=1"' in status.group(1)

    exact = search_page(client, "spravado", exact="1")
    assert showing_results_for(exact) is None
    assert "We found nothing for “spravado”" in exact
    assert re.search(r'Did you mean <a href="/search/\?q=spravato">spravato</a>\?', exact)


def test_words_that_are_nothing_like_the_sites_are_not_corrected(client, site):
    html = search_page(client, "xylophone")
    assert showing_results_for(html) is None and "Did you mean" not in html
    assert "We found nothing for “xylophone”" in html


def test_typos_are_corrected_only_from_published_words(client, make_article):
    make_article(title="Tinnitus", body="Ringing in the ears.", status=Status.DRAFT)
    make_article(title="Ears", body="About hearing.")
    assert not SearchWord.objects.filter(word="tinnitus").exists()
    assert showing_results_for(search_page(client, "tinitus")) is None


def test_the_vocabulary_follows_saves_and_deletes(client, make_article):
    article = make_article(title="Hearing", body="Some people notice tinnitus.")
    assert showing_results_for(search_page(client, "tinitus")) == "tinnitus"
    article.delete()
    assert not SearchWord.objects.filter(word="tinnitus").exists()


# --- Synonyms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,only_says",
    [
        ("Spravato", "esketamine"),
        ("IV", "infusion"),
        ("shot", "injection"),
        ("IM", "injection"),
        ("price", "cost"),
        ("KAP", "ketamine-assisted psychotherapy"),
    ],
)
def test_seeded_synonyms_find_pages_that_use_another_name(client, make_article, query, only_says):
    make_article(title="A page", slug="target", body=f"This page talks about {only_says} only.")
    make_article(title="Another page", slug="other", body="Nothing to do with it.")
    assert article_slugs(search_page(client, query)) == ["target"]


def test_synonyms_work_both_ways_and_for_phrases(client, make_article):
    make_article(title="Therapy", slug="kap", body="We offer KAP sessions.")
    assert article_slugs(search_page(client, "ketamine-assisted psychotherapy")) == ["kap"]
    assert article_slugs(search_page(client, "ketamine assisted psychotherapy")) == ["kap"]


def test_staff_synonyms_from_the_admin_apply_at_once(client, make_article):
    make_article(title="Spray", slug="spray", body="The nasal spray is used at the clinic.")
    assert article_slugs(search_page(client, "inhaler")) == []
    SearchSynonym.objects.create(terms="inhaler = nasal spray")
    assert article_slugs(search_page(client, "inhaler")) == ["spray"]


def test_the_synonym_admin_refuses_a_single_term(admin_client):
    response = admin_client.post("/admin/search/searchsynonym/add/", {"terms": "Spravato"})
    assert response.status_code == 200
    assert "Give at least two words or phrases" in response.content.decode()
    assert not SearchSynonym.objects.filter(terms="Spravato").exists()


# --- Promoted results ("best bets") ---------------------------------------------------------


def test_a_promoted_article_is_shown_first_for_its_query(client, site):
    payment = Article.objects.get(slug="your-first-visit")
    SearchPromotion.objects.create(query="What is the price?", article=payment)
    html = search_page(client, "price")
    assert first_article(html) == "your-first-visit"
    assert "Recommended for this search" in html
    assert article_slugs(html).count("your-first-visit") == 1
    # Other queries are untouched.
    assert first_article(search_page(client, "insurance")) == "costs-and-insurance"


def test_a_promotion_holds_for_the_corrected_query_too(client, site):
    visit = Article.objects.get(slug="your-first-visit")
    SearchPromotion.objects.create(query="infusion", article=visit)
    assert first_article(search_page(client, "infussion")) == "your-first-visit"


def test_a_promoted_draft_is_never_shown(client, site, make_article):
    draft = make_article(title="Unfinished", slug="unfinished", status=Status.DRAFT)
    SearchPromotion.objects.create(query="price", article=draft)
    html = search_page(client, "price")
    assert "unfinished" not in html and first_article(html) == "costs-and-insurance"


# --- Ranking --------------------------------------------------------------------------------


def test_searching_an_articles_exact_title_puts_it_first(client, site):
    for article in Article.objects.published():
        assert first_article(search_page(client, article.title)) == article.slug, article.title


def test_a_term_with_its_own_section_outranks_a_passing_mention(client, make_article):
    make_article(
        title="Feelings during a session",
        slug="passing",
        body="## What you may notice\n\nSome people feel calm. A few notice tinnitus, "
        "a ringing in the ears, for a short time. Most feel fine by the evening.\n",
    )
    make_article(
        title="Less common effects",
        slug="section",
        body="## Tinnitus\n\nA ringing in the ears. It fades within the hour.\n\n"
        "## Headache\n\nDrink water and rest.\n",
    )
    assert article_slugs(search_page(client, "tinnitus")) == ["section", "passing"]


def test_a_title_match_outranks_many_mentions_in_the_text(client, make_article):
    make_article(title="Blood pressure", slug="title", body="It is checked at each visit.")
    make_article(title="Checks", slug="text", body="Blood pressure. " * 30)
    assert article_slugs(search_page(client, "blood pressure")) == ["title", "text"]


def test_an_exact_phrase_outranks_the_same_words_apart(client, make_article):
    make_article(title="One", slug="apart", body="A spray for the nose, used at the clinic.")
    make_article(title="Two", slug="phrase", body="A nose spray, used at the clinic.")
    assert article_slugs(search_page(client, "nose spray")) == ["phrase", "apart"]


def test_search_syntax_means_the_same_on_both_databases(client, make_article):
    make_article(title="One", slug="iv", body="The IV infusion takes forty minutes.")
    make_article(title="Two", slug="spray", body="The nasal spray takes two hours.")
    assert article_slugs(search_page(client, "infusion or spray")) == ["iv", "spray"]
    assert article_slugs(search_page(client, "takes -infusion")) == ["spray"]
    assert article_slugs(search_page(client, '"nasal spray"')) == ["spray"]
    assert article_slugs(search_page(client, '"spray nasal"')) == []


# --- Keeping the index current ----------------------------------------------------------------


def test_the_index_follows_saves_and_deletes(client, make_article, make_faq):
    article = make_article(title="Visit", slug="visit", body="Bring a friend.")
    entry = make_faq(question="What should I bring?", answer="A friend and a snack.")
    assert article_slugs(search_page(client, "friend")) == ["visit"]
    assert "What should I bring?" in search_page(client, "snack")

    article.body = "Bring a companion."
    article.save()
    assert article_slugs(search_page(client, "friend")) == []
    assert article_slugs(search_page(client, "companion")) == ["visit"]

    article.delete()
    entry.delete()
    assert article_slugs(search_page(client, "companion")) == []
    assert "We found nothing" in search_page(client, "snack")


def test_an_article_scheduled_for_later_is_not_found_until_it_goes_live(client, make_article):
    later = timezone.now() + datetime.timedelta(days=1)
    make_article(title="Coming soon", slug="soon", body="Lozenges", publish_at=later)
    assert article_slugs(search_page(client, "lozenges")) == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_stores_a_weighted_search_document(make_article):
    article = make_article(title="Spray", summary="Short", body="Long text")
    document = Article.objects.values_list("search_document", flat=True).get(pk=article.pk)
    assert "'spray':1A" in document and "'short':2B" in document and "'long':3C" in document


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_keeps_an_fts5_row_per_article_and_entry(make_article, make_faq):
    article = make_article(title="Spray", summary="Short", body="Long text")
    entry = make_faq(question="Why?", answer="Because.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, body FROM articles_article_fts WHERE rowid = %s", [article.pk]
        )
        assert cursor.fetchone() == ("Spray", "Long text")
        cursor.execute("SELECT question FROM articles_faqentry_fts WHERE rowid = %s", [entry.pk])
        assert cursor.fetchone() == ("Why?",)


def test_rebuild_search_index_restores_rows_changed_without_a_save(client, make_article):
    article = make_article(title="Visit", slug="visit", body="Bring a friend.")
    Article.objects.filter(pk=article.pk).update(title="Lozenges")  # sends no signal
    assert article_slugs(search_page(client, "lozenges")) == []
    call_command("rebuild_search_index", stdout=StringIO())
    assert article_slugs(search_page(client, "lozenges")) == ["visit"]


# --- Snippets and highlighting ----------------------------------------------------------------


def test_highlighting_marks_the_word_and_leaves_punctuation_outside(client, make_article):
    make_article(
        title="Forms",
        body="You may get an infusion, an injection (a shot), or a nasal spray: all work.",
    )
    html = search_page(client, "infusion injection spray")
    assert "<mark>infusion</mark>, an <mark>injection</mark> (a <mark>shot</mark>)," in html
    assert "nasal <mark>spray</mark>: all work" in html


def test_highlighting_marks_other_forms_and_synonyms_of_the_words(client, make_article):
    make_article(title="Costs", body="What it costs, and the prices people pay.")
    html = search_page(client, "cost")
    assert (
        "What it <mark>costs</mark>, and the <mark>prices</mark> people <mark>pay</mark>." in html
    )


def test_snippets_are_escaped(client, make_article):
    make_article(title="Symbols", body="Use 5 &lt; 6 & <b>bold</b> spray.")
    html = search_page(client, "spray")
    assert "<b>bold</b>" not in results_of(html)


# --- Hostile queries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"""',
        'spray"',
        "*",
        "spray*",
        "NEAR(spray infusion)",
        "NEAR(",
        "OR",
        "spray OR",
        "OR OR OR",
        "AND NOT",
        "-",
        "--",
        "-spray",
        "^spray",
        "title:spray",
        "{title}: spray",
        "spray:*",
        "(spray",
        "spray) OR (1=1",
        "'; DROP TABLE articles_article; --",
        "\\",
        "spray\x00infusion",
        "\x00",
        "spray " * 600,
        "x" * 3000,
        "é" * 3000,
        "ketamine & | ! <-> :A",
        "ſpray ﬁne ＩＶ",
        "🙂 spray",
    ],
)
def test_hostile_queries_are_answered_with_a_page(client, site, query):
    html = search_page(client, query)
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.parametrize("raw", ["q=%FF%FE%FD", "q=spray%C3", "q=%00spray", "q=%E2%80%AE"])
def test_invalid_utf8_and_control_characters_in_the_address_are_answered(client, site, raw):
    response = client.get(f"/search/?{raw}")
    assert response.status_code == 200


def test_hostile_queries_do_not_touch_the_data(client, site):
    before = Article.objects.count(), FAQEntry.objects.count()
    search_page(client, "'; DELETE FROM articles_article; --")
    search_page(client, '" OR 1=1 --')
    assert (Article.objects.count(), FAQEntry.objects.count()) == before


# --- The results page -------------------------------------------------------------------------


def test_the_results_page_has_one_labelled_search_box(client, site):
    html = search_page(client, "spray")
    assert html.count('role="search"') == 1
    assert 'id="site-search-q"' not in html  # the header's box is left out here
    assert 'aria-label="Articles and answers"' in html
    assert 'value="spray"' in html
    # Every other page keeps the header's box.
    assert search_page(client, "").count('role="search"') == 1
    assert 'id="site-search-q"' in client.get("/faq/").content.decode()


def test_the_result_count_is_announced(client, site):
    html = search_page(client, "nasal spray")
    status = re.search(r'<div class="search-status" role="status">(.*?)</div>', html, re.S)
    found = re.search(r"Found (\d+) results: (\d+) articles? and (\d+) answers?\.", status.group(1))
    assert int(found.group(1)) == int(found.group(2)) + int(found.group(3)) > 10


def test_each_search_is_reported_with_its_result_count(client, site):
    heard = []

    def listener(sender, query, result_count, **kwargs):
        heard.append((query, result_count))

    search_done.connect(listener)
    try:
        search_page(client, "xylophone")
        search_page(client, "spravado")
        search_page(client, "")
    finally:
        search_done.disconnect(listener)
    assert heard[0] == ("xylophone", 0)
    assert heard[1][0] == "spravado" and heard[1][1] > 0
    assert len(heard) == 2


# --- The parts ----------------------------------------------------------------------------------


def test_query_parsing_follows_websearch():
    parsed = search_query.meaningful(
        search_query.parse('Can I drive "nasal spray" or IV -lozenges')
    )
    assert [t.phrases for t in parsed.terms] == [[("drive",)], [("nasal", "spray"), ("iv",)]]
    assert parsed.excluded == [("lozenges",)]


def test_similarity_is_pg_trgm_s():
    assert typos.similarity("spravado", "spravato") == pytest.approx(0.5)
    assert typos.edit_distance("medicaiton", "medication") == 1


def test_the_snippet_shows_the_place_with_the_most_search_words(client, make_article):
    make_article(
        title="Choosing",
        body="Ketamine is a medicine. " + "Some other words come here. " * 20
        + "Ketamine may be right for you.",
    )  # fmt: skip
    html = search_page(client, "ketamine right")
    assert "<mark>Ketamine</mark> may be <mark>right</mark> for you." in html


def test_staff_find_synonyms_and_promotions_in_the_admin(admin_client, site):
    synonyms = admin_client.get("/admin/search/searchsynonym/").content.decode()
    assert "Spravato = esketamine" in synonyms and "cost = price = insurance" in synonyms
    assert admin_client.get("/admin/search/searchpromotion/add/").status_code == 200
    article = Article.objects.get(slug="costs-and-insurance")
    response = admin_client.post(
        "/admin/search/searchpromotion/add/",
        {"query": "How much?", "article": article.pk, "sort_order": 0},
    )
    assert response.status_code == 302
    assert SearchPromotion.objects.filter(query="How much?", article=article).exists()


def test_a_repeated_search_is_answered_from_memory_until_the_next_save(client, make_article):
    make_article(title="Spray", slug="one", body="The nasal spray.")
    assert article_slugs(search_page(client, "spray")) == ["one"]
    with CaptureQueriesContext(connection) as repeat:
        assert article_slugs(search_page(client, "spray")) == ["one"]
    assert not [q for q in repeat.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]

    make_article(title="Another spray", slug="two", body="Also a spray.")
    assert sorted(article_slugs(search_page(client, "spray"))) == ["one", "two"]


def test_a_kept_results_page_still_counts_every_search(client, make_article):
    make_article(title="Spray", slug="one", body="The nasal spray.")
    counted = []

    def listener(sender, query, result_count, **kwargs):
        counted.append((query, result_count))

    search_done.connect(listener)
    try:
        for _ in range(3):
            search_page(client, "spray")
    finally:
        search_done.disconnect(listener)
    assert counted == [("spray", 1)] * 3


def test_a_kept_results_page_is_only_served_at_the_address_it_was_made_for(client, make_article):
    """The page links to itself and every link has the script prefix: a page made for a
    site mounted under /clinic must never be served to the site at the root, or back."""
    make_article(title="Spray", slug="one", body="The nasal spray.")
    FAQEntry.objects.create(question="Is the spray safe?", answer="Mostly.", order=1)
    wsgi = WsgiClient()  # the real WSGI entry, which sets the script prefix as servers do
    mounted = wsgi.get("/search/?q=spray", script_name="/clinic").text()
    assert 'href="/clinic/articles/one/"' in mounted and 'href="/clinic/faq/#faq-' in mounted
    at_root = wsgi.get("/search/?q=spray").text()
    assert 'href="/articles/one/"' in at_root and 'href="/faq/#faq-' in at_root
    assert "/clinic/" not in at_root
    other_host = wsgi.get("/search/?q=spray", host="localhost").text()
    assert '<link rel="canonical" href="http://localhost/search/">' in other_host


def test_only_the_last_searches_are_kept(client, make_article, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 2
    make_article(title="Spray", slug="one", body="The nasal spray, an infusion, a lozenge.")
    for query in ("spray", "infusion", "lozenge"):  # "spray" is the oldest: let go
        search_page(client, query)
    with CaptureQueriesContext(connection) as repeats:
        search_page(client, "lozenge")
        search_page(client, "infusion")
    assert not [q for q in repeats.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]
    with CaptureQueriesContext(connection) as again:
        assert article_slugs(search_page(client, "spray")) == ["one"]
    assert [q for q in again.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]


def test_search_results_are_not_kept_with_a_cache_size_of_zero(client, make_article, settings):
    settings.SEARCH_RESULT_CACHE_SIZE = 0
    make_article(title="Spray", slug="one", body="The nasal spray.")
    search_page(client, "spray")
    with CaptureQueriesContext(connection) as repeat:
        assert article_slugs(search_page(client, "spray")) == ["one"]
    assert [q for q in repeat.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]
