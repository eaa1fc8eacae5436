"""The two public endpoints of content insights: the page-view beacon and "Was this page
helpful?". Both are posted to from public pages, which may come from the page cache or a
proxy's cache and so carry no per-visitor CSRF token. Instead of the token they accept a
post only when the browser says it comes from this site's own pages (Sec-Fetch-Site, sent
by current browsers, or else Origin); anything else is refused with 403. They set no
cookie and store no address, user agent or time of day.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from foundation.client_address import client_address

from .counting import count_answer, count_page_view, without_contact_details
from .models import COMMENT_MAX_LENGTH, PATH_MAX_LENGTH, FeedbackComment
from .pages import countable_pages, feedback_pages
from .ratelimit import allow_feedback

TOO_MANY_REQUESTS = 429
ANSWERS = {"yes": True, "no": False}


def from_own_pages(request: HttpRequest) -> bool:
    """Did a page of this site send this post? (What CSRF tokens check, without a token.)

    Sec-Fetch-Site is set by the browser and cannot be changed by a page: only
    "same-origin" is ours. Browsers without it send Origin with every POST, which must then
    be this site's own (or one of CSRF_TRUSTED_ORIGINS). A post with neither is refused.
    """
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    origin = request.META.get("HTTP_ORIGIN")
    if fetch_site is None and origin is None:
        return False
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    if origin is not None:
        own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
        return origin in own
    return True


def refused() -> HttpResponse:
    response = HttpResponseForbidden(
        "This can only be sent from the clinic website's own pages.",
        content_type="text/plain; charset=utf-8",
    )
    add_never_cache_headers(response)
    return response


def no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    add_never_cache_headers(response)
    return response


@csrf_exempt  # posted from cached pages, which carry no CSRF token: see from_own_pages()
@require_POST
def page_view(request: HttpRequest) -> HttpResponse:
    """The beacon (static/js/insights.js): add one view of the page named in the body.

    Answers 204 whether or not the page was counted. The script sends it without cookies;
    a repeat from the same address within a short while is not counted again
    (insights/counting.py: a daily-salted hash in the cache, the address never stored).
    """
    if not from_own_pages(request):
        return refused()
    path = request.read(PATH_MAX_LENGTH + 1).decode("utf-8", "replace").strip()
    if path in countable_pages():
        # Counted once per address and page for a while (nothing about the address is kept).
        count_page_view(path, address=client_address(request))
    return no_content()


@csrf_exempt  # posted from cached pages, which carry no CSRF token: see from_own_pages()
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """ "Was this page helpful?": an answer (yes or no), or afterwards an optional comment.

    With JavaScript (static/js/insights.js asks for JSON) the widget thanks the reader in
    place; without it, a plain post is redirected to the thank-you page, which offers the
    comment box.
    """
    if not from_own_pages(request):
        return refused()
    wants_json = "application/json" in request.headers.get("Accept", "")
    path = request.POST.get("page", "")
    answer = request.POST.get("helpful", "")
    comment = request.POST.get("comment")
    if path not in feedback_pages() or answer not in ANSWERS:
        return answer_with(request, wants_json, 400, "missing", path)
    if comment is not None and len(comment) > COMMENT_MAX_LENGTH:
        return answer_with(request, wants_json, 400, "too-long", path, answer, comment)
    if not allow_feedback(request):
        return answer_with(request, wants_json, TOO_MANY_REQUESTS, "rate-limited", path)
    if comment is None:
        count_answer(path, ANSWERS[answer])
        outcome = "answered"
    else:
        text = without_contact_details(comment)
        if text:
            FeedbackComment.objects.create(
                day=timezone.localdate(), path=path, helpful=ANSWERS[answer], text=text
            )
        outcome = "commented"
    if wants_json:
        return json_answer(200, outcome)
    query = urlencode({"page": path, "helpful": answer, "done": outcome})
    return redirect(f"{reverse('insights:feedback-thanks')}?{query}")


# Translated when sent, in the language of the page that asked (its form posts to
# /es/feedback/ on Spanish pages): see `message_for`.
MESSAGES = {
    "answered": gettext_noop("Thank you for your answer."),
    "commented": gettext_noop("Thank you. Your comment helps us improve this page."),
    "missing": gettext_noop(
        "Sorry, we could not save your answer. Please try again from the page."
    ),
    "too-long": gettext_noop("Please shorten your comment to %(max)s characters or fewer."),
    "rate-limited": gettext_noop(
        "We have received many answers from your connection in a short time. "
        "Please try again later."
    ),
}


def message_for(outcome: str) -> str:
    return gettext(MESSAGES[outcome]) % {"max": COMMENT_MAX_LENGTH}


def json_answer(status: int, outcome: str) -> JsonResponse:
    response = JsonResponse({"outcome": outcome, "message": message_for(outcome)}, status=status)
    add_never_cache_headers(response)
    return response


def answer_with(
    request: HttpRequest,
    wants_json: bool,
    status: int,
    outcome: str,
    path: str,
    answer: str = "",
    comment: str = "",
) -> HttpResponse:
    if wants_json:
        return json_answer(status, outcome)
    return render_thanks(request, outcome, path, answer, comment, status=status)


@never_cache
@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    """After a plain (no JavaScript) post: thanks, then the optional comment box."""
    path = request.GET.get("page", "")
    answer = request.GET.get("helpful", "")
    done = request.GET.get("done", "answered")
    if path not in feedback_pages() or answer not in ANSWERS or done not in MESSAGES:
        return render_thanks(request, "missing", "", "", "", status=400)
    return render_thanks(request, done, path, answer, "")


def render_thanks(
    request: HttpRequest, outcome: str, path: str, answer: str, comment: str, status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "insights/feedback_thanks.html",
        {
            "seo_title": gettext("Thank you for your answer"),
            "robots": "noindex",
            "outcome": outcome,
            "message": message_for(outcome),
            "path": path if path in feedback_pages() else "",
            "page_name": countable_pages().get(path, ""),
            "answer": answer,
            "comment": comment,
            "ask_comment": outcome in ("answered", "too-long") and answer in ANSWERS,
            "comment_max": COMMENT_MAX_LENGTH,
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response
