"""In the browser, on a phone: the Spanish contact form (issue 28). Typing a Spanish crisis
message shows the Spanish care card (sending still works), the sent page leads with it, and
staff see the inquiry flagged and marked Spanish; "Was this page helpful?" on a Spanish
article answers in Spanish. axe and the Nu HTML Checker on the Spanish pages."""

import pytest

from .conftest import DESKTOP, PHONE, html_checker_errors, java_missing, node_tool
from .test_crisis_and_insights import fill_contact
from .test_quality_gates import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ARTICLE_ES = "/es/articles/what-is-ketamine-therapy/"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_spanish_crisis_message_shows_the_spanish_card_and_is_sent(
    open_page, site, admin_state, viewport
):
    page = open_page(viewport)
    page.goto(site + "/es/contact/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert axe_violations(page, open_page.log) == []
    card = page.locator("#care-card-typing")
    fill_contact(page, "¿Cuánto cuesta una sesión?")
    assert card.is_hidden()
    page.fill("#id_message", "Ya no quiero vivir, quiero hacerme daño")
    assert card.is_visible()
    assert "marque 2" in card.inner_text() and "AYUDA" in card.inner_text()
    page.click("form.inquiry-form button[type=submit]")  # the card never blocks sending
    page.wait_for_url("**/es/contact/sent/")
    first = page.locator("main .contact-page > :first-child")
    assert first.get_attribute("class") == "care-card care-card--emergency"
    assert "marque 2" in first.inner_text()
    assert page.locator("h1").inner_text() == "Gracias, recibimos su mensaje"
    assert axe_violations(page, open_page.log) == []

    admin = open_page(viewport, storage_state=admin_state)
    admin.goto(site + "/admin/inquiries/inquiry/?language__exact=es")
    first_row = admin.locator("#result_list tbody tr").first.inner_text()
    assert "Urgent" in first_row and "Spanish (español)" in first_row


def test_spanish_errors_in_the_browser_pass_axe(open_page, site):
    page = open_page(PHONE)
    page.goto(site + "/es/contact/")
    page.click("form.inquiry-form button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert page.locator("#id_name-error").text_content() == "Error: Por favor, escriba su nombre."
    assert axe_violations(page, open_page.log) == []


def test_was_this_page_helpful_answers_in_spanish(open_page, site):
    page = open_page(PHONE)
    page.goto(site + ARTICLE_ES)
    page.locator("[data-page-feedback] button[value=yes]").click()
    status = page.locator("[data-feedback-status]")
    status.wait_for()
    assert status.inner_text() == "Gracias por su respuesta."
    assert page.context.cookies() == []


def test_the_nu_html_checker_on_the_spanish_contact_pages(open_page, site, tmp_path):
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    if java_missing():
        pytest.skip("java is missing: `apt-get install default-jre-headless` (.ci/run does)")
    page = open_page(DESKTOP)
    page.goto(site + "/es/contact/")
    files = [tmp_path / "contact.html"]
    files[-1].write_text(page.content())
    fill_contact(page, "Quiero morir")
    page.click("form.inquiry-form button[type=submit]")
    page.wait_for_url("**/es/contact/sent/")
    files.append(tmp_path / "sent-urgent.html")
    files[-1].write_text(page.content())
    thanks = f"/es/feedback/thanks/?page={ARTICLE_ES}&helpful=no"
    files.append(tmp_path / "thanks.html")
    files[-1].write_text(page.request.get(site + thanks).text())
    errors = html_checker_errors(jar, files)
    assert errors == [], "\n".join(errors)
