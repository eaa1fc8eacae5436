"""In the browser: the care card while typing (the same answer as the server for every
phrase, with no request made), "Was this page helpful?" answered in place on a cached
page, the sent page after a crisis message, and axe / the Nu HTML Checker on these pages
and on /admin/insights/."""

import pytest

from clinic.crisis import suggests_crisis

from ..test_crisis_inquiries import CRISIS_MESSAGES, NOT_CRISIS_MESSAGES
from .conftest import DESKTOP, PHONE, html_checker_errors, java_missing, node_tool
from .test_quality_gates import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ARTICLE = "/articles/how-ketamine-works/"


def test_the_typing_check_agrees_with_the_server_and_sends_nothing(open_page, site):
    page = open_page(PHONE)
    page.goto(site + "/contact/")
    page.wait_for_load_state("networkidle")  # the page's own requests (beacon, icon) are done
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    card = page.locator("#care-card-typing")
    for message in CRISIS_MESSAGES + NOT_CRISIS_MESSAGES:
        page.fill("#id_message", message)
        assert card.is_visible() == suggests_crisis(message), message
    assert requests == [], "typing made a network request"
    page.fill("#id_message", "I don’t want to be alive anymore")
    assert card.is_visible()
    assert page.input_value("#id_message") == "I don’t want to be alive anymore"


def fill_contact(page, message: str) -> None:
    page.fill("#id_name", "Pat Example")
    page.fill("#id_email", "pat@example.com")
    page.check("input[name=preferred_contact][value=email]")
    page.check("input[name=topic][value=other]")
    page.fill("#id_message", message)
    page.check("#id_consent")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_crisis_message_is_sent_and_the_sent_page_leads_with_the_card(
    open_page, site, admin_state, viewport
):
    page = open_page(viewport)
    page.goto(site + "/contact/")
    fill_contact(page, "I don't want to be alive anymore")
    page.click("form.inquiry-form button[type=submit]")  # the visible card never blocks it
    page.wait_for_url("**/contact/sent/")
    first = page.evaluate(
        "document.querySelector('main .contact-page').firstElementChild.className"
    )
    assert first == "care-card care-card--emergency"
    assert axe_violations(page, open_page.log) == []

    # Staff see it first, flagged.
    admin = open_page(viewport, storage_state=admin_state)
    admin.goto(site + "/admin/inquiries/inquiry/")
    first_row = admin.locator("#result_list tbody tr").first
    assert "Urgent" in first_row.inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_was_this_page_helpful_is_answered_in_place_without_a_cookie(open_page, site, viewport):
    page = open_page(viewport)
    page.goto(site + ARTICLE)
    page.goto(site + ARTICLE)  # the second visit comes from the page cache
    page.get_by_role("button", name="No").click()
    status = page.locator("[data-feedback-status]")
    status.wait_for()
    assert status.inner_text() == "Thank you for your answer."
    page.fill("#page-feedback-text", "More about costs, please. Write to me at pat@example.com")
    assert axe_violations(page, open_page.log) == []
    page.get_by_role("button", name="Send comment").click()
    page.locator("[data-feedback-status]", has_text="Your comment helps").wait_for()
    assert page.locator("[data-feedback-comment]").is_hidden()
    assert page.context.cookies() == []


def test_axe_on_the_insights_page(open_page, site, admin_state):
    for viewport in (PHONE, DESKTOP):
        admin = open_page(viewport, storage_state=admin_state)
        admin.goto(site + "/admin/insights/")
        assert admin.locator("h1").inner_text() == "Content insights"
        assert axe_violations(admin, open_page.log) == []


def test_the_nu_html_checker_on_the_new_public_pages(open_page, site, tmp_path):
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    if java_missing():
        pytest.skip("java is missing: `apt-get install default-jre-headless` (.ci/run does)")
    page = open_page(DESKTOP)
    files = []
    page.goto(site + "/contact/")
    fill_contact(page, "I want to end my life")
    page.click("form.inquiry-form button[type=submit]")
    page.wait_for_url("**/contact/sent/")
    files.append(tmp_path / "sent-urgent.html")
    files[-1].write_text(page.content())
    for name, path in [("thanks", "/feedback/thanks/?page=/faq/&helpful=no"), ("faq", "/faq/")]:
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(page.request.get(site + path).text())
    errors = html_checker_errors(jar, files)
    assert errors == [], "\n".join(errors)


def test_the_page_view_beacon_carries_no_cookie_even_when_the_browser_has_one(open_page, site):
    page = open_page(PHONE)
    page.goto(site + "/contact/")  # the contact form sets its CSRF cookie
    assert page.context.cookies() != []
    with page.expect_request("**/insights/view/") as beacon:
        page.goto(site + ARTICLE)
    request = beacon.value
    assert request.method == "POST" and request.post_data == ARTICLE
    headers = request.all_headers()
    assert "cookie" not in headers
    assert beacon.value.response().status == 204


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_crisis_search_shows_the_card_first_and_passes_axe(open_page, site, viewport):
    page = open_page(viewport)
    page.goto(site + "/search/?q=i+dont+want+to+be+here+anymore")
    card = page.locator("#care-card-search")
    assert card.is_visible()
    assert card.bounding_box()["y"] < page.locator("main h1").bounding_box()["y"]
    assert axe_violations(page, open_page.log) == []
