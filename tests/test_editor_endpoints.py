"""The Markdown editor's preview and upload endpoints serve only staff who edit articles.

markdownx's own views are never mounted: ours sit at MARKDOWNX_URLS_PATH and
MARKDOWNX_UPLOAD_URLS_PATH, refuse everyone else without doing any work, accept only
CSRF-protected POSTs, and render the preview with the same sanitiser as the site.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from foundation.editor_widgets import preview_path
from tests.staff import staff_in_group, staff_with_permissions
from tests.test_markdown_rendering import FORBIDDEN, HOSTILE_INPUTS
from tests.uploads import stored_files

# The editor's widget names the model being edited (foundation/editor_widgets.py).
PREVIEW = preview_path("articles.article")
UPLOAD = settings.MARKDOWNX_UPLOAD_URLS_PATH

EXTRA_HOSTILE_INPUTS = [
    "<img src=x onerror=alert(1)>",
    '<a href=" javascript:alert(1)">spaced</a>',
    "[x](java\tscript:alert(1))",
    "<svg><script>alert(1)</script></svg>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<div style="position:fixed;inset:0">cover</div>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
]


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_editor_widget_is_pointed_at_our_endpoints():
    assert settings.MARKDOWNX_URLS_PATH == "/editor/markdownify/"
    assert PREVIEW == "/editor/markdownify/?model=articles.article"
    assert UPLOAD == "/editor/upload/"


def test_markdownx_own_urls_are_not_mounted(editor_client):
    """markdownx's unprotected views are not reachable at their default paths."""
    assert editor_client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 404
    assert editor_client.post("/markdownx/upload/", {"image": png_upload()}).status_code == 404


@pytest.mark.django_db
def test_anonymous_preview_is_refused(client):
    response = client.post(PREVIEW, {"content": "**bold**"})
    assert response.status_code == 403
    assert b"<strong>" not in response.content


@pytest.mark.django_db
def test_anonymous_upload_is_refused_and_stores_nothing(client, media_root):
    response = client.post(UPLOAD, {"image": png_upload()})
    assert response.status_code == 403
    assert "image_code" not in response.json()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_staff_without_article_permission_is_refused(client, media_root):
    """Front-desk staff can sign in to the admin but cannot use the article editor."""
    client.force_login(staff_with_permissions("desk", "view_inquiry"))
    assert client.post(PREVIEW, {"content": "**bold**"}).status_code == 403
    assert client.post(UPLOAD, {"image": png_upload()}).status_code == 403
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_non_staff_user_with_the_permission_is_refused(client):
    user = staff_with_permissions("former", "change_article")
    user.is_staff = False
    user.save()
    client.force_login(user)
    assert client.post(PREVIEW, {"content": "x"}).status_code == 403


def test_only_post_is_accepted(editor_client):
    assert editor_client.get(PREVIEW).status_code == 405
    assert editor_client.get(UPLOAD).status_code == 405


@pytest.mark.django_db
def test_posts_without_the_csrf_token_are_refused(media_root):
    """The editor's JavaScript sends the csrftoken cookie as csrfmiddlewaretoken; others can't."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_in_group("editor", "Editor"))
    assert client.post(PREVIEW, {"content": "x"}).status_code == 403
    assert client.post(UPLOAD, {"image": png_upload()}).status_code == 403
    assert stored_files(media_root) == []

    client.get("/admin/articles/article/add/")  # sets the csrftoken cookie, as the page does
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(PREVIEW, {"content": "x", "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_preview_is_the_published_rendering(editor_client):
    response = editor_client.post(PREVIEW, {"content": "# Title\n\nSome **bold** text."})
    assert response.status_code == 200
    assert (
        response.content.decode()
        == '<h2 id="title">Title</h2>\n<p>Some <strong>bold</strong> text.</p>'
    )


@pytest.mark.parametrize("hostile", HOSTILE_INPUTS + EXTRA_HOSTILE_INPUTS)
def test_hostile_markdown_comes_out_of_the_preview_inert(editor_client, hostile):
    """No script, event handler, style, frame, form, svg or javascript: URL in the preview."""
    html = editor_client.post(PREVIEW, {"content": hostile}).content.decode()
    for pattern in FORBIDDEN:
        assert not pattern.search(html), f"{pattern.pattern!r} survived in {html!r}"


def test_upload_answers_with_markdown_that_asks_for_alt_text(editor_client, media_root):
    response = editor_client.post(UPLOAD, {"image": png_upload()})
    assert response.status_code == 200
    image_code = response.json()["image_code"]
    assert image_code.startswith(
        "![Describe this image for people who cannot see it](/media/articles/images/"
    )
    assert image_code.endswith(".png)")
    assert len(stored_files(media_root)) == 2  # the image and its WebP copy for srcset


def test_upload_without_a_file_is_a_clear_400(editor_client, media_root):
    response = editor_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert response.json() == {"error": "Please choose an image file to upload."}
