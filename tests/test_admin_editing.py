"""Clinicians edit articles in the admin: editor, list, checks, revisions, old addresses."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSlugRedirect, Status
from tests.reviewing import sign_off
from tests.staff import staff_in_group

CHANGELIST = "/admin/articles/article/"
HARD_BODY = (
    "## Pharmacological considerations\n\n"
    "Intravenous ketamine administration necessitates comprehensive cardiovascular "
    "monitoring, particularly regarding transient hypertensive responses, dissociative "
    "phenomenology, and potential interactions with concomitant psychotropic medications "
    "administered contemporaneously for treatment-resistant depressive disorders.\n"
)


@pytest.fixture
def reviewer(db):
    return staff_in_group("reviewer", "Clinical reviewer")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article: Article, **changes) -> dict:
    """What the admin change form posts for this article, with some fields changed."""
    publish_at = timezone.localtime(article.publish_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "order": article.order,
        "body": article.body,
        "status": article.status,
        "publish_at_0": publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": publish_at.strftime("%H:%M:%S"),
        "author": article.author_id or "",
        "reviewer": article.reviewer_id or "",
        "reviewed_on": article.reviewed_on or "",
        "next_review_due": article.next_review_due or "",
    }
    data.update(changes)
    return data


def test_add_page_has_the_markdown_editor_wired_to_our_endpoints(reviewer_client):
    html = reviewer_client.get("/admin/articles/article/add/").content.decode()
    assert 'class="markdownx"' in html and "markdownx-preview" in html
    assert 'data-markdownx-urls-path="/editor/markdownify/?model=articles.article"' in html
    assert 'data-markdownx-upload-urls-path="/editor/upload/"' in html
    assert "editor/editor.js" in html  # upload messages, "Add an image", styled preview
    assert "Formatting help" in html and '!!! when-to-get-help "After a dose' in html
    # The slug is filled in from the title as the clinician types it.
    assert (
        "&quot;id&quot;: &quot;#id_slug&quot;, &quot;name&quot;: &quot;slug&quot;, "
        "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]"
    ) in html


def test_list_shows_where_each_article_stands(reviewer_client, make_article):
    today = timezone.localdate()
    sign_off(make_article(title="Live one"), next_due=today + datetime.timedelta(days=200))
    make_article(title="Draft one", status=Status.DRAFT)
    make_article(
        title="Later one",
        publish_at=timezone.make_aware(datetime.datetime(2099, 3, 4, 9, 30)),
    )
    sign_off(make_article(title="Overdue one"), next_due=datetime.date(2020, 1, 5))
    sign_off(make_article(title="Soon one"), next_due=today + datetime.timedelta(days=12))
    changed = sign_off(make_article(title="Changed one"))
    changed.body += "\nA new sentence."
    changed.save()
    html = reviewer_client.get(CHANGELIST).content.decode()
    assert "Live" in html and "Draft (staff only)" in html
    assert "Scheduled for March 4, 2099, 9:30 a.m." in html
    assert '<span class="review-overdue">Overdue since January 5, 2020</span>' in html
    assert '<span class="review-overdue">Changed since its review</span>' in html
    assert '<span class="review-soon">Due in 12 days</span>' in html
    assert "Not reviewed yet" in html
    assert "Up to date until" in html


def titles_in(html: str) -> set[str]:
    return set(re.findall(r'<th class="field-title"><a [^>]*>([^<]+)</a>', html))


def test_review_due_filter_lists_overdue_and_soon_articles(reviewer_client, make_article):
    today = timezone.localdate()
    sign_off(make_article(title="Overdue"), next_due=today - datetime.timedelta(days=1))
    sign_off(make_article(title="Due in 30 days"), next_due=today + datetime.timedelta(days=30))
    sign_off(make_article(title="Due in 31 days"), next_due=today + datetime.timedelta(days=31))
    make_article(title="Never reviewed")
    due = reviewer_client.get(CHANGELIST + "?review=due").content.decode()
    assert titles_in(due) == {"Overdue", "Due in 30 days"}
    overdue = reviewer_client.get(CHANGELIST + "?review=overdue").content.decode()
    assert titles_in(overdue) == {"Overdue"}
    never = reviewer_client.get(CHANGELIST + "?review=never").content.decode()
    assert titles_in(never) == {"Never reviewed"}


def test_admin_home_says_how_many_articles_need_review(reviewer_client, make_article):
    today = timezone.localdate()
    sign_off(make_article(), next_due=datetime.date(2020, 1, 1))
    sign_off(make_article(), next_due=today + datetime.timedelta(days=3))
    sign_off(make_article(), next_due=today + datetime.timedelta(days=300))
    make_article()  # never reviewed
    make_article(status=Status.DRAFT)  # not on the site: not counted
    html = reviewer_client.get("/admin/").content.decode()
    assert "1 published article</strong> overdue for medical review." in html
    assert "1 published article</strong> due for medical review within 30 days." in html
    assert "1 published article</strong> not yet reviewed by a clinician." in html
    assert 'href="/admin/articles/article/?review=due&amp;status__exact=published"' in html
    never = reviewer_client.get(CHANGELIST + "?review=never&status__exact=published")
    assert len(titles_in(never.content.decode())) == 1


def test_admin_home_says_when_all_reviews_are_up_to_date(reviewer_client, make_article):
    sign_off(make_article(), next_due=timezone.localdate() + datetime.timedelta(days=300))
    html = reviewer_client.get("/admin/").content.decode()
    assert "All published articles are reviewed and up to date" in html


def test_change_page_shows_reading_level_and_warns_above_the_ceiling(reviewer_client, make_article):
    article = make_article(body=HARD_BODY)
    stats = article.reading_stats()
    assert stats.grade > 8
    html = reviewer_client.get(change_url(article)).content.decode()
    assert f"Reading level: grade {stats.grade} (aim for 6.5 or below)" in html
    assert f"{stats.words} words" in html and f"about {stats.minutes} min to read" in html
    assert "⚠ reading grade over 6.5" in html


def test_change_page_lists_images_without_alt_text(reviewer_client, make_article):
    article = make_article(
        body="Text.\n\n![](/media/articles/images/a.png)\n\n![A clinic room](/media/b.png)\n"
    )
    html = reviewer_client.get(change_url(article)).content.decode()
    assert "1 image(s) without a description (alt text): /media/articles/images/a.png" in html
    assert "/media/b.png" not in html.split("without a description")[1].split("</li>")[0]


def test_view_on_site_shows_a_draft_to_staff_only(client, reviewer_client, make_article):
    draft = make_article(slug="a-draft", status=Status.DRAFT)
    content_type = ContentType.objects.get_for_model(Article)
    shortcut = reverse("admin:view_on_site", args=[content_type.pk, draft.pk])
    assert shortcut in reviewer_client.get(change_url(draft)).content.decode()
    response = reviewer_client.get(shortcut)
    assert response.status_code == 302 and response["Location"].endswith("/articles/a-draft/")
    preview = reviewer_client.get("/articles/a-draft/")
    assert preview.status_code == 200 and "Draft preview." in preview.content.decode()
    client.logout()
    assert client.get("/articles/a-draft/").status_code == 404


def test_scheduled_article_is_a_preview_for_staff_and_404_for_visitors(
    client, reviewer_client, make_article
):
    make_article(slug="next-week", publish_at=timezone.now() + datetime.timedelta(days=7))
    assert reviewer_client.get("/articles/next-week/").status_code == 200
    client.logout()
    assert client.get("/articles/next-week/").status_code == 404


# --- Revisions --------------------------------------------------------------------


@pytest.fixture
def revised_article(client, make_article, reviewer):
    """A draft saved three times in the admin by the reviewer."""
    client.force_login(reviewer)
    article = make_article(title="Sleep", body="First line.\nSecond line.\n", status=Status.DRAFT)
    for body in ["First line.\nA better second line.\n", "Completely new text.\n"]:
        response = client.post(change_url(article), form_data(article, body=body))
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
    return article


def test_every_save_keeps_a_revision_with_who_and_what(revised_article, reviewer):
    revisions = list(revised_article.history.all())
    assert len(revisions) == 3  # created, then two admin saves
    newest, middle, oldest = revisions
    assert newest.history_user == reviewer and middle.history_user == reviewer
    assert newest.body == "Completely new text."  # the form trims the last line break
    assert oldest.body == "First line.\nSecond line.\n"


def test_history_page_offers_to_compare_two_versions(client, revised_article):
    html = client.get(
        reverse("admin:articles_article_history", args=[revised_article.pk])
    ).content.decode()
    assert "Compare two versions" in html
    assert html.count('<option value="') == 6  # three revisions in each of two lists
    assert html.count('<td data-label="Saved by">reviewer</td>') == 2  # who saved each
    assert '<td data-label="Saved by">Imported from content/</td>' in html  # the first
    assert '<td data-label="What changed">Text</td>' in html  # in plain words
    assert "None" not in html.split('id="change-history"')[1]


def test_compare_shows_what_changed_between_two_revisions(client, revised_article):
    newest, _, oldest = revised_article.history.all()
    url = reverse("admin:articles_article_compare", args=[revised_article.pk])
    response = client.get(url, {"from": oldest.history_id, "to": newest.history_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>First line.\nSecond line.</del>" in html
    assert "<ins>Completely new text.</ins>" in html
    headings = re.findall(r'<h2 id="difference-[a-z_]+">([^<]+)</h2>', html)
    assert headings == ["Text"]  # unchanged fields are not shown
    assert "@@" not in html and "chars]" not in html


def test_restoring_an_old_revision_brings_back_its_text(client, revised_article, reviewer):
    oldest = revised_article.history.earliest()
    restore_url = reverse(
        "admin:articles_article_simple_history", args=[revised_article.pk, oldest.history_id]
    )
    form = client.get(restore_url).content.decode()
    assert "Revert" in form and "First line." in form
    response = client.post(restore_url, form_data(oldest.instance, body=oldest.body))
    assert response.status_code == 302
    revised_article.refresh_from_db()
    assert revised_article.body.strip() == "First line.\nSecond line."
    assert "<p>First line.\nSecond line.</p>" in revised_article.body_html
    latest = revised_article.history.latest()
    assert latest.history_user == reviewer and latest.body.strip() == oldest.body.strip()


def test_someone_who_may_only_view_articles_cannot_restore(client, revised_article):
    from tests.staff import staff_with_permissions

    client.force_login(staff_with_permissions("viewer", "view_article"))
    oldest = revised_article.history.earliest()
    restore_url = reverse(
        "admin:articles_article_simple_history", args=[revised_article.pk, oldest.history_id]
    )
    response = client.post(restore_url, form_data(oldest.instance, body=oldest.body))
    assert response.status_code == 403
    revised_article.refresh_from_db()
    assert revised_article.body == "Completely new text."


# --- Old addresses ------------------------------------------------------------------


def test_renamed_published_article_redirects_permanently(client, make_article):
    article = make_article(slug="old-name")
    article.slug = "new-name"
    article.save()
    response = client.get("/articles/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-name/"
    assert client.get("/articles/new-name/").status_code == 200


def test_renaming_in_the_admin_keeps_the_old_link_working(client, reviewer_client, make_article):
    article = make_article(slug="ketamine-basics")
    response = reviewer_client.post(
        change_url(article), form_data(article, slug="what-is-ketamine")
    )
    assert response.status_code == 302
    client.logout()
    response = client.get("/articles/ketamine-basics/")
    assert response.status_code == 301 and response["Location"] == "/articles/what-is-ketamine/"


def test_chain_of_renames_all_lead_to_the_current_address(client, make_article):
    article = make_article(slug="one")
    for slug in ["two", "three"]:
        article.slug = slug
        article.save()
    for old in ["one", "two"]:
        assert client.get(f"/articles/{old}/")["Location"] == "/articles/three/"


def test_renaming_back_removes_the_redirect_from_the_live_slug(client, make_article):
    article = make_article(slug="first")
    article.slug = "second"
    article.save()
    article.slug = "first"
    article.save()
    assert client.get("/articles/first/").status_code == 200
    assert client.get("/articles/second/")["Location"] == "/articles/first/"
    assert not ArticleSlugRedirect.objects.filter(old_slug="first").exists()


def test_renamed_draft_leaves_no_redirect(client, make_article):
    article = make_article(slug="draft-name", status=Status.DRAFT)
    article.slug = "other-draft-name"
    article.save()
    assert not ArticleSlugRedirect.objects.exists()
    assert client.get("/articles/draft-name/").status_code == 404


def test_old_address_of_an_unpublished_article_is_a_404(client, make_article):
    """A redirect must not reveal where a withdrawn article now lives."""
    article = make_article(slug="was-public")
    article.slug = "now-withdrawn"
    article.status = Status.DRAFT
    article.save()
    assert client.get("/articles/was-public/").status_code == 404
