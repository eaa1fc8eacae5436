"""Browser journeys against the site under gunicorn in production mode, in Debian's Chromium.

Playwright drives the system Chromium (`/usr/bin/chromium`, installed by .ci/run); its own
browser downloads are never used. Without Chromium, or without the Playwright package,
these tests skip and say why.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from ..servers import PROJECT, free_port, gunicorn, manage, production_env

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
NODE_MODULES = PROJECT / "node_modules"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ADMIN_USER = "clinician"
ADMIN_PASSWORD = "e2e-Clinician-password-8271"
# Every request says, as the TLS proxy does, that the visitor came over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
NOT_FOUND_PATH = "/no-such-page/"
# Where the site fixture's gunicorn keeps uploads (set once by that session fixture).
MEDIA_ROOT_FOR_TESTS: dict[str, Path] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(
            reason=f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does) to run the browser tests"
        )
        for item in items:
            if "/e2e/" in str(item.path):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a production-mode site with the content loaded and a superuser."""
    folder = tmp_path_factory.mktemp("e2e-site")
    port = free_port()
    env = production_env(
        # The browser really speaks plain HTTP to 127.0.0.1, so its Origin header says
        # http:// while Django, trusting the proxy header, expects https://.
        DJANGO_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(MEDIA_ROOT_FOR_TESTS.setdefault("path", folder / "media")),
        # A browser fills the form faster than a person; the journeys send several.
        INQUIRY_MIN_SECONDS="0",
        INQUIRY_RATE_LIMIT="0",
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
    )
    # The production settings pass the deployment checks with the clinical-review rule on;
    # the site then serves the demo content (not yet reviewed) with it off.
    manage(
        {**env, "REQUIRE_MEDICAL_REVIEW": "True"}, "check", "--deploy", "--fail-level", "WARNING"
    )
    manage(env, "migrate", "--noinput")
    manage(env, "import_content")
    manage(env, "collectstatic", "--noinput")
    manage(
        env, "createsuperuser", "--noinput", "--username", ADMIN_USER, "--email", "c@example.com"
    )
    with gunicorn(env, port=port) as base:
        yield base


def serve_media(route, media_root: Path) -> None:
    """Answer /media/ from MEDIA_ROOT, as the web server in front of gunicorn does."""
    relative = route.request.url.split("/media/", 1)[1].split("?")[0]
    path = (media_root / relative).resolve()
    if media_root.resolve() in path.parents and path.is_file():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    # Module scope: while Playwright's sync API is active an event loop runs in this
    # thread, and Django refuses database access then; other test modules need it.
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            # Even with those flags Chromium calls Google's update, time and account
            # servers. Everything but 127.0.0.1 goes to a closed local port instead.
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"},
        )
        yield browser
        browser.close()


class ConsoleLog:
    """Console messages and uncaught errors of every page opened in one browser context."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda msg: self.lines.append(self.describe(msg)))
        page.on("pageerror", lambda error: self.lines.append(f"pageerror: {error}"))

    @staticmethod
    def describe(msg) -> str:
        return f"console.{msg.type}: {msg.text} ({msg.location.get('url', '')})"

    def problems(self) -> list[str]:
        return [
            line
            for line in self.lines
            if (
                line.startswith(("console.error", "pageerror")) or "Content Security Policy" in line
            )
            # Chromium logs the 404 status of a page the test asked for on purpose.
            and not ("status of 404" in line and NOT_FOUND_PATH in line)
        ]


@pytest.fixture
def open_page(browser, site: str) -> Iterator[Callable]:
    """open_page(viewport, storage_state=None) -> a page; fails the test on console errors."""
    contexts = []
    log = ConsoleLog()

    def open_(viewport: dict = PHONE, storage_state: str | None = None):
        context = browser.new_context(
            viewport=viewport, extra_http_headers=PROXY_HEADERS, storage_state=storage_state
        )
        context.set_default_timeout(10_000)
        context.on("page", log.watch)
        context.route("**/media/**", lambda route: serve_media(route, MEDIA_ROOT_FOR_TESTS["path"]))
        contexts.append(context)
        return context.new_page()

    open_.log = log  # the axe test sets aside what the tool itself causes
    yield open_
    for context in contexts:
        context.close()
    assert log.problems() == [], "\n".join(log.problems())


def log_in(page, site: str) -> None:
    page.goto(site + "/admin/login/")
    page.fill("#id_username", ADMIN_USER)
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


@pytest.fixture(scope="module")
def admin_state(browser, site: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A signed-in clinician's cookies, saved once for the module's pages."""
    context = browser.new_context(extra_http_headers=PROXY_HEADERS)
    page = context.new_page()
    log_in(page, site)
    path = str(tmp_path_factory.mktemp("state") / "admin.json")
    context.storage_state(path=path)
    context.close()
    return path


def node_tool(relative: str) -> Path:
    """A file from the gitignored node_modules/ (.ci/run installs it), or skip saying how."""
    path = NODE_MODULES / relative
    if not path.exists():
        pytest.skip(f"{path} is missing: run the npm install line in .ci/run")
    return path


def java_missing() -> bool:
    return shutil.which("java") is None


def html_checker_errors(jar, files) -> list[str]:
    """The Nu HTML Checker's errors for the saved pages, as "file:line: message"."""
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
        if m["type"] == "error"
    ]
