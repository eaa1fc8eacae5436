"""The "Was this page helpful?" answers' per-client limit (FEEDBACK_RATE_LIMIT).

Counted by foundation/rate_limit.py, as the contact form's limit is, in a table and with
a salt of this app's own so that neither limit's pruning touches the other's windows.
"""

from django.conf import settings
from django.http import HttpRequest

from foundation import rate_limit

from .models import FeedbackRateLimitHit

SALT = "insights.feedback-ratelimit"


def allow_feedback(request: HttpRequest) -> bool:
    """Count one post from this client; False when it is over FEEDBACK_RATE_LIMIT."""
    return rate_limit.allow(
        request, settings.FEEDBACK_RATE_LIMIT, salt=SALT, model=FeedbackRateLimitHit
    )
