"""The review labels on an article page, its JSON-LD, and /about-our-content/ say only
what is true."""

import datetime
import json
import re

from articles.models import Article, ReviewState, Status
from clinic.models import Clinician, Page
from tests.clinical_review.pages import DUE, NOT_REVIEWED, public_html, text_of
from tests.reviewing import sign_off
from tests.test_admin_editing import change_url, form_data

# --- Labels on the page ----------------------------------------------------------------


def test_reviewed_label_at_the_top_and_the_foot(client, live_article):
    Article.objects.filter(pk=live_article.pk).update(text_updated_on=datetime.date(2026, 2, 20))
    html = public_html(client, Article.objects.get(pk=live_article.pk))
    top, foot = html.split('id="review-status-top"')[1], html.split('id="review-status-foot"')[1]
    for part in (top.split("</div>")[0], foot.split("</div>")[0]):
        words = text_of(">" + part)
        assert "Medically reviewed by Dr Ada Example, MD on March 1, 2026" in words
        assert "Next review due March 1, 2099" in words
        assert "Last updated February 20, 2026" in words
        assert NOT_REVIEWED not in words and DUE not in words


def test_overdue_label(client, live_article):
    live_article.next_review_due = datetime.date(2026, 9, 1)
    live_article.save()
    html = public_html(client, live_article)
    assert html.count(DUE) == 2
    assert html.count("Medically reviewed by Dr Ada Example, MD on") == 2
    assert "Next review due" not in html


def test_not_reviewed_label_and_no_last_updated_from_an_import(client, make_article):
    article = make_article(slug="fresh")
    html = public_html(client, article)
    assert html.count(NOT_REVIEWED) == 2
    assert "Medically reviewed" not in html
    assert "Last updated" not in html  # saving is not "the text changed"; nothing is known


def test_a_review_recorded_by_hand_without_the_text_it_covers_claims_nothing(client, make_article):
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article = make_article(reviewer=ada, reviewed_on=datetime.date(2026, 3, 1))
    assert NOT_REVIEWED in public_html(client, article)


def jsonld_page(html: str) -> dict:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "MedicalWebPage":
            return data
    raise AssertionError("no MedicalWebPage")


def test_jsonld_carries_the_review_only_when_true(client, live_article, make_article):
    page = jsonld_page(public_html(client, live_article))
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"]["name"] == "Dr Ada Example"
    live_article.body += "\nOne more line."
    live_article.save()
    changed = jsonld_page(public_html(client, live_article))
    assert "lastReviewed" not in changed and "reviewedBy" not in changed
    fresh = jsonld_page(public_html(client, make_article(slug="fresh")))
    assert "lastReviewed" not in fresh and "reviewedBy" not in fresh
    assert "dateModified" not in fresh  # not the day it was imported


# --- /about-our-content/ -----------------------------------------------------------------


def test_about_our_content_counts_match_the_database(client, editor, make_article, live_article):
    Clinician.objects.filter(name="Dr Ada Example").update(bio="Psychiatrist for 20 years.")
    overdue = sign_off(make_article(slug="old"), next_due=datetime.date(2020, 1, 1))
    assert overdue.review_state() == ReviewState.OVERDUE
    make_article(slug="new-1")
    make_article(slug="new-2")
    make_article(slug="a-draft", status=Status.DRAFT)  # not published: not counted
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, title="Waiting"))
    client.logout()
    html = text_of(client.get("/about-our-content/").content.decode())
    assert "4 articles: 1 reviewed, 2 not yet reviewed, 1 due for review." in html
    assert "1 change to an article is waiting for a clinician's review right now." in html
    assert "Dr Ada Example, MD" in html and "Psychiatrist for 20 years." in html
    assert "We publish a new article only after a clinician has reviewed it." in html


def test_about_our_content_with_nothing_reviewed_claims_no_review(client, make_article, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    for number in range(12):
        make_article(slug=f"article-{number}")
    html = text_of(client.get("/about-our-content/").content.decode())
    assert "12 articles: 0 reviewed, 12 not yet reviewed." in html
    assert "No changes to our articles are waiting" in html
    assert "Some articles are on the site before a clinician has reviewed them." in html
    assert "We have not listed our clinical team on this site yet." in html


def test_about_our_content_is_not_a_stale_trust_page(client, db):
    Page.objects.create(title="Old", slug="about-our-content", summary="s", body="Reviewed by all.")
    html = client.get("/about-our-content/").content.decode()
    assert "Reviewed by all." not in html and "Where our articles stand today" in html
