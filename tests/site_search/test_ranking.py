"""What comes first: a new patient's searches, promoted results, ranking."""

import pytest

from articles.models import Article, Status
from search.models import SearchPromotion
from tests.site_search.results import article_slugs, first_article, search_page

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
