"""Every page type renders with its landmarks, the crisis notice and the clinic's details."""

import datetime
import json
import re

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from clinic.models import Clinician, ClinicProfile
from tests.reviewing import sign_off


@pytest.fixture
def site(make_article, make_faq):
    reviewer = Clinician.objects.create(name="Dr. Test Person", credentials="MD")
    article = make_article(
        title="How it works",
        slug="how-it-works",
        body=(
            "## One\n\ntext.[^berman2000]\n\n## Two\n\ntext.[^zarate2006]\n\n"
            "## Three\n\ntext.[^berman2000]\n"
        ),
    )
    sign_off(article, reviewer, datetime.date(2026, 1, 15), next_due=datetime.date(2099, 1, 15))
    make_faq(question="Can I drive home?", answer="No. See [this](/articles/how-it-works/).")
    return article


PAGES = ["/", "/articles/", "/articles/how-it-works/", "/faq/"]


@pytest.mark.parametrize("url", PAGES)
def test_page_has_landmarks_crisis_notice_and_clinic_details(client, site, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for landmark in ("<header", "<main", "<footer", '<nav aria-label="Main"'):
        assert landmark in html
    assert 'class="skip-link" href="#main-content"' in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert "This site is for education, not medical advice." in html
    profile = ClinicProfile.load()
    assert profile.phone in html and profile.email in html
    assert '<html lang="en">' in html


def test_footer_shows_what_staff_saved_in_the_clinic_profile(client, site):
    profile = ClinicProfile.load()
    profile.phone = "(201) 555-0199"
    profile.hours = "Tuesdays only"
    profile.save()
    html = client.get("/").content.decode()
    assert "(201) 555-0199" in html and 'href="tel:2015550199"' in html
    assert "Tuesdays only" in html


def test_article_page_shows_review_line_toc_and_references(client, site):
    html = client.get("/articles/how-it-works/").content.decode()
    assert "Medically reviewed by Dr. Test Person, MD on" in html
    assert "January 15, 2026" in html
    assert "On this page" in html and 'href="#one"' in html
    assert '<h2 id="references">References</h2>' in html
    assert 'href="#references"' in html  # in the table of contents
    assert "Berman RM, et al. Antidepressant effects of ketamine" in html
    # The review status closes the article as well as opening it (NHS style).
    assert html.count("Medically reviewed by Dr. Test Person, MD on") == 2
    assert "Next review due" in html
    assert "Request a consultation" in html


def test_article_without_reviewer_has_no_review_line(client, make_article):
    make_article(slug="plain")
    html = client.get("/articles/plain/").content.decode()
    assert "Medically reviewed" not in html
    assert html.count("This article has not yet been reviewed by one of our clinicians.") == 2
    assert "On this page" not in html  # too short for a table of contents


def test_home_page_has_start_here_call_to_action_and_phone(client, site):
    html = client.get("/").content.decode()
    assert "New to ketamine therapy? Start here" in html
    assert "Request a consultation" in html
    assert 'href="tel:2015550142"' in html


def test_faq_is_an_accordion_with_faqpage_structured_data(client, site):
    html = client.get("/faq/").content.decode()
    assert "<details" in html and "<summary>Can I drive home?</summary>" in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == "Can I drive home?"


@pytest.mark.parametrize(
    "url,first_visit,later_visits",
    [("/", 4, 0), ("/articles/", 3, 0), ("/articles/how-it-works/", 7, 1), ("/faq/", 4, 0)],
)
def test_pages_use_a_bounded_number_of_queries(
    client, site, make_article, django_assert_max_num_queries, url, first_visit, later_visits,
    settings,
):  # fmt: skip
    # Rendering cost, however many articles there are; a page cache hit makes none
    # (tests/test_page_cache.py). After a save, the first page a worker renders reads the
    # site-wide data (article list, FAQ, clinicians, clinic profile, next scheduled article,
    # and on an article page the sources its review covers and which articles have a
    # Spanish version, on the FAQ its Spanish answers, for the hreflang links) once;
    # later pages reuse it until the next save (`per_content_version`).
    settings.PAGE_CACHE_ENABLED = False
    for number in range(10):
        make_article(slug=f"extra-{number}")
    with django_assert_max_num_queries(first_visit):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(later_visits):
        assert client.get(url).status_code == 200


def test_unknown_page_is_the_sites_own_404_with_a_way_home(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'href="/"' in html and 'href="tel:988"' in html


def test_healthz_is_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("foundation.views.connection", DownConnection())
    assert client.get("/healthz").status_code == 503


def test_database_down_shows_the_503_page(client, db, monkeypatch):
    """A visitor sees a calm 'back soon' page, not a stack trace, when the database is down."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.models.ArticleQuerySet.published", refuse)
    response = client.get("/articles/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "We will be back in a few minutes" in html and 'href="tel:988"' in html


@override_settings(ROOT_URLCONF="tests.urls_broken", DEBUG=False)
def test_an_unexpected_error_shows_the_sites_own_500_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert "Traceback" not in html and 'href="/"' in html
