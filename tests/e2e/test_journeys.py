"""A patient and a clinician use the site in a real browser, as people do.

Every journey fails on any console error, uncaught script error or Content Security
Policy report (see the open_page fixture in conftest.py).
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ARTICLE = "/articles/how-ketamine-works/"


def fill_inquiry(page: Page) -> None:
    page.fill("#id_name", "Pat Example")
    page.fill("#id_email", "pat@example.com")
    page.check("input[name=preferred_contact][value=email]")
    page.check("input[name=topic][value=infusion]")
    page.fill("#id_message", "Could you tell me what a first visit involves?")
    page.check("#id_consent")


def test_a_patient_on_a_phone_reads_searches_and_asks_to_be_contacted(open_page, site):
    """Home, an article and its table of contents, search, an FAQ answer, the contact form."""
    page = open_page(PHONE)
    page.goto(site + "/")
    expect(page.locator("h1")).to_be_visible()
    page.click(f"main a[href='{ARTICLE}']")
    expect(page).to_have_url(site + ARTICLE)

    toc_link = page.locator(".toc a").first
    target = toc_link.get_attribute("href")
    toc_link.click()
    expect(page).to_have_url(site + ARTICLE + target)
    expect(page.locator(target)).to_be_in_viewport()

    page.fill("#site-search-q", "side effects")
    page.press("#site-search-q", "Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=side\+effects"))
    expect(page.locator("main mark").first).to_be_visible()

    page.goto(site + "/faq/")
    question = page.locator("details.faq-item").first
    question.locator("summary").click()
    expect(question).to_have_attribute("open", "")
    expect(question.locator(".prose")).to_be_visible()

    page.click("nav a[href='/contact/']")
    fill_inquiry(page)
    page.click("form.inquiry-form button[type=submit]")
    expect(page).to_have_url(site + "/contact/sent/")


FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {tag: el.tagName, text: (el.textContent || el.name || "").trim().slice(0, 40),
          visible: outline || style.boxShadow !== "none"};
}"""


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has focus, checking every stop shows where focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_VISIBLE)
        # Past the last link focus leaves the page (to the browser's own controls): body.
        assert focused["visible"] or focused["tag"] == "BODY", f"no visible focus on {focused}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def test_the_same_journey_with_the_keyboard_only(open_page, site):
    """Tab, Enter and Space reach everything, and focus is always visible."""
    page = open_page(PHONE)
    page.goto(site + "/")
    tab_to(page, ".skip-link")
    tab_to(page, f"main a[href='{ARTICLE}']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + ARTICLE)

    tab_to(page, ".toc a")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + ARTICLE + target)

    page.goto(site + "/")
    tab_to(page, "#site-search-q")
    page.keyboard.type("side effects")
    page.keyboard.press("Enter")
    expect(page.locator("main mark").first).to_be_visible()

    tab_to(page, "nav a[href='/faq/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/faq/")
    tab_to(page, "details.faq-item summary")
    page.keyboard.press("Space")
    expect(page.locator("details.faq-item").first).to_have_attribute("open", "")

    tab_to(page, "nav a[href='/contact/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/contact/")
    for selector, text in [("#id_name", "Kay Board"), ("#id_email", "kay@example.com")]:
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "input[name=preferred_contact]")
    page.keyboard.press("ArrowDown")  # from "Phone call" to "Email", as a radio group does
    expect(page.locator("input[name=preferred_contact][value=email]")).to_be_checked()
    tab_to(page, "input[name=topic]")
    page.keyboard.press("Space")
    tab_to(page, "#id_message")
    page.keyboard.type("I would like to know about costs.")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "form.inquiry-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/contact/sent/")


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 93, 94)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_clinician_writes_previews_and_publishes_an_article(open_page, site):
    """Markdown preview, image upload, draft preview, then published for everyone."""
    page = open_page(DESKTOP)
    log_in(page, site)
    page.goto(site + "/admin/articles/article/add/")
    page.fill("#id_title", "Sleep after a treatment day")
    page.fill("#id_summary", "How to rest well on the night after a ketamine treatment.")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill("## Rest first\n\nPlan a quiet evening at home.")
    # The preview is drawn with the site's own stylesheet, in a shadow root (Playwright's
    # CSS locators look inside it).
    expect(page.locator(".editor-preview h2")).to_have_text("Rest first")

    page.set_input_files(".editor-image-input", files=[
        {"name": "bedroom.png", "mimeType": "image/png", "buffer": small_png()},
    ])  # fmt: skip
    expect(editor).to_have_value(re.compile(r"!\[.*\]\(/media/.+\)"))
    expect(page.locator(".editor-preview img")).to_be_visible()

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    # Not "View on site": that link is https://, and the test server speaks plain HTTP.
    slug_url = f"{site}/articles/{page.input_value('#id_slug')}/"
    change_url = page.url
    page.goto(slug_url)
    expect(page.locator(".preview-banner")).to_contain_text("Draft preview")

    page.goto(change_url)
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    visitor = open_page(PHONE)
    visitor.goto(slug_url)
    expect(visitor.locator("h1")).to_have_text("Sleep after a treatment day")
    expect(visitor.locator(".preview-banner")).to_have_count(0)
    # Published without a review (this server runs the demo with the rule off): it says so.
    expect(visitor.locator("#review-status-top")).to_contain_text(
        "This article has not yet been reviewed by one of our clinicians."
    )
    expect(visitor.locator("main img").first).to_be_visible()
    visitor.goto(site + "/articles/")
    expect(visitor.locator("main")).to_contain_text("Sleep after a treatment day")
