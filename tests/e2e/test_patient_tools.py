"""In the browser: the PHQ-9 at /check-your-mood/ and the question list at
/questions-for-your-consultation/.

Right score and band at every band's edges; any answer but "Not at all" to question 9 shows
the crisis card above everything, before a score; nothing leaves the page (no request, no
cookie, no storage) while answering; without JavaScript a printable questionnaire with the
scoring table; the print layout on one page; axe and the Nu HTML Checker on both pages.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    DESKTOP,
    PHONE,
    PROXY_HEADERS,
    html_checker_errors,
    java_missing,
    node_tool,
)
from .test_quality_gates import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MOOD = "/check-your-mood/"
QUESTIONS = "/questions-for-your-consultation/"

# (answers to questions 1-9, total, band), typed here rather than taken from the app: each
# band's lowest and highest total, by the published bands (Kroenke et al., 2001).
ANSWER_SETS = [
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
    ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "Minimal"),
    ([2, 1, 0, 1, 1, 0, 0, 0, 0], 5, "Mild"),
    ([3, 3, 3, 0, 0, 0, 0, 0, 0], 9, "Mild"),
    ([3, 3, 2, 2, 0, 0, 0, 0, 0], 10, "Moderate"),
    ([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "Moderate"),
    ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "Moderately severe"),
    ([3, 3, 3, 3, 3, 2, 1, 1, 0], 19, "Moderately severe"),
    ([3, 3, 3, 3, 2, 2, 2, 2, 0], 20, "Severe"),
    ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "Severe"),
    ([0, 0, 0, 0, 0, 0, 0, 0, 1], 1, "Minimal"),  # low total, yet question 9 answered
]
# Records, from before any of the page's own scripts run, every attempt to store something.
# Playwright adds it through DevTools, outside the page's Content-Security-Policy.
WATCH_STORAGE = """
window.__stored = [];
for (const name of ["setItem", "removeItem", "clear"]) {
  const original = Storage.prototype[name];
  Storage.prototype[name] = function (...args) {
    window.__stored.push(name + " " + args.join("="));
    return original.apply(this, args);
  };
}
const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
Object.defineProperty(Document.prototype, "cookie", {
  get() { return cookie.get.call(this); },
  set(value) { window.__stored.push("cookie " + value); cookie.set.call(this, value); },
});
const openDatabase = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (...args) {
  window.__stored.push("indexedDB " + args[0]);
  return openDatabase.apply(this, args);
};
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""
LETTER_WITH_MARGINS = {
    "format": "Letter",
    "margin": {side: "0.4in" for side in ("top", "right", "bottom", "left")},  # as Chromium prints
}


def answer(page: Page, answers: list[int]) -> None:
    for number, points in enumerate(answers, start=1):
        page.check(f"#phq-q{number}-{points}")


def result_text(page: Page) -> str:
    return " ".join(page.locator("[data-phq-outcome]").inner_text().split())


def above(page: Page, first: str, second: str) -> bool:
    """Whether `first` comes before `second` in the page, as read and as seen."""
    return page.evaluate(
        """([a, b]) => {
             const x = document.querySelector(a), y = document.querySelector(b);
             return Boolean(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING)
               && x.getBoundingClientRect().bottom <= y.getBoundingClientRect().top;
           }""",
        [first, second],
    )


def pdf_pages(page: Page) -> int:
    page.emulate_media(media="print")
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(**LETTER_WITH_MARGINS)))


def test_every_bands_edges_give_the_right_score_and_band(open_page, site):
    page = open_page(PHONE)
    page.goto(site + MOOD)
    outcome = page.locator("[data-phq-outcome]")
    for answers, total, band in ANSWER_SETS:
        answer(page, answers[:8])
        assert outcome.is_hidden(), "no score before all nine are answered"
        assert page.locator("[data-phq-count]").inner_text() == "8"
        answer(page, answers)
        assert outcome.is_visible()
        text = result_text(page)
        assert f"Your score: {total} out of 27. {band} (" in text, (answers, text)
        assert page.locator("#phq-crisis").is_visible() == (answers[8] > 0), answers
        page.click("[data-phq-clear]")
        assert outcome.is_hidden() and page.locator("#phq-crisis").is_hidden()
        assert page.locator("input[type=radio]:checked").count() == 0
    # Changing one answer changes the result at once.
    answer(page, ANSWER_SETS[4][0])  # 10, moderate
    page.check("#phq-q1-2")
    assert "Your score: 9 out of 27. Mild (5 to 9)." in result_text(page)


