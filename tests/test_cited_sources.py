"""Sources are stored in the database and edited in the admin under the review rule
(issue 24): a review's fingerprint covers the full text of every source an article
cites, so changing a source ends the review of each article that cites it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.citations import load_sources, sources_path
from articles.models import Article, ChangeStatus, CitedSource, PendingChange, ReviewState
from clinic.models import Clinician
from tests.clinical_review.pages import public_html, text_of
from tests.reviewing import sign_off
from tests.staff import staff_in_group

CHANGED = "Not reviewed: the text has changed since"


@pytest.fixture
def citing(make_article):
    """Two reviewed articles citing berman2000, one citing another source only."""
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    made = []
    for slug, key in [("one", "berman2000"), ("two", "berman2000"), ("other", "zarate2006")]:
        article = make_article(slug=slug, body=f"Ketamine can help.[^{key}]\n")
        made.append(sign_off(article, ada, datetime.date(2026, 3, 1), datetime.date(2099, 1, 1)))
    return made


@pytest.fixture
def reviewer(db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=user)
    return user


def test_the_sources_come_from_the_database_as_the_file_had_them(db):
    assert load_sources() == load_sources(sources_path())
    assert CitedSource.objects.count() == len(load_sources(sources_path()))


def test_export_writes_the_sources_file_back_exactly(db, tmp_path):
    call_command("export_content", dir=tmp_path, stdout=StringIO())
    written = (tmp_path / "references.yaml").read_text(encoding="utf-8")
    assert written == sources_path().read_text(encoding="utf-8")


def test_changing_a_sources_text_marks_every_citing_article_changed_since_review(client, citing):
    one, two, other = citing
    assert all(article.review_is_current for article in citing)
    source = CitedSource.objects.get(key="berman2000")
    source.text = "Berman RM, et al. A different paper. 2001."
    source.save()
    for article in (one, two):
        article = Article.objects.get(pk=article.pk)
        assert article.review_state() == ReviewState.NOT_REVIEWED
        assert "Medically reviewed" not in public_html(client, article)
    assert Article.objects.get(pk=other.pk).review_is_current


def test_an_editors_change_to_a_source_waits_and_articles_keep_their_review(
    client, citing, reviewer
):
    one = citing[0]
    source = CitedSource.objects.get(key="berman2000")
    client.force_login(staff_in_group("editor", "Editor"))
    url = reverse("admin:articles_citedsource_change", args=[source.pk])
    data = {"key": "berman2000", "text": "A made-up study says ketamine cures all.", "url": ""}
    response = client.post(url, data, follow=True)
    assert "waiting for clinical review" in response.content.decode()
    assert CitedSource.objects.get(pk=source.pk).text == source.text
    html = text_of(public_html(client, one))
    assert "made-up study" not in html and "Medically reviewed by Dr Ada Example" in html

    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    client.force_login(reviewer)
    client.post(
        reverse("admin:articles_pendingchange_change", args=[change.pk]), {"action": "approve"}
    )
    html = text_of(public_html(client, Article.objects.get(pk=one.pk)))
    assert "made-up study" in html  # the References list shows the approved text
    assert "Medically reviewed" not in html  # and the article's review no longer covers it


def test_import_and_export_of_sources_round_trip(db, tmp_path):
    call_command("export_content", dir=tmp_path, stdout=StringIO())
    out = StringIO()
    call_command("import_content", dir=tmp_path, stdout=out)
    assert "Created source" not in out.getvalue() and "Updated source" not in out.getvalue()
    assert load_sources() == load_sources(sources_path())


def test_a_source_address_must_be_a_web_address(client, db):
    client.force_login(staff_in_group("editor", "Editor"))
    data = {"key": "new2024", "text": "A real paper. 2024.", "url": "javascript:alert(1)"}
    response = client.post(reverse("admin:articles_citedsource_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not PendingChange.objects.exists()
