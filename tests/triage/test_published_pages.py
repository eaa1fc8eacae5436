"""Every published page of the real content, after import_content: no card sends a
physical symptom to 988, each symptom under its own level, the closed-clinic route."""

import re
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.citations import uses_old_cards
from articles.models import Article, FAQEntry, TriageSymptom
from clinic.models import ClinicProfile
from tests.html_tree import parse
from tests.triage.cards import AFTER_HOURS, TRIAGE_FILE, items

# --- Every published page, after import_content ------------------------------------------

# "After a dose" lists: a card (or its group, or the section it is in) whose heading says
# what to watch for after a dose, a treatment or a session.
_AFTER_A_DOSE = re.compile(r"\bafter\b.*\b(dose|treatment|session|infusion)", re.IGNORECASE)
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_CLOSED_ROUTE = re.compile(r"when the clinic is closed|after-hours", re.IGNORECASE)


@pytest.fixture(scope="module")
def site_pages(django_db_setup, django_db_blocker):
    """Every published page's HTML after `import_content` of the real content/, and the
    triage data it was checked against. Once per module: it is the slow part."""
    from django.test import Client

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            with override_review_rule():
                call_command("import_content", stdout=StringIO())
            client = Client()
            paths = ["/", "/articles/", "/faq/", "/glossary/", "/when-to-get-help/"]
            paths += [a.get_absolute_url() for a in Article.objects.published()]
            paths += ["/privacy/", "/accessibility/", "/about-our-content/"]
            pages = {}
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, path
                pages[path] = response.content.decode()
            data = {s.key: (s.level, s.text) for s in TriageSymptom.objects.all()}
            old_cards = [a.slug for a in Article.objects.all() if uses_old_cards(a.body)]
            old_cards += [f"FAQ {e.pk}" for e in FAQEntry.objects.all() if uses_old_cards(e.answer)]
            transaction.set_rollback(True)
    return pages, data, old_cards


def override_review_rule():
    from django.test import override_settings

    return override_settings(REQUIRE_MEDICAL_REVIEW=False)  # the demo content, as scripts/run


def check(problems: list[str], old_cards: list[str]) -> None:
    """Fail with every problem, and if any page still has a free-text card."""
    assert not old_cards, f"free-text !!! emergency / !!! urgent cards on: {old_cards}"
    assert not problems, "\n".join(problems)


def level_of(card) -> str:
    return next(c.removeprefix("care-card--") for c in card.classes if c.startswith("care-card--"))


@pytest.mark.django_db  # so the test database exists (site_pages uses it)
def test_no_card_sends_a_physical_symptom_to_988(site_pages):
    """(a) A card that sends to 988 lists only crisis-level symptoms."""
    pages, data, old_cards = site_pages
    crisis_texts = {text for level, text in data.values() if level == "crisis"}
    problems = []
    for path, html in pages.items():
        for card in parse(html).find_all("div", "care-card"):
            heading = " ".join(h.text() for h in card.iter() if h.tag in HEADINGS)
            sends_to_988 = (
                level_of(card) == "crisis"
                or "988" in heading
                or any("988" in href for href in card.links())
            )
            if sends_to_988:
                problems += [
                    f"{path}: a 988 card lists “{text}”"
                    for text in items(card)
                    if text not in crisis_texts
                ]
    check(problems, old_cards)


@pytest.mark.django_db  # so the test database exists (site_pages uses it)
def test_each_symptom_appears_only_under_its_own_level(site_pages):
    """(b) Wherever a symptom's wording appears in a card, the card is of its level."""
    pages, data, old_cards = site_pages
    level_by_text = {text: level for level, text in data.values()}
    problems = []
    for path, html in pages.items():
        for card in parse(html).find_all("div", "care-card"):
            for text in items(card):
                if text in level_by_text and level_by_text[text] != level_of(card):
                    problems.append(
                        f"{path}: “{text}” is in a {level_of(card)} card, not {level_by_text[text]}"
                    )
    check(problems, old_cards)


