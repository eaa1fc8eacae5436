"""A per-client limit on "Was this page helpful?" posts, counted in the database.

The contact form's limit (inquiries/ratelimit.py), with a table and a salt of its own so
that neither limit's pruning touches the other's windows: the client is the address from
clinic_site.client_address, kept only as a salted hash, counted with an atomic UPDATE so
all workers and servers share the count.
"""

from django.conf import settings
from django.http import HttpRequest

from clinic_site.client_address import client_address
from inquiries.ratelimit import client_key, record_hit

from .models import FeedbackRateLimitHit

SALT = "insights.feedback-ratelimit"


def allow_feedback(request: HttpRequest) -> bool:
    """Count one post from this client; False when it is over FEEDBACK_RATE_LIMIT."""
    limit = settings.FEEDBACK_RATE_LIMIT
    if not limit:
        return True
    max_count, period_seconds = limit
    key = client_key(client_address(request), salt=SALT)
    return record_hit(key, period_seconds, model=FeedbackRateLimitHit) <= max_count
