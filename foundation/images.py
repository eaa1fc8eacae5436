"""Images that clinicians add to articles: checked, cleaned and stored.

An uploaded file is trusted for nothing: its name and declared type are ignored, and
only what Pillow recognises in the bytes counts. Only JPEG, PNG and WebP are kept.
Every image is decoded and re-encoded from its pixels alone, so metadata (camera, GPS
position, comments) never reaches the site, and nothing but pixel data can hide in the
stored file. It is stored under a name we make up, with the extension of its real format,
next to WebP copies at a few widths so that phones download a small file (`srcset`).

When an article is rendered, every image gets its width and height (no layout shift while
it loads), lazy loading, and for uploads the WebP copies: see `image_attributes`.
"""

import io
import math
import re
import uuid
import warnings
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_WIDTH = 1600
# WebP cannot store an image taller or wider than this, and every upload gets WebP copies.
MAX_SIDE = 16383
# Before anything else is done with a large image it is shrunk, by a whole factor, to at
# most this wide: the later steps (turning upright, converting, resizing) each make a copy,
# and on a small image those copies cost little. Twice the stored width keeps the quality
# of the final LANCZOS resize.
WORKING_WIDTH = 2 * MAX_WIDTH
UPLOAD_DIRECTORY = "articles/images"

# Pillow format name -> extension of the stored file.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Inserted as the alt text of a new image, so the clinician sees it must be replaced.
ALT_TEXT_PROMPT = "Describe this image for people who cannot see it"

FORMAT_MESSAGE = "Please upload a photo or picture as a JPEG, PNG or WebP file."

# Widths of the WebP copies made of every upload (never wider than the upload itself).
RESPONSIVE_WIDTHS = (480, 960, 1600)
# How wide an article image is shown: the text column (70ch, about 44rem) or the screen.
IMAGE_SIZES = "(min-width: 48rem) 44rem, 100vw"
WEBP_QUALITY = 80
# The third and fourth numbers of the root element's viewBox: its width and height.
_SVG_SIZE = re.compile(
    r'<svg\b[^>]*?\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)'
)  # noqa: E501


class ImageRejected(Exception):
    """An upload we refuse, with a message for the clinician and the HTTP status to send."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def store_article_image(upload: UploadedFile) -> str:
    """Check, clean and store an uploaded image; return its public URL.

    Every file (the image and its WebP copies) is made in memory first and written only
    when all of them were made: a refused or failed upload leaves nothing behind.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise too_large_in_bytes()
    image = open_checked_image(upload)
    image_format = image.format
    clean = clean_image(image)
    del image  # the full-size pixels: the copies below are made from the smaller one
    name = f"{UPLOAD_DIRECTORY}/{uuid.uuid4().hex}.{EXTENSIONS[image_format]}"
    try:
        files = {name: encode(clean, image_format)}
        for width in responsive_widths(clean.width):
            files[webp_copy_name(name, width)] = webp_copy(clean, width)
    except (OSError, ValueError) as error:
        # An encoder refused these pixels (a format limit we did not foresee): say so.
        raise ImageRejected(
            "This image could not be processed. Please save it again as a JPEG or PNG "
            "of a usual size and try again."
        ) from error
    written = []
    try:
        for file_name, content in files.items():
            written.append(default_storage.save(file_name, ContentFile(content)))
    except Exception:
        for file_name in written:
            default_storage.delete(file_name)
        raise
    return default_storage.url(written[0])


def too_large_in_bytes() -> ImageRejected:
    return ImageRejected(
        f"This image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
        "Please make it smaller and try again.",
        status=413,
    )


