"""The care cards: each symptom under its level, most urgent first, with where to go day or
night; a card naming an unknown symptom is refused next to the field."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, FAQEntry, Status, TriageLevel
from clinic.models import ClinicProfile
from foundation.care_cards import TRIAGE_LEVELS
from tests.html_tree import parse
from tests.triage.cards import AFTER_HOURS, CARD, FALLBACK, cards, items

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
