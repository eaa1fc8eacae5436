"""Images uploaded in the editor: only real JPEG, PNG and WebP, cleaned before storing.

Every refused kind of file gets a 4xx with a message the editor can show, and leaves
nothing behind in MEDIA_ROOT. An accepted image is re-encoded from its pixels, without
metadata, at most 1600 px wide, under a random name with its real format's extension.
"""

import io
import re
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from foundation.images import images_without_alt_text
from foundation.markdown import render_markdown
from tests.uploads import stored_files

UPLOAD = settings.MARKDOWNX_UPLOAD_URLS_PATH
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


def image_bytes(format: str, size=(64, 48), color="teal", mode="RGB", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format, **save_options)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a "decompression bomb"."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_gps_and_rotation() -> bytes:
    """A 2000x1000 photo taken "sideways", with the camera's GPS position in its EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # display rotated 90° clockwise
    exif[ExifTags.Base.Make] = "ExampleCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 42.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (74.0, 0.0, 21.0)
    image = Image.new("RGB", (2000, 1000), "white")
    image.paste((200, 0, 0), (0, 0, 1000, 1000))  # left half red: shows where the top went
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"private note")
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it is there
    return data


def upload(client, data: bytes, name: str, content_type: str):
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data, content_type=content_type)})


BAD_UPLOADS = {
    "text named .png": (b"just some words, not a picture at all\n" * 20, "photo.png", "image/png"),
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>',
        "drawing.svg",
        "image/svg+xml",
    ),
    "html declared as png": (
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        "page.png",
        "image/png",
    ),
    "gif": (image_bytes("GIF"), "animation.gif", "image/gif"),
    "gif named .png": (image_bytes("GIF"), "animation.png", "image/png"),
    "bmp": (image_bytes("BMP"), "old.png", "image/png"),
    "truncated png": (
        image_bytes("PNG", size=(400, 300), color="red")[:200],
        "cut.png",
        "image/png",
    ),
    "corrupt jpeg": (image_bytes("JPEG")[:30] + b"\x00" * 500, "broken.jpg", "image/jpeg"),
    "empty file": (b"", "empty.png", "image/png"),
}


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_bad_upload_is_refused_with_a_message_and_stores_nothing(editor_client, media_root, kind):
    data, name, content_type = BAD_UPLOADS[kind]
    response = upload(editor_client, data, name, content_type)
    assert response.status_code == 400
    assert "image_code" not in response.json()
    assert response.json()["error"]  # something the editor can show
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "width,height", [(30000, 30000), (6000, 5000)], ids=["bomb over Pillow's limit", "over 25 MP"]
)
def test_picture_with_too_many_pixels_is_refused_before_decoding(
    editor_client, media_root, width, height
):
    response = upload(editor_client, png_claiming_size(width, height), "huge.png", "image/png")
    assert response.status_code == 413
    assert response.json() == {
        "error": "This image has more than 25 million pixels. Please make it smaller and try again."
    }
    assert stored_files(media_root) == []


@pytest.mark.parametrize("extra_bytes", [1, 200 * 1024], ids=["just over", "far over"])
def test_file_over_5_mb_is_refused(editor_client, media_root, extra_bytes):
    data = image_bytes("PNG") + b"\x00" * (5 * 1024 * 1024 + extra_bytes)
    response = upload(editor_client, data, "big.png", "image/png")
    assert response.status_code == 413
    assert response.json() == {
        "error": "This image is larger than 5 MB. Please make it smaller and try again."
    }
    assert stored_files(media_root) == []


def stored_image(media_root, response) -> tuple:
    assert response.status_code == 200, response.content
    [path] = [path for path in stored_files(media_root) if STORED_NAME.match(path.name)]
    url = re.fullmatch(r"!\[[^\]]+\]\((.+)\)", response.json()["image_code"]).group(1)
    assert url == f"{settings.MEDIA_URL}articles/images/{path.name}"
    assert path.parent == media_root / "articles" / "images"
    return path, Image.open(path)


def test_jpeg_is_stored_upright_and_without_metadata(editor_client, media_root):
    """GPS position, camera details and comments are gone; the orientation is applied."""
    response = upload(editor_client, jpeg_with_gps_and_rotation(), "IMG_0001.JPG", "image/jpeg")
    path, stored = stored_image(media_root, response)
    assert STORED_NAME.match(path.name) and path.suffix == ".jpg"
    assert stored.format == "JPEG"
    assert stored.size == (1000, 2000)  # turned upright
    assert not stored.getexif()
    assert "exif" not in stored.info and "comment" not in stored.info
    assert b"ExampleCam" not in path.read_bytes() and b"private note" not in path.read_bytes()
    top_pixel = stored.convert("RGB").getpixel((500, 10))
    assert top_pixel[0] > 150 and top_pixel[1] < 80  # the red half is now on top


def test_wide_png_is_resized_to_1600_px_and_loses_its_text_chunks(editor_client, media_root):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Dr Example, home address 1 Main St")
    data = image_bytes("PNG", size=(3200, 800), pnginfo=info)
    path, stored = stored_image(media_root, upload(editor_client, data, "wide.png", "image/png"))
    assert path.suffix == ".png" and stored.format == "PNG"
    assert stored.size == (1600, 400)
    assert not stored.info.get("Author") and b"Main St" not in path.read_bytes()


def test_transparent_png_keeps_its_transparency(editor_client, media_root):
    data = image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0))
    _, stored = stored_image(media_root, upload(editor_client, data, "logo.png", "image/png"))
    assert stored.mode == "RGBA" and stored.getpixel((0, 0))[3] == 0


def test_the_real_format_decides_the_extension_not_the_name(editor_client, media_root):
    data = image_bytes("WEBP")
    path, stored = stored_image(media_root, upload(editor_client, data, "photo.png", "image/png"))
    assert path.suffix == ".webp" and stored.format == "WEBP"


def test_two_uploads_of_the_same_name_get_different_names(editor_client, media_root):
    for _ in range(2):
        assert upload(editor_client, image_bytes("PNG"), "same.png", "image/png").status_code == 200
    names = {path.name for path in stored_files(media_root) if STORED_NAME.match(path.name)}
    assert len(names) == 2 and "same.png" not in names


def test_images_without_a_description_are_found():
    html = render_markdown(
        "![](/media/a.png)\n\n"
        "![Describe this image for people who cannot see it](/media/b.png)\n\n"
        "![A nurse checks blood pressure](/media/c.png)\n\n"
        '<img src="/media/d.png">'
    ).html
    assert images_without_alt_text(html) == ["/media/a.png", "/media/b.png", "/media/d.png"]


# --- Responsive WebP copies -------------------------------------------------------------


def test_an_upload_gets_webp_copies_for_smaller_screens(editor_client, media_root):
    data = image_bytes("JPEG", size=(2000, 1000))
    path, stored = stored_image(media_root, upload(editor_client, data, "photo.jpg", "image/jpeg"))
    assert stored.size == (1600, 800)
    for width in (480, 960, 1600):
        copy = Image.open(path.with_name(f"{path.stem}-{width}w.webp"))
        assert copy.format == "WEBP" and copy.size == (width, width // 2)
    assert len(stored_files(media_root)) == 4  # the cleaned original and three copies


def test_a_small_upload_is_never_enlarged(editor_client, media_root):
    path, _ = stored_image(
        media_root, upload(editor_client, image_bytes("PNG"), "a.png", "image/png")
    )
    assert [p.name for p in stored_files(media_root) if p != path] == [f"{path.stem}-64w.webp"]


def test_an_uploaded_image_in_an_article_is_responsive_sized_and_lazy(editor_client, media_root):
    data = image_bytes("JPEG", size=(2000, 1000))
    response = upload(editor_client, data, "photo.jpg", "image/jpeg")
    url = re.fullmatch(r"!\[[^\]]+\]\((.+)\)", response.json()["image_code"]).group(1)
    html = render_markdown(f"Text first.\n\n![A calm treatment room]({url})").html
    stem = url.rsplit(".", 1)[0]
    assert (
        f'<picture><source type="image/webp" srcset="{stem}-480w.webp 480w, '
        f'{stem}-960w.webp 960w, {stem}-1600w.webp 1600w" sizes="(min-width: 48rem) 44rem, 100vw">'
    ) in html
    image = re.search(r"<img [^>]*>", html).group(0)
    for attribute in ('width="1600"', 'height="800"', 'loading="lazy"', 'decoding="async"',
                      f'src="{url}"', 'alt="A calm treatment room"'):  # fmt: skip
        assert attribute in image
    assert html.count("</picture>") == 1
