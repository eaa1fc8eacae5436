"""The site in production mode under gunicorn: every page type, compressed long-cached static files."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from .servers import fetch, gunicorn, manage, production_env

ARTICLE = "/articles/how-ketamine-works/"


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """The one-machine setup: SQLite, no Redis (local-memory cache in each worker)."""
    folder = tmp_path_factory.mktemp("production")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        PAGE_CACHE_VERSION_DIR=str(folder / "page-cache"),
    )
    manage(env, "migrate", "--noinput")
    manage(env, "import_content")
    manage(env, "collectstatic", "--noinput")
    return env


@pytest.fixture(scope="module")
def production_site(site_env):
    with gunicorn(site_env, workers=3) as base:
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


def article_titles(base: str, visits: int = 24) -> set[str]:
    """The article's title as seen by many visits at once, so that every worker answers."""

    def title(_) -> str:
        status, _, body = fetch(base + ARTICLE)
        assert status == 200
        return re.search(r"<h1[^>]*>(.*?)</h1>", body.decode(), re.S).group(1).strip()

    with ThreadPoolExecutor(max_workers=6) as pool:
        return set(pool.map(title, range(visits)))


def test_a_save_made_elsewhere_refreshes_the_cached_page_in_every_worker(site_env, production_site):
    """Each worker keeps its own copy of the page; the content version they check is shared.
    The save is made in another process (a `manage.py shell`, which sends the same signals
    as the admin), so no worker's own memory hears of it."""
    before = article_titles(production_site)
    assert len(before) == 1  # now cached in the workers

    manage(
        site_env, "shell", "-c",
        "from articles.models import Article\n"
        "article = Article.objects.get(slug='how-ketamine-works')\n"
        "article.title = 'Renamed in another process'\n"
        "article.save()",
    )  # fmt: skip
    assert article_titles(production_site) == {"Renamed in another process"}


# --- Page weight ------------------------------------------------------------------------

PAGE_WEIGHT_LIMIT = 30 * 1024  # an article with its CSS, JavaScript and fonts, compressed


def test_an_article_with_its_css_js_and_fonts_is_under_30_kb_compressed(production_site):
    """What a phone downloads to show an article, as browsers ask for it (Brotli)."""
    status, headers, page = fetch(production_site + ARTICLE, headers={"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    import brotli

    html = brotli.decompress(page).decode()
    # Everything the page loads to render: stylesheets, scripts, preloaded fonts.
    resources = re.findall(r'<link rel="(?:stylesheet|preload)"[^>]*href="([^"]+)"', html)
    resources += re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert resources, "the stylesheet at least"
    assert all(url.startswith("/") and not url.startswith("//") for url in resources), (
        "nothing loaded from another origin"
    )
    total = len(page)
    for url in resources:
        status, headers, body = fetch(production_site + url, headers={"Accept-Encoding": "br"})
        assert status == 200, url
        total += len(body)
    assert total <= PAGE_WEIGHT_LIMIT, f"{total} bytes"


def test_article_images_have_a_size_and_load_lazily(production_site):
    _, _, body = fetch(production_site + ARTICLE)
    images = re.findall(r"<img [^>]*>", body.decode())
    assert images, "the article has a diagram"
    for image in images:
        for attribute in ("width=", "height=", 'loading="lazy"', 'decoding="async"', "alt="):
            assert attribute in image, image


def test_the_web_app_manifest_is_served_as_a_manifest(production_site):
    _, _, body = fetch(production_site + "/")
    manifest = re.search(rb'<link rel="manifest" href="([^"]+)"', body).group(1).decode()
    status, headers, _ = fetch(production_site + manifest)
    assert status == 200 and headers["Content-Type"].startswith("application/manifest+json")
