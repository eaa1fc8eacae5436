from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .forms import InquiryForm, form_token, local_path_or_empty
from .ratelimit import allow_inquiry
from .services import create_inquiry

TOO_MANY_REQUESTS = 429


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
        return render_form(request, form, rate_limited=True, status=TOO_MANY_REQUESTS)
    # Spam is stored, not dropped, and gets the same answer: a person wrongly flagged is
    # still found by staff, and a bot learns nothing.
    create_inquiry(**form.inquiry_fields(), spam_reason=form.spam_reason())
    return redirect("inquiries:sent")


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "inquiries/sent.html")


def render_form(
    request: HttpRequest, form: InquiryForm, *, rate_limited: bool = False, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "inquiries/contact.html",
        {"form": form, "rate_limited": rate_limited},
        status=status,
    )
