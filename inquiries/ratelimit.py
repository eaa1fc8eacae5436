"""The contact form's per-client limit (INQUIRY_RATE_LIMIT), counted in RateLimitHit.

The counting itself (salted client keys, atomic increments shared by every worker,
pruning of ended windows) is foundation/rate_limit.py; this app keeps its own table and
salt so that its pruning never touches another limit's windows.
"""

from django.conf import settings
from django.http import HttpRequest

from foundation import rate_limit

from .models import RateLimitHit

SALT = "inquiries.ratelimit"


def allow_inquiry(request: HttpRequest) -> bool:
    """Count one inquiry from this client; False when it is over INQUIRY_RATE_LIMIT."""
    return rate_limit.allow(request, settings.INQUIRY_RATE_LIMIT, salt=SALT, model=RateLimitHit)
