"""Triage as data: each symptom's level and wording live once (content/triage.yaml, the
TriageSymptom rows); care cards name symptoms by key and say where to go, day or night;
/when-to-get-help/ lists them all. Changing the data changes every card."""

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import review
from articles.citations import uses_old_cards
from articles.content_files import parse_triage, triage_file_text
from articles.models import (
    Article,
    ChangeStatus,
    FAQEntry,
    PendingChange,
    Status,
    TriageLevel,
    TriageSymptom,
    fingerprint,
)
from clinic.models import Clinician, ClinicProfile
from clinic_site.care_cards import TRIAGE_LEVELS
from tests.html_tree import parse
from tests.staff import staff_in_group

TRIAGE_FILE = Path(settings.BASE_DIR) / "content" / "triage.yaml"
CARD = """\
## After a dose

!!! when-to-get-help "After a dose, get help if you notice:"
    - painful-peeing
    - slow-breathing
    - suicidal-thoughts
    - vomiting-will-not-stop
    - stroke-signs
"""
AFTER_HOURS = "(201) 555-0199"
FALLBACK = "When the clinic is closed, go to an urgent care center or call your own doctor."


@pytest.fixture
def symptoms(db):
    """The real triage data, as import_content loads it."""
    for order, state in enumerate(parse_triage(TRIAGE_FILE), start=1):
        TriageSymptom.objects.create(order=order, source_hash=fingerprint(state), **state)
    return {s.key: s for s in TriageSymptom.objects.all()}


@pytest.fixture
def profile(db):
    profile = ClinicProfile.load()
    profile.after_hours_phone = AFTER_HOURS
    profile.after_hours_note = "a nurse answers at night and at weekends"
    profile.save()
    return profile


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(staff_in_group("reviewer", "Clinical reviewer"))
    return client


def cards(html: str) -> dict[str, object]:
    """Each care card on the page by its level (the class care-card--<level>)."""
    found = {}
    for card in parse(html).find_all("div", "care-card"):
        level = next(c.removeprefix("care-card--") for c in card.classes if "--" in c)
        found[level] = card
    return found


def items(card) -> list[str]:
    return [li.text() for li in card.find_all("li")]


# --- The cards --------------------------------------------------------------------------


def test_the_levels_are_one_list_in_one_order():
    """The model's levels are the renderer's, most urgent first."""
    assert list(TriageLevel.values) == list(TRIAGE_LEVELS)


def test_a_card_lists_each_level_present_most_urgent_first_with_its_destination(
    symptoms, profile, make_article
):
    article = make_article(slug="after", body=CARD)
    found = cards(article.body_html)
    assert list(found) == ["emergency", "crisis", "clinic_today", "soon"]  # most urgent first
    assert article.body_html.index("care-card--emergency") < article.body_html.index(
        "care-card--soon"
    )

    emergency = found["emergency"]
    assert items(emergency) == [symptoms["slow-breathing"].text, symptoms["stroke-signs"].text]
    assert "Emergency: Call 911 or go to the emergency room now" in emergency.text()
    assert "tel:911" in emergency.links() and "tel:988" not in emergency.links()

    crisis = found["crisis"]
    assert items(crisis) == [symptoms["suicidal-thoughts"].text]
    assert {"tel:988", "sms:988"} <= set(crisis.links())

    today = found["clinic_today"]
    assert items(today) == [symptoms["vomiting-will-not-stop"].text]
    assert "Call the clinic today at (201) 555-0142." in today.text()
    assert profile.phone_href in today.links()
    assert "988" not in today.text()

    soon = found["soon"]
    assert items(soon) == [symptoms["painful-peeing"].text]
    assert "see your own doctor" in soon.text() and "988" not in soon.text()

    for card in found.values():
        assert "/when-to-get-help/" in card.links()
    # The author's heading leads the group; the cards' headings come one level below it.
    group = parse(article.body_html).find_all("div", "help-cards")[0]
    assert group.find_all("h3")[0].text() == "After a dose, get help if you notice:"
    assert len(group.find_all("h4", "care-card__heading")) == 4
    assert [tuple(h) for h in article.headings] == [("after-a-dose", "After a dose")]


