from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.crisis import phrases_for_script, suggests_crisis
from clinic.models import ClinicProfile

from .forms import InquiryForm, form_token, local_path_or_empty
from .models import Inquiry
from .ratelimit import allow_inquiry
from .services import create_inquiry

TOO_MANY_REQUESTS = 429

# After a message that suggests a crisis, the sent page leads with the emergency care card.
# It learns that from a short-lived cookie on the sent page's path only, not from the
# address (?urgent=1 would put "this visitor may be in crisis" in every access log line),
# and a cookie limited to that path leaves the page cache working for all other pages.
CARE_COOKIE = "contact_care"
CARE_COOKIE_SALT = "inquiries.sent.care-card"
CARE_COOKIE_SECONDS = 60 * 60


# never_cache: the page carries a CSRF token and a fresh "served at" token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        form = InquiryForm(
            initial={
                "served": form_token(),
                "source_page": local_path_or_empty(request.GET.get("from")),
            }
        )
        return render_form(request, form)

    form = InquiryForm(request.POST)
    if not form.is_valid():
        return render_form(request, form)
    # Counted only for complete posts: someone correcting a typo is never locked out.
    if not allow_inquiry(request):
        if suggests_crisis(form.cleaned_data["message"]):
            return crisis_over_rate_limit(request, form)
        return render_form(request, form, rate_limited=True, status=TOO_MANY_REQUESTS)
    # Spam is stored, not dropped, and gets the same answer: a person wrongly flagged is
    # still found by staff, and a bot learns nothing.
    inquiry = create_inquiry(**form.inquiry_fields(), spam_reason=form.spam_reason())
    response = redirect("inquiries:sent")
    if inquiry.urgent:
        response.set_signed_cookie(
            CARE_COOKIE,
            "1",
            salt=CARE_COOKIE_SALT,
            max_age=CARE_COOKIE_SECONDS,
            path=reverse("inquiries:sent"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


# never_cache: with the cookie above the page is this visitor's own.
@never_cache
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    show_care_card = (
        request.get_signed_cookie(
            CARE_COOKIE, default="", salt=CARE_COOKIE_SALT, max_age=CARE_COOKIE_SECONDS
        )
        == "1"
    )
    return render_sent(request, show_care_card=show_care_card)


def crisis_over_rate_limit(request: HttpRequest, form: InquiryForm) -> HttpResponse:
    """A message that may be about a crisis is never refused: over the rate limit it is
    still stored (urgent, e-mailed, the limit noted for staff), and the answer is the sent
    page with the emergency card in the HTML itself, not shown by a script or a cookie."""
    create_inquiry(**form.inquiry_fields(), spam_reason=form.spam_reason(), over_rate_limit=True)
    return render_sent(request, show_care_card=True)


def callback_time() -> str:
    """When the clinic usually calls back, in the page's language, or "" on a Spanish page
    that has no Spanish for it.

    Staff write this sentence in English in the clinic profile. Its default has a Spanish
    translation (inquiries/locale/es); a sentence staff changed has none, and English text
    under a Spanish address is what the Spanish site must never show, so it is left out.
    """
    text = ClinicProfile.current().callback_time
    if Inquiry.language_now() == Inquiry.Language.ENGLISH:
        return text
    translated = gettext(text) if text else ""
    return translated if translated != text else ""


def render_sent(request: HttpRequest, *, show_care_card: bool) -> HttpResponse:
    return render(
        request,
        "inquiries/sent.html",
        {"show_care_card": show_care_card, "callback_time": callback_time()},
    )


def render_form(
    request: HttpRequest, form: InquiryForm, *, rate_limited: bool = False, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "inquiries/contact.html",
        {
            "form": form,
            "rate_limited": rate_limited,
            "crisis_phrases": phrases_for_script(),
            "callback_time": callback_time(),
        },
        status=status,
    )
