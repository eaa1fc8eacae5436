"""Closing the loop (issue 25, item 8): on /admin/insights/, a search that found nothing is
turned into a synonym of a word the site uses in one step, and the same search then finds
the page. Only staff allowed to add synonyms see the form or may send it."""

import pytest
from django.test import Client
from django.utils import timezone

from insights.models import SearchDay
from search.models import SearchSynonym
from tests.site_search.results import article_slugs, search_page
from tests.staff import staff_with_permissions

INSIGHTS = "/admin/insights/"


@pytest.fixture
def gap(make_article):
    make_article(
        title="Feeling dizzy after a treatment",
        slug="dizzy",
        body="Some people feel dizzy for an hour after ketamine. Sit down and rest.",
    )
    SearchDay.objects.create(day=timezone.localdate(), query="woozy", found=False, count=3)
    return "woozy"


@pytest.fixture
def keeper(client, db):
    client.force_login(staff_with_permissions("keeper", "view_insights", "add_searchsynonym"))
    return client


def search_slugs(client, query: str) -> list[str]:
    return article_slugs(search_page(client, query))


def test_a_search_that_found_nothing_becomes_a_synonym_and_then_finds_the_page(keeper, gap):
    assert search_slugs(keeper, "woozy") == []  # a dead end, and kept by the worker
    page = keeper.get(INSIGHTS).content.decode()
    assert "as a synonym of…" in page and 'name="site_words"' in page
    response = keeper.post(INSIGHTS, {"query": "woozy", "site_words": "Dizzy"}, follow=True)
    assert response.redirect_chain[-1] == (INSIGHTS, 302)
    assert "Added “woozy” as a synonym of “dizzy”" in response.content.decode()
    assert SearchSynonym.objects.filter(terms="dizzy = woozy").exists()
    # The kept results page was let go when the synonym was saved.
    assert search_slugs(keeper, "woozy") == ["dizzy"]


@pytest.mark.parametrize(
    ("site_words", "error"),
    [
        ("", "Please enter the word or phrase the site uses for this."),
        ("  !! ", "Please enter a word or phrase in letters."),
        ("woozy", "That is the search itself: please enter the word the site uses."),
        ("giraffe", "No published page uses “giraffe”."),
    ],
)
def test_bad_input_gets_a_polite_error_next_to_the_field(keeper, gap, site_words, error):
    response = keeper.post(INSIGHTS, {"query": "woozy", "site_words": site_words})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="synonym-1-error"' in html and error in html
    assert 'aria-describedby="synonym-1-error"' in html
    assert not SearchSynonym.objects.filter(terms__contains="woozy").exists()


def test_a_synonym_already_there_is_not_added_twice(keeper, gap):
    SearchSynonym.objects.create(terms="dizzy = woozy")
    response = keeper.post(INSIGHTS, {"query": "woozy", "site_words": "dizzy"})
    assert "“woozy” already finds pages about “dizzy”." in response.content.decode()
    assert SearchSynonym.objects.filter(terms__contains="woozy").count() == 1


def test_a_search_too_long_for_one_synonym_is_refused_with_a_reason(keeper, gap):
    query = "can ketamine make me feel woozy for days"
    SearchDay.objects.create(day=timezone.localdate(), query=query, found=False, count=9)
    html = keeper.post(INSIGHTS, {"query": query, "site_words": "dizzy"}).content.decode()
    assert "A synonym stands for at most 4 words" in html
    assert not SearchSynonym.objects.filter(terms__contains="woozy").exists()


def test_staff_without_the_permission_see_no_form_and_may_not_send_one(client, gap):
    client.force_login(staff_with_permissions("manager", "view_insights"))
    page = client.get(INSIGHTS).content.decode()
    assert "woozy" in page and 'name="site_words"' not in page
    response = client.post(INSIGHTS, {"query": "woozy", "site_words": "dizzy"})
    assert response.status_code == 403
    assert not SearchSynonym.objects.filter(terms__contains="woozy").exists()


def test_the_form_needs_the_csrf_token(gap, db):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_with_permissions("keeper", "view_insights", "add_searchsynonym"))
    response = browser.post(INSIGHTS, {"query": "woozy", "site_words": "dizzy"})
    assert response.status_code == 403
    assert not SearchSynonym.objects.filter(terms__contains="woozy").exists()
    page = browser.get(INSIGHTS).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_clinic_manager_sees_the_form_and_adds_a_synonym(client, gap):
    """The group that reads insights (search migration 0003) may close the loop itself."""
    from django.contrib.auth.models import Group, User

    manager = User.objects.create_user("manager", password="x", is_staff=True)
    manager.groups.add(Group.objects.get(name="Clinic manager"))
    client.force_login(manager)
    page = client.get(INSIGHTS).content.decode()
    assert "as a synonym of…" in page and 'name="site_words"' in page
    response = client.post(INSIGHTS, {"query": "woozy", "site_words": "dizzy"}, follow=True)
    assert "Added “woozy” as a synonym of “dizzy”" in response.content.decode()
    assert manager.has_perm("search.add_searchsynonym")
    assert not manager.has_perm("search.delete_searchsynonym")
