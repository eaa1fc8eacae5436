"""Counts held in a worker's memory for at most INSIGHTS_WRITE_DELAY_MS, then written
together.

Every search and page view is counted (counting.py). Written one by one, each count was a
database statement in its visitor's request: on PostgreSQL a round trip of about 0.2 ms,
a quarter of what a search costs. So each worker adds its counts up here and writes them
INSIGHTS_WRITE_DELAY_MS (1 s) after the first one came in, from a short-lived thread: one
statement per row that changed, adding n instead of 1. Staff see counts a second late.

Nothing is lost when a worker stops normally (a deployment, gunicorn's max-requests
restart): `flush` runs at exit. A worker killed outright (SIGKILL, a crash) loses the
counts it held, at most its last second. INSIGHTS_WRITE_DELAY_MS=0 writes each count in
its own request (the tests, and anyone who prefers that).

Counts only: inquiries, feedback comments and everything else are written at once.
"""

import atexit
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

# (write, its arguments) -> how many: write(*arguments, n) adds them. In the order they first
# came (a dict keeps it), so that taking one from a row comes after adding to it.
Write = Callable[..., None]
_pending: dict[tuple[Write, tuple], int] = {}
_lock = threading.Lock()
_timer: threading.Timer | None = None


def count(write: Write, arguments: tuple, n: int = 1) -> None:
    """Have write(*arguments, n) done now, or with the other counts within the delay."""
    delay = settings.INSIGHTS_WRITE_DELAY_MS / 1000
    if delay <= 0:
        write(*arguments, n)
        return
    global _timer
    with _lock:
        key = (write, arguments)
        _pending[key] = _pending.get(key, 0) + n
        if _timer is None:
            _timer = threading.Timer(delay, _flush_in_background)
            _timer.daemon = True  # never keeps a stopping worker alive: `flush` runs at exit
            _timer.start()


def held() -> int:
    """How many counts are waiting to be written (tests, and a curious operator)."""
    with _lock:
        return sum(_pending.values())


def flush() -> None:
    """Write every count held now. If the database refuses, they are kept for the next try
    (logged without their content: a search's words are health information)."""
    global _pending, _timer
    with _lock:
        batch, _pending = _pending, {}
        if _timer is not None:
            _timer.cancel()
            _timer = None
    written = 0
    try:
        for (write, arguments), n in batch.items():
            write(*arguments, n)
            written += 1
    except DatabaseError:
        logger.exception("Content insights: %d counts not written yet", len(batch) - written)
        with _lock:
            for key, n in list(batch.items())[written:]:
                _pending[key] = _pending.get(key, 0) + n


def _flush_in_background() -> None:
    global _timer
    with _lock:
        _timer = None
    try:
        flush()
    finally:
        connection.close()  # this thread's own connection: the thread ends now


atexit.register(flush)