@pytest.mark.parametrize("points", [1, 2, 3])
def test_any_answer_but_not_at_all_to_question_9_shows_the_crisis_card_first(
    open_page, site, points
):
    page = open_page(PHONE)
    page.goto(site + MOOD)
    card = page.locator("#phq-crisis")
    assert card.is_hidden()
    page.check(f"#phq-q9-{points}")
    # At once, while nothing else is answered: before any score.
    assert card.is_visible()
    assert page.locator("[data-phq-outcome]").is_hidden()
    assert "988" in card.inner_text() and "911" in card.inner_text()
    assert card.get_attribute("role") == "region"
    assert page.evaluate(
        "document.querySelector('#phq-crisis').closest('[aria-live=polite]') !== null"
    )
    # Above everything else in the page's content, and in view.
    assert page.evaluate(
        "document.querySelector('main .wrap').firstElementChild.contains(document.querySelector('#phq-crisis'))"
    )
    expect(card).to_be_in_viewport()  # scrolled to, from question 9 far below
    answer(page, [1, 1, 1, 1, 1, 1, 1, 1, points])
    assert above(page, "#phq-crisis", "h1") and above(page, "#phq-crisis", "[data-phq-score]")
    assert page.locator("[data-phq-crisis-first]").is_visible()
    # Changing the answer back never takes the help away; clearing the answers does.
    page.check("#phq-q9-0")
    assert card.is_visible()
    page.click("[data-phq-clear]")
    assert card.is_hidden()


def test_not_at_all_to_question_9_is_never_presented_as_reassurance(open_page, site):
    page = open_page(DESKTOP)
    page.goto(site + MOOD)
    answer(page, [0] * 9)
    assert page.locator("#phq-crisis").is_hidden()
    result = " ".join(page.locator("#phq-result").inner_text().split())
    assert "Your score: 0 out of 27. Minimal (0 to 4)." in result
    assert (
        "If you have thoughts of ending your life or of hurting yourself, at any time, call or text 988."
        in result
    )
    assert "This is not a diagnosis. Share your answers with a doctor." in result
    for reassurance in (
        "safe",
        "no risk",
        "nothing to worry",
        "you are fine",
        "not at risk",
        "good news",
    ):
        assert reassurance not in result.lower(), reassurance


def test_answering_sends_nothing_sets_no_cookie_and_stores_nothing(open_page, site):
    page = open_page(PHONE)
    page.add_init_script(WATCH_STORAGE)
    page.goto(site + MOOD)
    page.wait_for_load_state("networkidle")  # the page's own requests (the view count) are done
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    answer(page, [3, 2, 1, 0, 3, 2, 1, 0, 2])
    page.check("#phq-q10-2")
    answer(page, [0, 1, 2, 3, 0, 1, 2, 3, 0])
    page.click("text=Print or save my answers")
    page.click("[data-phq-clear]")
    answer(page, [1] * 9)
    assert requests == [], "answering made a network request"
    assert page.evaluate("window.__stored") == []
    assert page.evaluate("window.__printed") == 1  # the Print button prints, and only that

    page.goto(site + QUESTIONS)
    page.wait_for_load_state("networkidle")
    requests.clear()
    for box in page.locator("input[type=checkbox]").all()[:5]:
        box.check()
    page.fill("#consult-own-questions", "Can my own psychiatrist see my results?")
    page.fill("#consult-notes", "Six sessions, then we decide together.")
    page.click("text=Print my list")

    assert requests == [], "ticking and writing made a network request"
    assert page.context.cookies() == []
    assert page.evaluate("window.__stored") == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate("window.__printed") == 1


