"""A per-client limit on "Was this page helpful?" posts, counted in the database.

The same pattern as the contact form's limit (inquiries/ratelimit.py), in a table of its
own so that neither limit's pruning touches the other's windows: the client is the address
from clinic_site.client_address (REMOTE_ADDR, or the trusted proxy's header), kept only as
a salted hash, counted with an atomic UPDATE so all workers and servers share the count.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinic_site.client_address import client_address

from .models import FeedbackRateLimitHit


def client_key(address: str) -> str:
    return salted_hmac("insights.feedback-ratelimit", address, algorithm="sha256").hexdigest()


def window_start(now: datetime, period_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % period_seconds, tz=UTC)


def allow_feedback(request: HttpRequest) -> bool:
    """Count one post from this client; False when it is over FEEDBACK_RATE_LIMIT."""
    limit = settings.FEEDBACK_RATE_LIMIT
    if not limit:
        return True
    max_count, period_seconds = limit
    count = record_hit(client_key(client_address(request)), period_seconds)
    return count <= max_count


def record_hit(key: str, period_seconds: int, now: datetime | None = None) -> int:
    """Add one to this client's count for the current window; return the new count."""
    now = now or timezone.now()
    start = window_start(now, period_seconds)
    rows = FeedbackRateLimitHit.objects.filter(client_key=key, window_start=start)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    FeedbackRateLimitHit.objects.create(client_key=key, window_start=start, count=1)
            except IntegrityError:
                rows.update(count=F("count") + 1)
            else:
                cutoff = start - timedelta(seconds=period_seconds)
                FeedbackRateLimitHit.objects.filter(window_start__lt=cutoff).delete()
        return rows.values_list("count", flat=True).get()
