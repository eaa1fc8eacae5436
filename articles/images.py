"""Images that clinicians add to articles: checked, cleaned and stored.

An uploaded file is trusted for nothing: its name and declared type are ignored, and
only what Pillow recognises in the bytes counts. Only JPEG, PNG and WebP are kept.
Every image is decoded and re-encoded from its pixels alone, so metadata (camera, GPS
position, comments) never reaches the site, and nothing but pixel data can hide in the
stored file. It is stored under a name we make up, with the extension of its real format.
"""

import io
import uuid
import warnings
from html.parser import HTMLParser

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_WIDTH = 1600
UPLOAD_DIRECTORY = "articles/images"

# Pillow format name -> extension of the stored file.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Inserted as the alt text of a new image, so the clinician sees it must be replaced.
ALT_TEXT_PROMPT = "Describe this image for people who cannot see it"

FORMAT_MESSAGE = "Please upload a photo or picture as a JPEG, PNG or WebP file."


class ImageRejected(Exception):
    """An upload we refuse, with a message for the clinician and the HTTP status to send."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def store_article_image(upload: UploadedFile) -> str:
    """Check, clean and store an uploaded image; return its public URL."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise too_large_in_bytes()
    image = open_checked_image(upload)
    data = clean_image_bytes(image)
    name = default_storage.save(
        f"{UPLOAD_DIRECTORY}/{uuid.uuid4().hex}.{EXTENSIONS[image.format]}", ContentFile(data)
    )
    return default_storage.url(name)


def too_large_in_bytes() -> ImageRejected:
    return ImageRejected(
        f"This image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
        "Please make it smaller and try again.",
        status=413,
    )


def open_checked_image(file) -> Image.Image:
    """The decoded image, if the bytes are a whole JPEG, PNG or WebP of a sensible size.

    The pixel count is read from the header and checked before the pixels are decoded,
    so a small file that claims to be enormous (a "decompression bomb") costs nothing.
    """
    # Pillow warns, then refuses, above its own MAX_IMAGE_PIXELS; our limit is lower and
    # checked first, but a warning must never let an image through, so it is an error.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            file.seek(0)
            image = Image.open(file, formats=list(EXTENSIONS))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise too_many_pixels()
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            # Not an allowed format, or a damaged or truncated file.
            raise ImageRejected(FORMAT_MESSAGE) from None
    return image


def too_many_pixels() -> ImageRejected:
    return ImageRejected(
        f"This image has more than {MAX_PIXELS // 1_000_000} million pixels. "
        "Please make it smaller and try again.",
        status=413,
    )


def clean_image_bytes(image: Image.Image) -> bytes:
    """The image re-encoded from its pixels: upright, at most MAX_WIDTH wide, no metadata."""
    # Apply the camera's orientation first: the EXIF tag that records it is dropped below.
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if has_transparency(upright) and image.format != "JPEG" else "RGB"
    pixels = upright.convert(mode)
    # A new image made from raw pixel bytes carries nothing else: no EXIF, XMP, ICC or text.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    if clean.width > MAX_WIDTH:
        height = max(1, round(clean.height * MAX_WIDTH / clean.width))
        clean = clean.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    save_options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}}
    clean.save(output, format=image.format, **save_options.get(image.format, {"quality": 85}))
    return output.getvalue()


def has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


class _ImageAltCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            self.images.append((values.get("src") or "", (values.get("alt") or "").strip()))


def images_without_alt_text(html: str) -> list[str]:
    """Addresses of images that have no description (or still the upload's prompt).

    Read from the rendered HTML, so every Markdown way of writing an image is covered.
    """
    collector = _ImageAltCollector()
    collector.feed(html)
    return [src for src, alt in collector.images if not alt or alt == ALT_TEXT_PROMPT]
