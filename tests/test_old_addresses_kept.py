"""A published article's old address keeps leading to it, whatever drafts are created
(issue 24): the admin refuses the old address as a new slug, next to the field, and an
article saved with it anyway (an import) leaves the redirect working."""

import re

import pytest

from articles import review
from articles.models import Article, ArticleSlugRedirect, Status
from tests.staff import staff_in_group
from tests.test_admin_editing import change_url, form_data

REFUSAL = (
    "The address /articles/old-name/ used to belong to “Renamed article”, and old links "
    "and bookmarks still lead there. Please choose another web address."
)


@pytest.fixture
def renamed(make_article) -> Article:
    """A published article that moved from /articles/old-name/ to /articles/new-name/."""
    article = make_article(title="Renamed article", slug="old-name")
    article.slug = "new-name"
    article.save()
    return article


@pytest.fixture
def editor(db):
    return staff_in_group("editor", "Editor")


def assert_old_address_redirects(client) -> None:
    client.logout()
    response = client.get("/articles/old-name/")
    assert response.status_code == 301 and response["Location"] == "/articles/new-name/"


def slug_errors(html: str) -> str:
    """The error list the admin shows with the slug field."""
    match = re.search(r'<div class="[^"]*field-slug[^"]*">(.*?)</div>\s*</div>', html, re.S)
    assert match, "no slug field on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_an_editor_creating_a_draft_at_an_old_address_is_refused_next_to_the_slug(
    client, editor, renamed
):
    client.force_login(editor)
    data = {
        "title": "A new draft",
        "slug": "old-name",
        "summary": "A summary.",
        "topic": "basics",
        "order": 5,
        "body": "Some text.",
        "publish_at_0": "2026-01-01",
        "publish_at_1": "00:00:00",
    }
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSAL in slug_errors(html)
    assert "Some text." in html  # nothing the editor typed is lost
    assert not Article.objects.filter(title="A new draft").exists()
    assert ArticleSlugRedirect.objects.filter(old_slug="old-name", article=renamed).exists()
    assert_old_address_redirects(client)

    # Another address is accepted.
    client.force_login(editor)
    data["slug"] = "a-new-draft"
    assert client.post("/admin/articles/article/add/", data).status_code == 302
    assert Article.objects.get(slug="a-new-draft").status == Status.DRAFT


def test_an_editor_moving_a_live_article_to_another_articles_old_address_is_refused(
    client, editor, renamed, make_article
):
    other = make_article(title="Other", slug="other")
    client.force_login(editor)
    response = client.post(change_url(other), form_data(other, slug="old-name"))
    assert response.status_code == 200
    assert REFUSAL in slug_errors(response.content.decode())
    assert not review.changes_to(other).exists()  # no change waits with that address either
    assert_old_address_redirects(client)


def test_an_article_may_take_back_its_own_old_address(client, renamed):
    renamed.slug = "old-name"
    renamed.full_clean()
    renamed.save()
    assert client.get("/articles/old-name/").status_code == 200
    assert client.get("/articles/new-name/")["Location"] == "/articles/old-name/"


def test_a_draft_saved_at_an_old_address_outside_the_admin_leaves_the_redirect(
    client, renamed, make_article
):
    """import_content and the shell do not go through the form: the redirect stays, and
    visitors at the old address still reach the published article."""
    draft = make_article(title="Imported draft", slug="old-name", status=Status.DRAFT)
    assert ArticleSlugRedirect.objects.filter(old_slug="old-name", article=renamed).exists()
    assert_old_address_redirects(client)
    # Staff who may preview drafts see the draft at its address.
    client.force_login(staff_in_group("editor", "Editor"))
    assert "Imported draft" in client.get("/articles/old-name/").content.decode()
    assert draft.slug_taken_by_an_old_address() == REFUSAL
