"""Two gunicorn instances, as behind a load balancer: one PostgreSQL database, one Redis.

A save made anywhere (here: the ORM in a separate `manage.py shell`, which sends the same
signals as the admin) must replace the cached page on every instance, and the contact
form's rate limit must count posts made to either instance.
"""

import http.cookiejar
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from .servers import NoRedirect, fetch, gunicorn, manage, plain_http_env

pytestmark = pytest.mark.slow

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database number no other test uses
ARTICLE = "/articles/how-ketamine-works/"
TIMEOUT = 10  # seconds per request


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    if not reachable(5432):
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    if not reachable(6379):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (.ci/run starts one)")
    import psycopg
    import redis
    from psycopg import sql

    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    name = f"clinic_two_instances_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    folder = tmp_path_factory.mktemp("two-instances")
    # Plain HTTP on 127.0.0.1, so the cookie jar keeps the (then not Secure) cookies.
    env = plain_http_env(
        DATABASE_URL=f"{POSTGRES}/{name}",
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(folder / "static"),
        INQUIRY_MIN_SECONDS="0",
        INQUIRY_RATE_LIMIT="3/h",
    )
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "import_content")
        manage(env, "collectstatic", "--noinput")
        yield env
    finally:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def title_on(base: str) -> str:
    status, _, body = fetch(base + ARTICLE)
    assert status == 200
    return re.search(r"<h1[^>]*>(.*?)</h1>", body.decode(), re.S).group(1).strip()


def test_a_save_refreshes_the_page_on_both_instances_and_the_rate_limit_is_shared(shared_env):
    with gunicorn(shared_env, workers=1) as a, gunicorn(shared_env, workers=1) as b:
        original = title_on(a)
        assert title_on(b) == original and title_on(a) == original  # both now cached

        manage(
            shared_env, "shell", "-c",
            "from articles.models import Article\n"
            "article = Article.objects.get(slug='how-ketamine-works')\n"
            "article.title = 'Renamed on another machine'\n"
            "article.save()",
        )  # fmt: skip
        assert title_on(b) == "Renamed on another machine"
        assert title_on(a) == "Renamed on another machine"

        statuses = [send_inquiry(base) for base in (a, b, a, b)]
    assert statuses == [302, 302, 302, 429]


def send_inquiry(base: str) -> int:
    """GET the form for the CSRF cookie and token, then POST it to the same instance."""
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)
    with browser.open(base + "/contact/", timeout=TIMEOUT) as page:
        html = page.read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.update(
        name="Two Instances", email="two@example.com", phone="", preferred_contact="email",
        topic="other", message="Checking the shared rate limit.", consent="on",
    )  # fmt: skip
    try:
        with browser.open(
            base + "/contact/", data=urllib.parse.urlencode(fields).encode(), timeout=TIMEOUT
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
