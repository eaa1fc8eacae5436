"""The patient's own tools on the server side: /check-your-mood/ (the PHQ-9) and
/questions-for-your-consultation/.

The published PHQ-9 wording and bands, the crisis card ready above everything else, no form
and no "Was this page helpful?", only the site's own script, the page cache, the sitemap and
the links to both pages. What the browser does with the answers (score, band, crisis card,
nothing sent or stored, printing) is in tests/e2e/test_patient_tools.py.
"""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command

from clinic.models import ClinicProfile
from patient_tools import phq9

from .wsgi_client import WsgiClient

MOOD = "/check-your-mood/"
QUESTIONS = "/questions-for-your-consultation/"
TOOLS = [MOOD, QUESTIONS]

# The English PHQ-9 form (Pfizer), typed here on its own so that a change to
# patient_tools/phq9.py that alters the published wording fails.
PUBLISHED_ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]
PUBLISHED_ANSWERS = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
PUBLISHED_BANDS = [(0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"),
                   (15, 19, "Moderately severe"), (20, 27, "Severe")]  # fmt: skip


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def main_of(page: str) -> str:
    return page.split('<main id="main-content" tabindex="-1">', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def page(client, db):
    def get(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    return get


def test_the_mood_page_asks_the_published_nine_questions_each_in_a_fieldset_with_four_answers(
    page,
):
    found = re.findall(
        r'<fieldset [^>]*data-phq-question="(\d)"[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>',
        page(MOOD),
        re.S,
    )
    assert [int(number) for number, _, _ in found] == list(range(1, 10))
    for (number, legend, answers), item in zip(found, PUBLISHED_ITEMS, strict=True):
        assert text_of(legend) == f"{number}. {item}"
        radio = rf'<input type="radio" id="([^"]+)" name="phq-q{number}" value="(\d)"'
        radios = re.findall(radio, answers)
        assert [int(value) for _, value in radios] == [0, 1, 2, 3]
        labels = [
            text_of(label) for label in re.findall(r"<label [^>]*>(.*?)</label>", answers, re.S)
        ]
        assert labels == [f"{answer} ({points})" for points, answer in enumerate(PUBLISHED_ANSWERS)]
        for radio_id, _ in radios:
            assert f'<label for="{radio_id}">' in answers


def test_the_mood_page_says_it_is_not_a_diagnosis_credits_the_authors_and_has_the_scoring_table(
    page,
):
    body = page(MOOD)
    text = text_of(body)
    assert text.count("This is not a diagnosis. Share your answers with a doctor.") >= 2
    assert (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
        in text
    )
    assert (
        "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues"
        in text
    )
    assert "Your answers stay on this device" in text
    rows = re.findall(
        r'<tr data-band-low="(\d+)" data-band-high="(\d+)">\s*<th scope="row">[^<]*'
        r'<span class="phq-band-name" data-band-name>([^<]+)</span></th>',
        body,
    )
    assert [(int(low), int(high), name) for low, high, name in rows] == PUBLISHED_BANDS
    assert "My total score:" in text  # to add up by hand
    # The optional tenth question, not scored.
    assert "how difficult have these problems made it for you" in text
    assert "This one is not part of the score." in text


def test_the_published_bands_cover_every_total_once():
    totals = [t for band in phq9.BANDS for t in range(band.low, band.high + 1)]
    assert totals == list(range(phq9.MAX_SCORE + 1)) == list(range(28))


def test_the_crisis_card_comes_before_everything_else_on_the_page_ready_to_show(page):
    main = main_of(page(MOOD))
    card = main.split('id="phq-crisis"', 1)[1].split("</div>\n  </div>", 1)[0]
    before_card = main.split('id="phq-crisis"', 1)[0]
    assert "<h1" not in before_card and "<fieldset" not in before_card
    assert '<div class="phq-crisis-live" aria-live="polite">' in before_card
    assert card.split(">", 1)[0].endswith(" hidden")  # shown by the script, never by default
    for target in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', 'href="/when-to-get-help/"',
                   'href="tel:2015550142"'):  # fmt: skip
        assert target in card, target
    # The clinic's route when it is closed: the demo profile's after-hours line.
    assert "When the clinic is closed" in text_of(card) and 'href="tel:2015550199"' in card


def test_both_tools_have_one_h1_the_crisis_notice_and_the_education_note(page):
    for url in TOOLS:
        body = page(url)
        assert body.count("<h1") == 1, url
        assert '<aside class="crisis" aria-label="Crisis help">' in body, url
        assert "This site is for education, not medical advice." in body, url


def test_neither_tool_has_a_form_a_post_or_the_page_feedback_widget(page):
    for url in TOOLS:
        body = page(url)
        assert "<form" not in main_of(body), url
        assert 'method="post"' not in body.lower(), url
        assert "data-page-feedback" not in body and "Was this page helpful?" not in body, url
        assert "csrfmiddlewaretoken" not in body, url


def test_the_tools_run_only_the_sites_own_scripts_from_static(page, client):
    for url in TOOLS:
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page(url), re.S)
        assert scripts, url
        for attributes, code in scripts:
            assert 'src="/static/js/' in attributes and not code.strip(), (url, attributes)
        assert any("patient-tools.js" in attributes for attributes, _ in scripts), url
    assert client.get(MOOD)["Content-Security-Policy"].count("script-src 'self'") == 1


def test_the_tools_answer_only_get_and_head(client, db):
    for url in TOOLS:
        assert client.post(url, {"phq-q9": "3"}).status_code == 405
        assert client.head(url).status_code == 200


def test_the_questions_page_groups_twenty_to_thirty_questions_with_tick_boxes_and_notes(page):
    main = main_of(page(QUESTIONS))
    groups = [text_of(g) for g in re.findall(r"<legend><h2>(.*?)</h2></legend>", main)]
    assert groups == [
        "Is it right for me?", "Safety and side effects", "What happens on the day",
        "Cost and insurance", "After the course", "About the clinic",
    ]  # fmt: skip
    boxes = re.findall(r'<input type="checkbox" id="([^"]+)"', main)
    assert 20 <= len(boxes) <= 30
    assert all(f'<label for="{box}">' in main for box in boxes)
    for field in ("consult-own-questions", "consult-notes"):
        assert f'<textarea id="{field}"' in main and f'<label for="{field}">' in main
    text = text_of(main)
    # What a careful clinic should answer well (content guide).
    for words in ("before the first dose", "emergency equipment", "my own doctor",
                  "off-label", "compounded", "if it does not help"):  # fmt: skip
        assert words in text, words
    assert "Print my list" in text


def test_both_tools_are_served_from_the_page_cache_without_a_cookie(db, django_assert_num_queries):
    client = WsgiClient()
    for url in TOOLS:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200 and second.content == first.content
        assert "public" in second["Cache-Control"]
        assert not first.has_header("Set-Cookie") and not second.has_header("Set-Cookie")


def test_a_new_clinic_phone_number_reaches_the_cached_crisis_card_at_once(db):
    client = WsgiClient()
    assert "(201) 555-0142" in client.get(MOOD).text()
    profile = ClinicProfile.load()
    profile.phone = "(201) 555-0199"
    profile.save()
    card = client.get(MOOD).text().split('id="phq-crisis"', 1)[1].split("</ul>", 1)[0]
    assert 'href="tel:2015550199">(201) 555-0199</a>' in card


@pytest.fixture
def imported(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())


def test_both_tools_are_in_the_sitemap(client, imported):
    sitemap = client.get("/sitemap.xml").content.decode()
    for url in TOOLS:
        assert f"{url}</loc>" in sitemap


@pytest.mark.parametrize(
    ("url", "links"),
    [
        ("/", [MOOD, QUESTIONS]),
        ("/contact/", [QUESTIONS]),
        ("/faq/", [MOOD]),
        ("/articles/is-ketamine-therapy-right-for-me/", [MOOD]),
        ("/articles/choosing-a-ketamine-clinic/", [QUESTIONS]),
        ("/articles/your-first-visit/", [QUESTIONS]),
    ],
)
def test_the_tools_are_linked_where_a_patient_looks_for_them(client, imported, url, links):
    body = main_of(client.get(url).content.decode())
    for link in links:
        assert f'href="{link}"' in body, (url, link)