def test_the_clinic_levels_carry_the_after_hours_line_inside_the_card(
    symptoms, profile, make_article
):
    html = make_article(body=CARD).body_html
    for level in ("clinic_today", "soon"):
        card = cards(html)[level]
        text = card.text()
        assert (
            "When the clinic is closed, call our after-hours line at (201) 555-0199 "
            "(a nurse answers at night and at weekends). If it gets worse, call 911." in text
        )
        assert "tel:2015550199" in card.links() and "tel:911" in card.links()


def test_without_an_after_hours_line_the_card_sends_to_urgent_care_or_your_own_doctor(
    symptoms, make_article
):
    profile = ClinicProfile.load()
    profile.after_hours_phone = ""
    profile.save()
    html = make_article(body=CARD).body_html
    for level in ("clinic_today", "soon"):
        text = cards(html)[level].text()
        assert FALLBACK in text and "If it gets worse, call 911." in text
        assert "after-hours" not in text


def test_faq_answers_get_the_same_cards(symptoms, profile, make_faq):
    entry = make_faq(answer="Most people feel fine.\n\n" + CARD.split("\n", 2)[2])
    found = cards(entry.answer_html)
    assert set(found) == {"emergency", "crisis", "clinic_today", "soon"}
    assert AFTER_HOURS in found["clinic_today"].text()


def test_the_include_says_what_the_cards_say(symptoms, profile, client, make_article):
    """templates/includes/clinic_closed_route.html and the cards use the same words."""
    card_text = cards(make_article(body=CARD).body_html)["clinic_today"].text()
    html = client.get(reverse("inquiries:contact")).content.decode()
    route = parse(html).find_all("p", "closed-route")[0]
    sentence = route.text().split(" See when to get help")[0]
    assert sentence in card_text
    assert "tel:2015550199" in route.links() and "/when-to-get-help/" in route.links()


def test_the_include_falls_back_without_an_after_hours_line(db, client):
    profile = ClinicProfile.load()
    profile.after_hours_phone = ""
    profile.save()
    html = client.get(reverse("inquiries:contact")).content.decode()
    route = parse(html).find_all("p", "closed-route")[0].text()
    assert route.startswith(FALLBACK + " If it gets worse, call 911.")


# --- Refused next to the field ----------------------------------------------------------


def add_article(client, body: str):
    return client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Cards",
            "slug": "cards",
            "summary": "A summary.",
            "topic": "basics",
            "order": 1,
            "body": body,
            "status": Status.DRAFT,
            "publish_at_0": "2026-01-01",
            "publish_at_1": "10:00:00",
        },
    )


def body_errors(response) -> list[str]:
    return list(response.context["adminform"].form.errors.get("body", []))


def test_an_unknown_key_is_refused_next_to_the_body_with_the_nearest_keys(symptoms, editor_client):
    response = add_article(editor_client, "!!! when-to-get-help\n    - slow-breath\n")
    assert response.status_code == 200
    [error] = body_errors(response)
    assert error.startswith("“slow-breath” is not a symptom key")
    assert "The nearest keys are: slow-breathing" in error
    assert not Article.objects.exists()


def test_anything_but_a_key_in_the_list_is_refused(symptoms, editor_client):
    body = "!!! when-to-get-help\n    - slow-breathing\n    Call 911 if you feel bad.\n"
    [error] = body_errors(add_article(editor_client, body))
    assert "“Call 911 if you feel bad.” is not a symptom key" in error
    assert "lists only keys, one per line" in error


def test_an_empty_card_is_refused(symptoms, editor_client):
    [error] = body_errors(add_article(editor_client, "!!! when-to-get-help\n\nText.\n"))
    assert "lists no symptoms" in error


@pytest.mark.parametrize("kind", ["emergency", "urgent"])
def test_an_old_free_text_card_is_refused_with_what_to_use_instead(symptoms, editor_client, kind):
    body = f'!!! {kind} "Call the clinic, or call or text 988, now if:"\n    - you feel confused\n'
    [error] = body_errors(add_article(editor_client, body))
    assert error.startswith(f"“!!! {kind}” cards with their own text are no longer used")
    assert "!!! when-to-get-help" in error and "symptom key" in error


