"""Two pages a patient uses on their own before the first call. Both are the same for
every visitor and are served from the page cache: everything the patient enters stays in
their browser (static/js/patient-tools.js), so there is no form to post and nothing to
store. Neither page carries "Was this page helpful?" (templates/includes/page_feedback.html
is only included where a page asks for it)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from foundation.languages import english_only
from foundation.page_cache import cached_public_page

from . import consultation, phq9


@require_safe
@english_only  # its words (the PHQ-9) live in its template and scripts: no Spanish yet
@cached_public_page
def check_your_mood(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "patient_tools/check_your_mood.html",
        {
            "seo_title": "Check your mood: the PHQ-9 questionnaire",
            "seo_description": (
                "Nine questions doctors use to check for depression. Your answers stay on "
                "your device and are not sent to anyone. Not a diagnosis."
            ),
            "phq9": phq9,
        },
    )


@require_safe
@english_only  # as check_your_mood
@cached_public_page
def questions_for_your_consultation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "patient_tools/questions_for_your_consultation.html",
        {
            "seo_title": "Questions to ask at your consultation",
            "seo_description": (
                "A printable list of questions to ask a ketamine clinic, with space for your "
                "own. Tick the ones you want and print them. Nothing is sent or saved."
            ),
            "groups": consultation.GROUPS,
        },
    )
