"""The shipped gunicorn settings (deploy/gunicorn.conf.py) under a real gunicorn (issue 16):
a request header cannot say where the site is mounted."""

import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import call_command

from .servers import PROJECT, fetch, free_port, manage, production_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deploy-gunicorn")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        DJANGO_SECURE_SSL_REDIRECT="False",
        PAGE_CACHE_VERSION_DIR=str(folder / "version"),
    )
    manage(env, "migrate", "--noinput")
    manage(env, "import_content")
    manage(env, "collectstatic", "--noinput")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic_site.wsgi", "--config",
         "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--no-control-socket"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not answers(base + "/healthz"):
            assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(15)


def answers(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:  # not listening yet
        return False


@pytest.mark.parametrize("header", ["SCRIPT_NAME", "Script-Name", "PATH_INFO"])
def test_a_script_name_header_from_the_proxys_address_changes_no_link(server, header):
    value = "/evil" if "SCRIPT" in header.upper() else "/evil/articles/"
    status, _, body = fetch(server + "/articles/", {header: value})
    assert status == 200
    assert b'href="/articles/how-ketamine-works/"' in body
    assert b"/evil" not in body
    # ... nor anyone else's links afterwards.
    status, _, body = fetch(server + "/")
    assert status == 200 and b"/evil" not in body


def test_the_shipped_settings_are_valid_for_gunicorn():
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--config",
         "deploy/gunicorn.conf.py", "clinic_site.wsgi"],
        cwd=PROJECT, env=production_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def test_gunicorn_worker_timeout_is_well_above_email_timeout(settings):
    path = PROJECT / "deploy" / "gunicorn.conf.py"
    namespace: dict = {"__file__": str(path)}  # as gunicorn loads it
    exec(path.read_text(), namespace)
    assert settings.EMAIL_TIMEOUT * 2 < namespace["timeout"]
    assert namespace["forwarder_headers"] == ""


def test_check_deploy_passes_with_the_sample_environment(monkeypatch):
    """deploy/clinic.env.example satisfies the site's own deploy check (CLIENT_IP_HEADER)."""
    import importlib

    from clinic_site import settings as site_settings
    from foundation import checks

    for line in (PROJECT / "deploy" / "clinic.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            monkeypatch.setenv(name, value)
    try:
        reloaded = importlib.reload(site_settings)
        assert reloaded.CLIENT_IP_HEADER == "X-Forwarded-For"
        assert reloaded.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        with monkeypatch.context() as patched:
            patched.setattr("django.conf.settings.CLIENT_IP_HEADER", reloaded.CLIENT_IP_HEADER)
            patched.setattr(
                "django.conf.settings.SECURE_PROXY_SSL_HEADER", reloaded.SECURE_PROXY_SSL_HEADER
            )
            assert checks.client_address_behind_proxy(None) == []
    finally:
        monkeypatch.undo()
        importlib.reload(site_settings)
    call_command("check", stdout=StringIO())
