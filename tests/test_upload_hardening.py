"""Uploads and image paths under hostile or unusual input (issue 16): a clear refusal, never
a 500, never a file left behind, and bounded memory per upload."""

import io
import json
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from foundation import images
from tests.uploads import stored_files

UPLOAD = settings.MARKDOWNX_UPLOAD_URLS_PATH
PREVIEW = settings.MARKDOWNX_URLS_PATH + "?model=articles.article"  # the editor names the model


def png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, data: bytes):
    return client.post(UPLOAD, {"image": SimpleUploadedFile("x.png", data, "image/png")})


@pytest.mark.parametrize("size", [(1000, 20000), (10, 20000), (20000, 10)])
def test_image_too_tall_or_wide_for_webp_is_refused_politely_and_stores_nothing(
    editor_client, media_root, size
):
    response = upload(editor_client, png(size))
    assert response.status_code == 400
    assert response.json() == {
        "error": "This image is too tall or too wide: at most 16,383 pixels on each side. "
        "Please crop it or make it smaller and try again."
    }
    assert stored_files(media_root) == []


def test_a_copy_that_cannot_be_made_leaves_no_file_behind(editor_client, media_root, monkeypatch):
    def refuse(image, width):
        raise OSError("encoder refused")

    monkeypatch.setattr(images, "webp_copy", refuse)
    response = upload(editor_client, png((800, 600)))
    assert response.status_code == 400
    assert "could not be processed" in response.json()["error"]
    assert stored_files(media_root) == []


def test_a_failed_write_removes_what_was_already_written(editor_client, media_root, monkeypatch):
    from django.core.files.storage import default_storage

    real_save, calls = default_storage.save, []

    def save_twice_then_fail(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", save_twice_then_fail)
    with pytest.raises(OSError):
        images.store_article_image(SimpleUploadedFile("x.png", png((1000, 600)), "image/png"))
    assert stored_files(media_root) == []


def test_a_large_upload_is_shrunk_before_it_is_copied(tmp_path):
    """A 5000x5000 PNG (25 MP, at the limit) once took one worker to 680 MB. Measured in a
    fresh process (peak resident memory), with Django loaded as in a worker."""
    picture = tmp_path / "big.png"
    picture.write_bytes(png((5000, 5000)))
    script = textwrap.dedent(
        f"""
        import json, os, resource, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "clinic_site.test_settings"
        django.setup()
        from django.conf import settings
        settings.MEDIA_ROOT = {str(tmp_path / "media")!r}
        from django.core.files.uploadedfile import SimpleUploadedFile
        from foundation.images import store_article_image
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        data = open({str(picture)!r}, "rb").read()
        url = store_article_image(SimpleUploadedFile("big.png", data, "image/png"))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({{"url": url, "before_kb": before, "after_kb": after}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    used_mb = (measured["after_kb"] - measured["before_kb"]) / 1024
    assert measured["url"].startswith("/media/articles/images/")
    # One decoded copy of the picture (25 MP x 4 bytes = 100 MB) plus small copies.
    assert used_mb < 200, f"one upload took {used_mb:.0f} MB"
    stored = Image.open(next((tmp_path / "media").rglob("*.png")))
    assert stored.size == (1600, 1600)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (4800, 3200), "white").save(buffer, "JPEG")
    opened = images.open_checked_image(io.BytesIO(buffer.getvalue()))
    assert opened.width < 4800  # draft mode: the full-size pixels never decoded
    url = images.store_article_image(SimpleUploadedFile("p.jpg", buffer.getvalue(), "image/jpeg"))
    stored = Image.open(media_root / url.removeprefix(settings.MEDIA_URL))
    assert stored.size == (1600, 1067)


DOTTED = "Before.\n\n![A chart](/media/articles/images/../../../etc/passwd)\n\nAfter."


def test_preview_with_a_dotted_image_path_renders_the_rest_and_says_why(editor_client):
    response = editor_client.post(PREVIEW, {"content": DOTTED})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Before.</p>" in html and "<p>After.</p>" in html
    assert "[Image not found: A chart]" in html
    assert "/etc/passwd" not in html.split("</p>", 1)[1]  # no <img> pointing there
    assert "This image cannot be shown: /media/articles/images/../../../etc/passwd" in html


def test_article_with_a_dotted_image_path_saves_and_shows_the_image_as_missing(db, client):
    article = Article.objects.create(
        title="Dots", slug="dots", summary="s", body=DOTTED, status="published"
    )
    assert "[Image not found: A chart]" in article.body_html
    assert "<img" not in article.body_html
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "After." in response.content.decode()
