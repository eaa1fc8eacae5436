"""Start the site under a real gunicorn in production mode, for tests that need one."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
SECRET = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INQUIRY_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="clinic_site.settings",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=SECRET,
        # The tests talk plain HTTP on 127.0.0.1 and say, as a TLS proxy would, that
        # the visitor used HTTPS.
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        # ... and, as a proxy does, which address the visitor came from.
        CLIENT_IP_HEADER="X-Forwarded-For",
        # These servers show the demo content, which no clinician has reviewed yet
        # (tests/test_settings.py runs `check --deploy` with the rule on).
        REQUIRE_MEDICAL_REVIEW="False",
    )
    env.update(extra)
    return env


def plain_http_env(**extra: str) -> dict[str, str]:
    """Production settings for a server spoken to in plain HTTP on 127.0.0.1 with no TLS
    proxy in front: no HTTPS redirect, and cookies a plain-HTTP client keeps."""
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="False", DJANGO_SECURE_COOKIES="False", **extra)
    env.pop("DJANGO_SECURE_PROXY_SSL_HEADER")
    env.pop("CLIENT_IP_HEADER")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True,
        capture_output=True, timeout=300,
    )  # fmt: skip


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, port: int | None = None):
    """Yield the base URL of a gunicorn serving the site; always stopped afterwards."""
    port = port or free_port()
    # gunicorn's own log goes to a file, not a pipe: a pipe nobody reads fills up and
    # stalls the server; the file is shown if the server never comes up.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "30",
         # Several test servers may run at once: none needs gunicorn's shared control socket.
         "--no-control-socket"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_until_up(base: str, process: subprocess.Popen, log, seconds: float = 90) -> None:
    """Wait for /healthz to answer. On a loaded machine the first answer can be slow, so
    any failure to connect or to answer in time (refused, reset, timed out, half an HTTP
    response) means "not yet", until the deadline or until gunicorn exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited while starting:\n{log_tail(log)}")
        try:
            request = urllib.request.Request(
                base + "/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(request, timeout=5)
            return
        except (OSError, http.client.HTTPException):  # URLError and TimeoutError included
            time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn at {base} did not answer /healthz within {seconds:.0f} seconds.\n"
        f"Its log:\n{log_tail(log)}"
    )


def log_tail(log, characters: int = 2000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-characters:]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict[str, str] | None = None):
    """GET url as a visitor behind the TLS proxy; returns (status, headers, body)."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