def test_known_keys_and_an_information_box_save(symptoms, editor_client):
    body = CARD + '\n!!! info "Good to know"\n    Bring a list of your medicines.\n'
    assert add_article(editor_client, body).status_code == 302
    html = Article.objects.get().body_html
    assert '<div class="care-card care-card--info">' in html
    assert len(cards(html)) == 5


def test_an_unknown_key_in_a_faq_answer_is_refused_next_to_the_answer(symptoms, editor_client):
    response = editor_client.post(
        reverse("admin:articles_faqentry_add"),
        {"question": "Q?", "answer": "!!! when-to-get-help\n    - chest-pains\n", "order": 1},
    )
    errors = response.context["adminform"].form.errors["answer"]
    assert "“chest-pains” is not a symptom key" in errors[0] and "chest-pain" in errors[0]
    assert not FAQEntry.objects.exists()


def test_the_editors_help_lists_every_key_with_its_level_and_text(symptoms, editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Symptom keys for when-to-get-help cards" in html
    for symptom in symptoms.values():
        row = re.search(rf"<code>{symptom.key}</code></td><td>([^<]+)</td><td>([^<]+)</td>", html)
        assert row, symptom.key
        assert row.group(1) == symptom.get_level_display()
        assert row.group(2).replace("&#x27;", "'") == symptom.text.replace("'", "'")


# --- Changing the data changes every card -----------------------------------------------


def test_a_level_changed_in_the_admin_changes_every_card(
    symptoms, profile, reviewer_client, make_article, make_faq
):
    first = make_article(body=CARD)
    second = make_article(body="!!! when-to-get-help\n    - painful-peeing\n")
    answer = make_faq(answer="!!! when-to-get-help\n    - painful-peeing\n")
    symptom = symptoms["painful-peeing"]
    response = reviewer_client.post(
        reverse("admin:articles_triagesymptom_change", args=[symptom.pk]),
        {"key": symptom.key, "level": "clinic_today", "text": "Pain when you pee", "order": 1},
    )
    assert response.status_code == 302
    for html in (
        Article.objects.get(pk=first.pk).body_html,
        Article.objects.get(pk=second.pk).body_html,
        FAQEntry.objects.get(pk=answer.pk).answer_html,
    ):
        assert "Pain when you pee" in items(cards(html)["clinic_today"])
        assert "soon" not in cards(html)


def test_a_level_changed_in_the_file_waits_for_a_reviewer_then_changes_every_card(
    symptoms, profile, make_article, tmp_path, settings, client
):
    """Symptoms follow the review rule (articles/review/content.py): a file's new level
    for a live symptom waits as a change; once approved, every card says it."""
    settings.REQUIRE_MEDICAL_REVIEW = True
    article = make_article(body="!!! when-to-get-help\n    - blood-in-urine\n")
    assert "soon" in cards(article.body_html)
    changed = TRIAGE_FILE.read_text().replace(
        "key: blood-in-urine\n    level: soon", "key: blood-in-urine\n    level: clinic_today"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "triage.yaml").write_text(changed)
    out = StringIO()
    call_command("import_content", "--dir", str(tmp_path), stdout=out)
    assert "Waiting for clinical review: 1 item(s)" in out.getvalue()
    assert "symptom blood-in-urine" in out.getvalue()
    assert TriageSymptom.objects.get(key="blood-in-urine").level == "soon"
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["soon"]

    reviewer = staff_in_group("grace", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=reviewer)
    change = review.changes_to(symptoms["blood-in-urine"]).get(status=ChangeStatus.WAITING)
    client.force_login(reviewer)
    screen = client.get(reverse("admin:articles_pendingchange_change", args=[change.pk]))
    # The reviewer reads where the symptom sends a patient, in words, before and after.
    assert "See your own doctor or the clinic within a few days" in screen.content.decode()
    assert "Call the clinic the same day" in screen.content.decode()
    review.approve(change, reviewer)
    assert TriageSymptom.objects.get(key="blood-in-urine").level == "clinic_today"
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["clinic_today"]


def test_a_level_changed_in_the_file_goes_live_at_once_without_the_review_rule(
    symptoms, profile, make_article, tmp_path, settings
):
    settings.REQUIRE_MEDICAL_REVIEW = False
    article = make_article(body="!!! when-to-get-help\n    - blood-in-urine\n")
    changed = TRIAGE_FILE.read_text().replace(
        "key: blood-in-urine\n    level: soon", "key: blood-in-urine\n    level: clinic_today"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "triage.yaml").write_text(changed)
    out = StringIO()
    call_command("import_content", "--dir", str(tmp_path), stdout=out)
    assert "Updated symptom blood-in-urine" in out.getvalue()
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["clinic_today"]


def test_editors_see_symptoms_but_cannot_change_them(symptoms, editor_client):
    symptom = symptoms["blood-in-urine"]
    url = reverse("admin:articles_triagesymptom_change", args=[symptom.pk])
    assert editor_client.get(url).status_code == 200
    data = {"key": symptom.key, "level": "emergency", "text": symptom.text, "order": 1}
    assert editor_client.post(url, data).status_code == 403
    assert TriageSymptom.objects.get(pk=symptom.pk).level == "soon"
    assert not PendingChange.objects.exists()


def test_a_reviewers_symptom_change_is_live_at_once_with_its_history(
    symptoms, profile, make_article, reviewer_client
):
    article = make_article(body="!!! when-to-get-help\n    - blood-in-urine\n")
    symptom = symptoms["blood-in-urine"]
    url = reverse("admin:articles_triagesymptom_change", args=[symptom.pk])
    data = {"key": symptom.key, "level": "clinic_today", "text": symptom.text, "order": 1}
    assert reviewer_client.post(url, data).status_code == 302
    assert list(cards(Article.objects.get(pk=article.pk).body_html)) == ["clinic_today"]
    assert not PendingChange.objects.exists()
    history = reviewer_client.get(
        reverse("admin:articles_triagesymptom_history", args=[symptom.pk])
    )
    assert history.status_code == 200


def test_the_after_hours_line_changed_in_the_profile_changes_every_card(
    symptoms, make_article, make_faq, client
):
    article = make_article(slug="cards", body=CARD)
    answer = make_faq(answer="!!! when-to-get-help\n    - vomiting-will-not-stop\n")
    profile = ClinicProfile.load()
    profile.after_hours_phone = "(201) 555-0177"
    profile.save()
    page = client.get("/articles/cards/").content.decode()
    assert "(201) 555-0177" in cards(page)["clinic_today"].text()
    assert (
        "tel:2015550177"
        in cards(FAQEntry.objects.get(pk=answer.pk).answer_html)["clinic_today"].links()
    )
    profile.after_hours_phone = ""
    profile.save()
    html = Article.objects.get(pk=article.pk).body_html
    assert FALLBACK in cards(html)["soon"].text() and "555-0177" not in html
    assert "555-0177" not in client.get("/when-to-get-help/").content.decode()


def test_a_symptom_a_card_lists_cannot_be_deleted_or_renamed(
    symptoms, reviewer_client, make_article
):
    make_article(title="Aftercare", body="!!! when-to-get-help\n    - seizure\n")
    symptom = symptoms["seizure"]
    url = reverse("admin:articles_triagesymptom_delete", args=[symptom.pk])
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 403
    response = reviewer_client.post(
        reverse("admin:articles_triagesymptom_change", args=[symptom.pk]),
        {"key": "fit", "level": "emergency", "text": symptom.text, "order": 1},
    )
    errors = response.context["adminform"].form.errors["key"]
    assert "“seizure” is used by care cards on: Aftercare" in errors[0]
    assert TriageSymptom.objects.filter(key="seizure").exists()


def test_editors_can_read_the_symptoms_but_only_clinical_reviewers_change_them(
    symptoms, editor_client
):
    symptom = symptoms["chest-pain"]
    url = reverse("admin:articles_triagesymptom_change", args=[symptom.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, {"key": "chest-pain", "level": "soon", "text": "Chest pain", "order": 1}
    )
    assert response.status_code == 403
    assert TriageSymptom.objects.get(pk=symptom.pk).level == "emergency"


# --- The file ---------------------------------------------------------------------------


def test_import_then_export_gives_back_the_same_file(symptoms, tmp_path):
    call_command("export_content", "--dir", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "triage.yaml").read_text() == TRIAGE_FILE.read_text()
    assert triage_file_text(parse_triage(TRIAGE_FILE)) == TRIAGE_FILE.read_text()


@pytest.mark.parametrize(
    "change, message",
    [
        (("level: soon", "level: later"), "symptom 15 (painful-peeing): unknown level 'later'"),
        (("key: peeing-often", "key: painful-peeing"), "the key 'painful-peeing' is listed twice"),
        (('text: "Chest pain"', "text: "), "symptom 3 (chest-pain) has no text"),
        (('heading: "Call or text 988 now"', 'heading: "Call 988"'), "'levels:' must list"),
        (("key: seizure", "key: Seizure!"), "symptom 4 (Seizure!): the key must be lower-case"),
    ],
)
def test_bad_data_in_the_file_is_refused_naming_the_entry(db, tmp_path, change, message):
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "triage.yaml").write_text(TRIAGE_FILE.read_text().replace(*change, 1))
    with pytest.raises(CommandError) as refused:
        call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())
    assert str(refused.value).startswith("Nothing was imported.")
    assert message in str(refused.value)
    assert not TriageSymptom.objects.exists()


