"""Many visitors at once, against a real gunicorn with several worker processes.

Each success the visitor sees (a redirect to the "sent" page) must be exactly one stored
inquiry, nothing may fail with a server error, and the rate limit must hold across the
worker processes, because it is counted in the shared database and not in process memory.

On SQLite the server gets a fresh database file; when DATABASE_URL points at PostgreSQL
(as in CI's second run) it gets a fresh, uniquely named PostgreSQL database, dropped after.
"""

import http.cookiejar
import os
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

import pytest

from .servers import NoRedirect, gunicorn, manage, plain_http_env

pytestmark = pytest.mark.slow

VISITORS = 12
INQUIRIES = 60
REQUEST_TIMEOUT = 20  # seconds; SQLite writers wait up to 20 s for the lock
TEST_DEADLINE = 60  # seconds for all requests of one test together


@pytest.fixture(scope="module")
def server_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Environment for a production-mode server on a fresh, migrated database."""
    folder = tmp_path_factory.mktemp("inquiry-server")
    with fresh_database(folder) as database_url:
        env = plain_http_env(
            DATABASE_URL=database_url,
            STATIC_ROOT=str(folder / "static"),
            INQUIRY_MIN_SECONDS="0",
            INQUIRY_RATE_LIMIT="0",
            # Staff are notified afterwards by notify_inquiries (console backend: no mail).
            INQUIRY_NOTIFY_EMAILS="frontdesk@example.com",
        )
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        yield env


def test_every_success_is_exactly_one_inquiry_under_concurrent_load(server_env):
    run = uuid.uuid4().hex[:8]
    markers = [f"load-{run}-{number}" for number in range(INQUIRIES)]

    with gunicorn(server_env, workers=3) as base:
        results = send_all(lambda marker: send_inquiry(base, marker), markers)

    statuses = Counter(status for status, _ in results.values())
    assert statuses[500] == 0, statuses
    assert statuses == {302: INQUIRIES}, statuses
    stored = stored_inquiries(server_env["DATABASE_URL"], f"load-{run}-")
    stored_markers = Counter(marker_in(message) for message, _ in stored)
    succeeded = [marker for marker, (status, _) in results.items() if status == 302]
    assert all(stored_markers[marker] == 1 for marker in succeeded)
    assert sum(stored_markers.values()) == len(succeeded)
    # The requests sent no mail; the sender the timer runs notifies staff of every one.
    assert all(notified_at is None for _, notified_at in stored)
    manage(server_env, "notify_inquiries")
    stored = stored_inquiries(server_env["DATABASE_URL"], f"load-{run}-")
    assert all(notified_at is not None for _, notified_at in stored)


def test_the_rate_limit_holds_across_worker_processes(server_env):
    """15 posts at once from one address, spread over 3 workers: exactly 5 get through."""
    run = uuid.uuid4().hex[:8]
    markers = [f"limit-{run}-{number}" for number in range(15)]
    env = {**server_env, "INQUIRY_RATE_LIMIT": "5/h"}

    with gunicorn(env, workers=3) as base:
        results = send_all(lambda marker: send_inquiry(base, marker), markers)

    statuses = Counter(status for status, _ in results.values())
    assert statuses == {302: 5, 429: 10}, statuses
    assert len(stored_inquiries(env["DATABASE_URL"], f"limit-{run}-")) == 5
    for marker, (status, body) in results.items():
        if status == 429:
            assert marker in body, "the refused visitor's text is given back to them"


# --- A visitor ------------------------------------------------------------------------


def send_inquiry(base: str, marker: str) -> tuple[int, str]:
    """GET the form (for the CSRF cookie and token), then POST it, as a browser would."""
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)
    with browser.open(base + "/contact/?from=/faq/", timeout=REQUEST_TIMEOUT) as page:
        html = page.read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.update(
        name="Load Test",
        email="load@example.com",
        phone="",
        preferred_contact="email",
        topic="other",
        message=f"Concurrency check {marker}",
        consent="on",
    )
    body = urllib.parse.urlencode(fields).encode()
    try:
        with browser.open(base + "/contact/", data=body, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:  # 302 (not followed), 429, 500...
        return error.code, error.read().decode()


def send_all(
    send: Callable[[str], tuple[int, str]], markers: list[str], deadline: float = TEST_DEADLINE
) -> dict:
    """Send one inquiry per marker from VISITORS threads; give up after `deadline` seconds."""
    executor = ThreadPoolExecutor(max_workers=VISITORS)
    try:
        futures = {executor.submit(send, marker): marker for marker in markers}
        done, not_done = wait(futures, timeout=deadline)
        if not_done:
            pytest.fail(f"{len(not_done)} requests unanswered after {deadline} s")
        return {futures[future]: future.result() for future in done}
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def marker_in(message: str) -> str:
    return message.removeprefix("Concurrency check ")


# --- The server's database ------------------------------------------------------------


@contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """A DATABASE_URL for a new, empty database of the kind the suite runs on."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{folder / 'server.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"clinic_inquiry_load_{uuid.uuid4().hex[:12]}"
    maintenance = with_database(suite_url, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(suite_url, name)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def stored_inquiries(database_url: str, prefix: str) -> list[tuple[str, object]]:
    """(message, notified_at) of the server's inquiries whose message has this marker prefix."""
    query = "SELECT message, notified_at FROM inquiries_inquiry WHERE message LIKE %s"
    pattern = f"Concurrency check {prefix}%"
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return connection.execute(query.replace("%s", "?"), [pattern]).fetchall()
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(query, [pattern]).fetchall()


def test_the_deadline_is_enforced():
    """The helper gives up on requests that hang, instead of hanging the suite."""
    answered = threading.Event()  # never set while send_all waits: the request "hangs"

    def hanging_request(marker: str) -> tuple[int, str]:
        answered.wait(timeout=30)
        return 200, ""

    started = time.monotonic()
    try:
        with pytest.raises(pytest.fail.Exception, match="unanswered"):
            send_all(hanging_request, ["a"], deadline=0.2)
        assert time.monotonic() - started < 10
    finally:
        answered.set()  # lets the helper's thread finish