@pytest.mark.django_db
def test_every_call_the_clinic_carries_the_closed_clinic_route(site_pages):
    """(c) Each paragraph or list item that says "call the clinic" says what to do when it
    is closed: a link to /when-to-get-help/ or the after-hours wording."""
    pages, data, old_cards = site_pages
    problems = []
    for path, html in pages.items():
        main = parse(html).find_all("main")[0]
        for element in main.find_all("p") + main.find_all("li"):
            text = element.text()
            if "call the clinic" not in text.lower():
                continue
            if "/when-to-get-help/" in element.links() or _CLOSED_ROUTE.search(text):
                continue
            problems.append(f"{path}: “{text[:120]}”")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_after_a_dose_lists_put_breathing_stroke_and_allergy_at_the_emergency_level(
    site_pages,
):
    """(d) Pages that list what to watch for after a dose name slow breathing, stroke signs
    and a serious allergic reaction on an emergency card in those lists."""
    pages, data, old_cards = site_pages
    wanted = [data[key][1] for key in ("slow-breathing", "stroke-signs", "allergic-reaction")]
    lists, problems = 0, []
    for path, html in pages.items():
        if path == "/when-to-get-help/":
            continue
        headings, emergency, listed = [], [], False
        for element in parse(html).iter():
            if element.tag in HEADINGS:
                headings.append(element.text())
            is_list = "help-cards" in element.classes or (
                "care-card" in element.classes and "help-cards" not in element.parent.classes
            )
            if not is_list:
                continue
            own_heading = " ".join(h.text() for h in element.iter() if h.tag in HEADINGS)
            if any(_AFTER_A_DOSE.search(h) for h in [*headings[-1:], own_heading]):
                listed = True
                emergency += [
                    text
                    for card in element.find_all("div", "care-card--emergency")
                    for text in items(card)
                ]
        if listed:
            lists += 1
            missing = [text for text in wanted if text not in emergency]
            if missing:
                problems.append(f"{path}: what to watch for after a dose lacks {missing}")
    assert lists, "no page lists what to watch for after a dose"
    assert not problems, "\n".join(problems)


def test_search_finds_a_cards_new_wording_after_a_symptom_change(
    symptoms, reviewer_client, make_article, client
):
    make_article(title="Aftercare", body="Rest.\n\n!!! when-to-get-help\n    - chest-pain\n")
    symptom = symptoms["chest-pain"]
    response = reviewer_client.post(
        reverse("admin:articles_triagesymptom_change", args=[symptom.pk]),
        {"key": "chest-pain", "level": "emergency", "text": "Crushing chest pain", "order": 3},
    )
    assert response.status_code == 302
    reviewer_client.logout()
    page = client.get("/search/?q=crushing").content.decode()
    assert "We found nothing" not in page and "Aftercare" in page


def test_import_refuses_a_free_text_card(db, tmp_path):
    shutil.copy(TRIAGE_FILE, tmp_path / "triage.yaml")
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "articles" / "one.md").write_text(
        "---\ntitle: One\nsummary: A summary.\ntopic: basics\n---\n\n"
        '!!! urgent "Call the clinic, or call or text 988, now if:"\n    - you feel confused\n'
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())
    assert "one.md" in str(refused.value)
    assert "“!!! urgent” cards with their own text are no longer used" in str(refused.value)
    assert not Article.objects.exists()


def test_the_demo_profile_has_an_after_hours_line_and_staff_can_edit_it(db, admin_client):
    profile = ClinicProfile.objects.get(pk=1)  # made by the migrations, as on a new install
    assert profile.after_hours_phone == AFTER_HOURS
    assert profile.after_hours_note == "a nurse answers at night and at weekends"
    html = admin_client.get(reverse("admin:clinic_clinicprofile_change", args=[1])).content
    assert b'name="after_hours_phone"' in html and b'name="after_hours_note"' in html
    assert "urgent care center or call your own doctor instead" in html.decode()
