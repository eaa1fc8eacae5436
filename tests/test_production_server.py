"""The site in production mode under gunicorn: every page type, compressed long-cached static files."""

import re

import pytest

from .servers import fetch, gunicorn, manage, production_env


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
    )
    manage(env, "migrate", "--noinput")
    manage(env, "import_content")
    manage(env, "collectstatic", "--noinput")
    with gunicorn(env) as base:
        yield base


@pytest.mark.parametrize(
    "path,status",
    [("/", 200), ("/articles/", 200), ("/articles/how-ketamine-works/", 200), ("/faq/", 200),
     ("/healthz", 200), ("/no-such-page/", 404)],
)  # fmt: skip
def test_every_page_type_is_served(production_site, path, status):
    code, headers, body = fetch(production_site + path)
    assert code == status
    assert b"Traceback" not in body
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
    assert headers.get("X-Content-Type-Options") == "nosniff"


def test_plain_http_is_redirected_to_https(production_site):
    code, headers, _ = fetch(production_site + "/", headers={"X-Forwarded-Proto": "http"})
    assert code == 301 and headers["Location"].startswith("https://")


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_static_files_are_compressed_hashed_and_cached_for_a_year(production_site, encoding):
    _, _, body = fetch(production_site + "/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the stylesheet is linked under a hashed name"
    code, headers, _ = fetch(
        production_site + stylesheet.group(1).decode(), headers={"Accept-Encoding": encoding}
    )
    assert code == 200
    assert headers["Content-Encoding"] == encoding
    assert "max-age=31536000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
