"""The two endpoints behind the Markdown editor in the admin: live preview and image upload.

django-markdownx ships its own views, but they accept posts from anyone and store SVG
and GIF files as sent, so `markdownx.urls` is never included. These replace them at
MARKDOWNX_URLS_PATH and MARKDOWNX_UPLOAD_URLS_PATH, speak the same protocol as the
editor's JavaScript (a form post with `content` or `image` and the CSRF token; HTML or
`{"image_code": ...}` back), and serve only staff who may edit articles or trust pages.
A third serves the site's stylesheet adapted to the editor's preview, so the preview
looks as the published page will.
"""

import re
from collections.abc import Callable
from functools import lru_cache, wraps

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from . import content_rendering
from .images import (
    ALT_TEXT_PROMPT,
    MAX_UPLOAD_BYTES,
    ImageRejected,
    store_article_image,
    too_large_in_bytes,
)

# Room for the multipart boundaries and the CSRF token around an image at the limit.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


# Permissions by name only: this module imports no app (see the import-linter contracts).
EDITOR_PERMISSIONS = ("articles.change_article", "clinic.change_page")


def can_edit_articles(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and any(user.has_perm(permission) for permission in EDITOR_PERMISSIONS)
    )


def editor_only(view: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Refuse (403, JSON) anyone who is not staff allowed to change articles or pages.

    A JSON refusal rather than a redirect to the sign-in page: the caller is the
    editor's JavaScript, which cannot follow a sign-in form.
    """

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        if not can_edit_articles(request):
            return JsonResponse(
                {"error": "Please sign in to the admin again to use the editor."}, status=403
            )
        return view(request)

    return wrapper


@require_POST
@editor_only
def markdownify_preview(request: HttpRequest) -> HttpResponse:
    """The Markdown rendered and sanitised exactly as the published page will show it: by
    the renderer of the model being edited (`?model=<label>`, set by the editor's widget,
    foundation/editor_widgets.py), which its save uses too."""
    label = request.GET.get("model", "")
    renderer = content_rendering.renderer_for(label)
    if renderer is None:
        return JsonResponse(
            {"error": "The preview does not know this kind of content. Please reload the page."},
            status=400,
        )
    if not any(request.user.has_perm(permission) for permission in renderer.permissions):
        return JsonResponse({"error": "You may not edit this kind of content."}, status=403)
    response = HttpResponse(content_rendering.preview(label, request.POST.get("content", "")))
    # The editor inserts this into the page itself; opened directly, it may run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


@require_POST
@editor_only
def upload_image(request: HttpRequest) -> HttpResponse:
    """Store one image from the editor and answer with the Markdown that shows it."""
    # Refuse an oversized body from its declared length, before Django reads it all.
    if declared_length(request) > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES:
        return rejection(too_large_in_bytes())
    upload = request.FILES.get("image")
    if upload is None:
        return rejection(ImageRejected("Please choose an image file to upload."))
    try:
        url = store_article_image(upload)
    except ImageRejected as refused:
        return rejection(refused)
    return JsonResponse({"image_code": f"![{ALT_TEXT_PROMPT}]({url})"})


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def rejection(refused: ImageRejected) -> JsonResponse:
    return JsonResponse({"error": refused.message}, status=refused.status)


@require_GET
@editor_only
def preview_stylesheet(request: HttpRequest) -> HttpResponse:
    """static/css/site.css, for the preview box (a shadow root, see editor.js): the rules
    for the page as a whole (`:root`, `html`, `body`) apply to the box instead."""
    response = HttpResponse(site_css_for_preview(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# The editor's own warnings above the preview (content_rendering.preview_html): styled here, in the
# preview's stylesheet only, so nothing of them reaches the site's pages.
PREVIEW_ONLY_CSS = """
.editor-warning { margin: 0 0 1rem; padding: 0.5rem 0.75rem; border-left: 4px solid #b3261e;
  background: #fdecea; color: #5f1410; font-weight: 600; }
"""


@lru_cache(maxsize=1)
def site_css_for_preview() -> str:
    path = finders.find("css/site.css")
    with open(path, encoding="utf-8") as css:
        text = css.read()
    return re.sub(r"(?m)^(:root|html|body)(?=\s*[{,])", ":host", text) + PREVIEW_ONLY_CSS
