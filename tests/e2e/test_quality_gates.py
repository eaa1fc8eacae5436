"""Outside judges on every page type: axe-core (accessibility) and the Nu HTML Checker.

Both tools come from the gitignored node_modules/ (.ci/run installs them); without them
these tests skip and say how to install them.
"""

import pytest
from playwright.sync_api import Page

from .conftest import DESKTOP, NOT_FOUND_PATH, PHONE, html_checker_errors, java_missing, node_tool

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PUBLIC_PAGES = [
    "/", "/articles/", "/articles/how-ketamine-works/", "/faq/", "/search/?q=side+effects",
    "/search/?q=zzzqqq", "/search/", "/contact/", NOT_FOUND_PATH, "/privacy/",
    "/accessibility/", "/about-our-content/", "/glossary/",
    "/articles/side-effects-and-safety/",  # care cards, citations and glossary links
    "/when-to-get-help/",  # every symptom, by level, from the triage data
    "/es/", "/es/articles/side-effects-and-safety/",  # Spanish: interface, care cards, review
    "/es/faq/",  # a Spanish address with no Spanish version yet
]  # fmt: skip
# The pages a form post leads to, by what is sent: errors, and the thank-you page.
POSTED = {"contact-with-errors": {"name": "", "email": "not-an-address"}, "thank-you": None}


def submit_contact(page: Page, site: str, values: dict | None) -> None:
    page.goto(site + "/contact/")
    if values is None:
        page.fill("#id_name", "Pat Example")
        page.fill("#id_email", "pat@example.com")
        page.check("input[name=preferred_contact][value=email]")
        page.check("input[name=topic][value=costs]")
        page.fill("#id_message", "What does a first visit cost?")
        page.check("#id_consent")
    else:
        for field, value in values.items():
            page.fill(f"#id_{field}", value)
    page.click("form.inquiry-form button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page: Page, log) -> list[str]:
    # evaluate() runs through DevTools, outside the page's Content-Security-Policy, which
    # would (rightly) refuse an injected <script> tag.
    page.evaluate(node_tool("axe-core/axe.min.js").read_text())
    seen = len(log.lines)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    # axe's own checks set inline styles, which the policy refuses: the tool's, not the site's.
    # axe also fetches the stylesheets itself and resolves their @import against the page,
    # not the stylesheet (the admin's forms.css imports widgets.css): a 404 of its own making.
    log.lines[seen:] = [
        line
        for line in log.lines[seen:]
        if "Applying inline style" not in line and not ("status of 404" in line and ".css/" in line)
    ]
    return [
        f"{v['impact']} {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_axe_finds_nothing_on_any_page_type(open_page, site, admin_state, viewport):
    page = open_page(viewport)
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(site + path)
        found[path] = axe_violations(page, open_page.log)
    for name, values in POSTED.items():
        submit_contact(page, site, values)
        found[name] = axe_violations(page, open_page.log)
    admin = open_page(viewport, storage_state=admin_state)
    admin.goto(site + "/admin/articles/article/add/")
    found["admin article form"] = axe_violations(admin, open_page.log)
    assert {page: v for page, v in found.items() if v} == {}


def test_the_nu_html_checker_finds_no_errors_on_any_public_page(open_page, site, tmp_path):
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    if java_missing():
        pytest.skip("java is missing: `apt-get install default-jre-headless` (.ci/run does)")
    page = open_page(DESKTOP)
    files = []
    for number, path in enumerate(PUBLIC_PAGES):
        page.goto(site + path)
        files.append(save_source(page, tmp_path / f"{number}.html", path))
    for name, values in POSTED.items():
        submit_contact(page, site, values)
        files.append(save_source(page, tmp_path / f"{name}.html", name))
    errors = html_checker_errors(jar, files)
    assert errors == [], "\n".join(errors)


def save_source(page: Page, path, label: str):
    """The HTML as the server sent it (not the live DOM), which is what vnu should judge."""
    response = page.request.get(page.url) if label not in POSTED else None
    path.write_text(response.text() if response else page.content())
    return path
