"""A per-client limit counted in a database table: the generic part of the contact form's
and the feedback answers' limits.

Counting in process memory would give every gunicorn worker (and every server) its own
count; the database is shared by all of them, on SQLite and PostgreSQL alike, without
needing Redis. Clients are identified by a salted hash of their address, so no address
is stored, and rows older than the window are pruned as new windows start.

This module imports no app: each app keeps its own table of counts (a model with the
fields client_key, window_start and count, unique on the first two) and its own salt, and
passes them in, so that one limit's pruning never touches another's windows.
"""

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .client_address import client_address


def client_key(address: str, salt: str) -> str:
    """A salted SHA-256 of the address: the same client gets the same key, nobody can reverse it."""
    return salted_hmac(salt, address, algorithm="sha256").hexdigest()


def window_start(now: datetime, period_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % period_seconds, tz=UTC)


def allow(
    request: HttpRequest, limit: tuple[int, int] | None, *, salt: str, model: type[models.Model]
) -> bool:
    """Count one request from this client; False when it is over `limit` (count, seconds).

    A limit of None (or 0) lets everything through and counts nothing.
    """
    if not limit:
        return True
    max_count, period_seconds = limit
    key = client_key(client_address(request), salt)
    return record_hit(key, period_seconds, model=model) <= max_count


def record_hit(
    key: str, period_seconds: int, *, model: type[models.Model], now: datetime | None = None
) -> int:
    """Add one to this client's count for the current window and return the new count.

    The increment is a single UPDATE ... SET count = count + 1, so concurrent requests in
    different processes never lose a hit; the unique constraint makes the first hit of a
    window a race that exactly one process wins, and the others then update its row.
    """
    now = now or timezone.now()
    start = window_start(now, period_seconds)
    rows = model.objects.filter(client_key=key, window_start=start)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    model.objects.create(client_key=key, window_start=start, count=1)
            except IntegrityError:
                rows.update(count=F("count") + 1)
            else:
                prune_before(start - timedelta(seconds=period_seconds), model=model)
        return rows.values_list("count", flat=True).get()


def prune_before(cutoff: datetime, *, model: type[models.Model]) -> int:
    """Forget counts from windows that have ended; done when a new window starts."""
    deleted, _ = model.objects.filter(window_start__lt=cutoff).delete()
    return deleted