def open_checked_image(file) -> Image.Image:
    """The decoded image, if the bytes are a whole JPEG, PNG or WebP of a sensible size.

    The pixel count and the sides are read from the header and checked before the pixels
    are decoded, so a small file that claims to be enormous (a "decompression bomb") costs
    nothing. A JPEG is decoded at a reduced scale when it is far wider than we keep
    (draft mode): its full-size pixels are never in memory.
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
            if width > MAX_SIDE or height > MAX_SIDE or stored_height(width, height) > MAX_SIDE:
                raise too_tall_or_wide()
            if image.format == "JPEG" and width > WORKING_WIDTH:
                # Pillow picks the smallest scale (1/2, 1/4, 1/8) still at least this big.
                image.draft("RGB", (MAX_WIDTH, stored_height(width, height)))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            # Not an allowed format, or a damaged or truncated file.
            raise ImageRejected(FORMAT_MESSAGE) from None
    return image


def stored_height(width: int, height: int) -> int:
    """How tall the stored image is once it is at most MAX_WIDTH wide."""
    return height if width <= MAX_WIDTH else max(1, round(height * MAX_WIDTH / width))


def too_tall_or_wide() -> ImageRejected:
    return ImageRejected(
        f"This image is too tall or too wide: at most {MAX_SIDE:,} pixels on each side. "
        "Please crop it or make it smaller and try again."
    )


def too_many_pixels() -> ImageRejected:
    return ImageRejected(
        f"This image has more than {MAX_PIXELS // 1_000_000} million pixels. "
        "Please make it smaller and try again.",
        status=413,
    )


def clean_image(image: Image.Image) -> Image.Image:
    """A new image from the pixels alone: upright, at most MAX_WIDTH wide, no metadata."""
    info, image_format = image.info, image.format
    if image.width > WORKING_WIDTH:
        # First of all, shrink by a whole factor (cheap, one small copy): the steps below
        # then copy a small image instead of a 25-megapixel one.
        image = image.reduce(math.ceil(image.width / WORKING_WIDTH))
        image.info = dict(info)  # keeps the camera's orientation for exif_transpose
    # Apply the camera's orientation first: the EXIF tag that records it is dropped below.
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if has_transparency(upright) and image_format != "JPEG" else "RGB"
    del image
    pixels = upright.convert(mode)
    del upright
    # A new image made from raw pixel bytes carries nothing else: no EXIF, XMP, ICC or text.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    del pixels
    if clean.width > MAX_WIDTH:
        height = max(1, round(clean.height * MAX_WIDTH / clean.width))
        clean = clean.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    return clean


def encode(image: Image.Image, image_format: str) -> bytes:
    output = io.BytesIO()
    save_options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}}
    image.save(output, format=image_format, **save_options.get(image_format, {"quality": 85}))
    return output.getvalue()


# --- Responsive copies ------------------------------------------------------------------


def responsive_widths(width: int) -> list[int]:
    """The standard widths below the image's own, and its own width."""
    return sorted({w for w in RESPONSIVE_WIDTHS if w < width} | {width})


def webp_copy_name(name: str, width: int) -> str:
    return f"{name.rsplit('.', 1)[0]}-{width}w.webp"


def webp_copy(image: Image.Image, width: int) -> bytes:
    if width != image.width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="WEBP", quality=WEBP_QUALITY, method=6)
    return output.getvalue()


# --- Attributes for an <img> in an article ------------------------------------------------


class ImageNotFound(Exception):
    """An image address in an article that cannot be one of the site's files."""


def image_attributes(src: str) -> dict[str, str]:
    """width and height of the image at `src` if it is one of ours, and for an upload the
    srcset of its WebP copies. Empty for anything else (the sanitiser's CSP blocks other
    sites' images anyway).

    Raises ImageNotFound for an address on this site that climbs out of its folder with
    `..`: it would name another file than it seems to, so it is shown as missing."""
    path = src.split("?", 1)[0].split("#", 1)[0]
    if path.startswith("/") and ".." in path.split("/"):
        raise ImageNotFound(src)
    uploads = settings.MEDIA_URL + UPLOAD_DIRECTORY + "/"
    if src.startswith(uploads):
        return upload_attributes(src.removeprefix(settings.MEDIA_URL))
    if src.startswith(settings.STATIC_URL):
        return static_attributes(src.removeprefix(settings.STATIC_URL))
    return {}


def upload_attributes(name: str) -> dict[str, str]:
    try:
        with default_storage.open(name) as file, Image.open(file) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError, ValueError, SuspiciousOperation):
        return {}  # gone or damaged: the editor's checks report missing images
    attributes = {"width": str(width), "height": str(height)}
    copies = [
        f"{default_storage.url(webp_copy_name(name, w))} {w}w"
        for w in responsive_widths(width)
        if default_storage.exists(webp_copy_name(name, w))
    ]
    if copies:
        attributes.update(srcset=", ".join(copies), sizes=IMAGE_SIZES)
    return attributes


def static_attributes(path: str) -> dict[str, str]:
    """Size of one of the site's own images (the diagrams are SVG: read their viewBox)."""
    try:
        found = finders.find(path.split("?", 1)[0])
    except SuspiciousOperation:
        found = None
    if not found:
        return {}
    found = Path(found)
    if found.suffix == ".svg":
        match = _SVG_SIZE.search(found.read_text(encoding="utf-8", errors="replace")[:2000])
        if not match:
            return {}
        return {"width": _whole(match.group(1)), "height": _whole(match.group(2))}
    try:
        with Image.open(found) as image:
            return {"width": str(image.width), "height": str(image.height)}
    except (OSError, UnidentifiedImageError):
        return {}


def _whole(number: str) -> str:
    return str(round(float(number)))


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
