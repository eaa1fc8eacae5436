"""Only published articles whose publish time has come are shown to visitors."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from articles.models import Article, Status


@pytest.fixture
def three_articles(make_article):
    visible = make_article(title="Visible article", slug="visible")
    draft = make_article(title="Draft article", slug="draft", status=Status.DRAFT)
    scheduled = make_article(
        title="Scheduled article",
        slug="scheduled",
        publish_at=timezone.now() + datetime.timedelta(days=2),
    )
    return visible, draft, scheduled


def test_published_queryset_excludes_drafts_and_scheduled(three_articles):
    visible, _, _ = three_articles
    assert list(Article.objects.published()) == [visible]


@pytest.mark.parametrize("slug", ["draft", "scheduled"])
def test_unpublished_article_is_404_for_visitors(client, three_articles, slug):
    """A draft or a scheduled article is a 404 for visitors."""
    assert client.get(f"/articles/{slug}/").status_code == 404


def test_unpublished_articles_are_absent_from_lists(client, three_articles):
    for url in ["/", "/articles/"]:
        html = client.get(url).content.decode()
        assert "Visible article" in html
        assert "Draft article" not in html and "Scheduled article" not in html


def test_scheduled_article_appears_by_itself_when_its_time_comes(client, make_article):
    article = make_article(slug="soon", publish_at=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get("/articles/soon/").status_code == 404
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/articles/soon/").status_code == 200


def test_staff_editor_sees_a_marked_draft_preview(client, three_articles):
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)
    response = client.get("/articles/draft/")
    assert response.status_code == 200
    assert "Draft preview." in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_staff_without_article_permission_gets_404(client, three_articles):
    client.force_login(User.objects.create_user("desk", password="pw", is_staff=True))
    assert client.get("/articles/draft/").status_code == 404