def test_without_javascript_the_page_is_a_questionnaire_to_print_and_add_up_by_hand(browser, site):
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, extra_http_headers=PROXY_HEADERS
    )
    try:
        page = context.new_page()
        page.goto(site + MOOD)
        assert page.locator("fieldset[data-phq-question]").count() == 9
        for number in range(1, 10):
            assert page.locator(f"#phq-q{number}").is_visible()
        page.check("#phq-q9-2")  # the radio buttons work without a script
        assert page.is_checked("#phq-q9-2")
        table = page.locator("table.phq-bands")
        assert table.is_visible()
        assert table.locator("tbody tr").all_inner_texts()[0].split()[:3] == ["0", "to", "4"]
        assert page.locator("[data-phq-by-hand]").is_visible()
        assert page.locator(".phq-q9-note").is_visible()
        assert page.locator("#phq-result").is_hidden()  # nothing that needs the script
        assert page.locator("#phq-crisis").is_hidden()

        page.emulate_media(media="print")
        assert table.is_visible() and page.locator("[data-phq-by-hand]").is_visible()
        assert page.locator(".phq-print-lines").is_visible()
        assert page.locator(".site-header").is_hidden()
        assert pdf_pages(page) == 1

        page.goto(site + QUESTIONS)
        assert page.locator("[data-print]").first.is_hidden()  # a button that could do nothing
        assert page.locator("input[type=checkbox]").count() >= 20
    finally:
        context.close()


def test_the_mood_printout_is_one_clean_page_with_the_answers_and_the_result(open_page, site):
    page = open_page(DESKTOP)
    page.goto(site + MOOD)
    answer(page, [3, 3, 3, 3, 3, 3, 3, 3, 3])  # the longest printout: crisis card and all
    page.check("#phq-q10-3")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".footer-grid", "[data-phq-clear]", "text=Print or save my answers",
                   ".phq-about h2", "#phq-crisis >> text=Go back to the questions"):  # fmt: skip
        assert page.locator(hidden).first.is_hidden(), hidden
    for shown in (".crisis", "#phq-crisis", "[data-phq-score]", ".phq-bands", ".phq-credit",
                  ".phq-print-lines", ".phq-columns", ".footer-notes"):  # fmt: skip
        assert page.locator(shown).first.is_visible(), shown
    weight = page.eval_on_selector(
        "label[for=phq-q4-3]", "label => getComputedStyle(label).fontWeight"
    )
    assert int(weight) >= 700  # the chosen answer stands out on paper
    assert pdf_pages(page) == 1


def test_the_question_list_prints_what_was_ticked_and_written(open_page, site):
    page = open_page(DESKTOP)
    page.goto(site + QUESTIONS)
    page.emulate_media(media="print")
    everything = page.locator(".consult-list li:visible").count()
    assert everything == page.locator("input[type=checkbox]").count()  # none ticked: all
    assert pdf_pages(page) <= 2

    page.emulate_media(media="screen")
    ticked = ["right-for-me-3", "safety-3", "after-2"]
    for box in ticked:
        page.check(f"#{box}")
    own = "Can my own psychiatrist see my results?\n" + "What if the first dose feels scary? " * 20
    page.fill("#consult-own-questions", own)
    page.fill("#consult-notes", "Six sessions, then we decide together.")
    page.emulate_media(media="print")
    shown = page.locator(".consult-list li:visible input").evaluate_all(
        "boxes => boxes.map(b => b.id)"
    )
    assert shown == ticked
    assert page.locator(".consult-group:visible").count() == 3
    # The box grows with what was written, so none of it is cut off on paper.
    own_box = page.locator("#consult-own-questions")
    assert own_box.evaluate("box => box.scrollHeight <= box.clientHeight + 1")
    assert page.locator(".tool-facts").is_hidden() and page.locator(".site-header").is_hidden()
    assert pdf_pages(page) == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_axe_finds_nothing_on_either_tool(open_page, site, viewport):
    page = open_page(viewport)
    found = {}
    page.goto(site + MOOD)
    found["mood"] = axe_violations(page, open_page.log)
    answer(page, [2, 2, 1, 1, 2, 1, 1, 0, 1])
    page.check("#phq-q10-1")
    found["mood answered, crisis card shown"] = axe_violations(page, open_page.log)
    page.goto(site + QUESTIONS)
    page.check("#cost-1")
    page.fill("#consult-notes", "Ask about the after-hours line.")
    found["questions"] = axe_violations(page, open_page.log)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_nu_html_checker_finds_no_errors_on_either_tool(open_page, site, tmp_path):
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    if java_missing():
        pytest.skip("java is missing: `apt-get install default-jre-headless` (.ci/run does)")
    page = open_page(DESKTOP)
    files = []
    for name, path in (("mood", MOOD), ("questions", QUESTIONS)):
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(page.request.get(site + path).text())  # as the server sent it
    errors = html_checker_errors(jar, files)
    assert errors == [], "\n".join(errors)