def test_an_article_with_a_key_the_file_does_not_have_is_refused_on_import(db, tmp_path):
    shutil.copy(TRIAGE_FILE, tmp_path / "triage.yaml")
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "articles" / "one.md").write_text(
        "---\ntitle: One\nsummary: A summary.\ntopic: basics\n---\n\n"
        "!!! when-to-get-help\n    - chest-pain\n    - confusion\n"
    )
    with pytest.raises(CommandError, match="“confusion” is not a symptom key"):
        call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())


# --- The page ---------------------------------------------------------------------------


def test_the_page_lists_every_symptom_under_its_level_most_urgent_first(symptoms, profile, client):
    response = client.get("/when-to-get-help/")
    assert response.status_code == 200
    html = response.content.decode()
    main = parse(html).find_all("main")[0]
    found = {}
    for card in main.find_all("div", "care-card"):
        level = card.classes[1].removeprefix("care-card--")
        found[level] = items(card)
    assert list(found) == list(TriageLevel.values)
    for symptom in symptoms.values():
        assert symptom.text in found[symptom.level], symptom.key
    assert sum(len(texts) for texts in found.values()) == len(symptoms)
    links = main.links()
    assert {"tel:911", "tel:988", "sms:988", profile.phone_href, "tel:2015550199"} <= set(links)
    assert "education, not medical advice" in main.text()
    # It is the full list: its cards do not link to itself.
    card_links = [a for card in main.find_all("div", "care-card") for a in card.links()]
    assert "/when-to-get-help/" not in card_links


def test_the_page_is_in_the_sitemap_and_linked_from_the_crisis_notice_and_footer(symptoms, client):
    assert "/when-to-get-help/</loc>" in client.get("/sitemap.xml").content.decode()
    page = parse(client.get("/").content.decode())
    crisis = page.find_all("aside", "crisis")[0]
    footer = page.find_all("footer")[0]
    assert "/when-to-get-help/" in crisis.links()
    assert "/when-to-get-help/" in footer.links()
    assert "tel:2015550199" in footer.links() or FALLBACK in footer.text()


def test_the_page_follows_a_symptom_change_through_the_page_cache(symptoms, settings):
    from tests.wsgi_client import WsgiClient

    settings.PAGE_CACHE_ENABLED = True
    site = WsgiClient()
    assert "Chest pain" in site.get("/when-to-get-help/").text()
    symptom = symptoms["chest-pain"]
    symptom.text = "Pain or tightness in the chest"
    symptom.save()
    assert "Pain or tightness in the chest" in site.get("/when-to-get-help/").text()


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
