"""Crisis-aware inquiries: a message that suggests a crisis is stored exactly as sent,
flagged urgent for staff, and the sent page leads with the emergency care card."""

import json
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from inquiries.crisis import CRISIS_PHRASES, suggests_crisis
from inquiries.models import Inquiry
from tests.staff import staff_with_permissions
from tests.test_inquiry_form import CONTACT, SENT, STAFF, form_data


def sent_by_the_notifier() -> None:
    """Run the background step that e-mails staff (never part of the patient's request)."""
    call_command("notify_inquiries", stdout=StringIO())


CRISIS_MESSAGES = [
    "Some days I think about suicide.",
    "I have been feeling SUICIDAL since March.",
    "Sometimes I want to kill myself",
    "I thought about killing myself last week.",
    "I want to end my life",
    "I keep thinking about ending my life.",
    "I don't want to be alive anymore",
    "I don’t want to be alive anymore",  # curly apostrophe, as phones type it
    "i dont want to be alive",
    "I do not want to be alive.",
    "I don't want to live like this",
    "I just want to die",
    "Everyone would be better off dead without me... I mean I'd be better off dead.",
    "There is no reason to live",
    "I might hurt myself",
    "I have been hurting myself again",
    "I am afraid I will harm myself.",
    "History of self-harm, is that a problem?",
    "I cut myself last night",
    "I took an overdose in May.",
    "Last year I overdosed on my pills",
    "I thought about overdosing",
    "I want to take my own life",
    "sometimes i want to end it all",
    "Suicide prevention research says ketamine helps, and honestly I feel suicidal.",
]

NOT_CRISIS_MESSAGES = [
    "I read about suicide prevention research and ketamine.",
    "Is there suicide research on esketamine?",
    "Could ketamine help with my treatment-resistant depression?",
    "What does the overdosage chart say?",  # not the whole word "overdose"
    "My skill myself is low",  # "kill myself" only as whole words
    "I work in suicide prevention at a hospital.",
    "Is it safe to drive home after an infusion?",
    "I would love to get my life back on track.",
    "",
]


@pytest.mark.parametrize("message", CRISIS_MESSAGES)
def test_each_crisis_phrase_is_recognised(message):
    """Case, punctuation and curly apostrophes do not matter."""
    assert suggests_crisis(message)


@pytest.mark.parametrize("phrase", CRISIS_PHRASES)
def test_every_phrase_in_the_list_triggers_on_its_own(phrase):
    assert suggests_crisis(f"Hello. {phrase.upper()}! Thanks")


@pytest.mark.parametrize("message", NOT_CRISIS_MESSAGES)
def test_near_misses_do_not_trigger(message):
    assert not suggests_crisis(message)


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
def test_a_crisis_message_is_stored_as_sent_flagged_urgent_and_the_sent_page_leads_with_help(
    client, django_capture_on_commit_callbacks
):
    """ "I don't want to be alive anymore": stored unchanged, urgent, care card first."""
    message = "I don’t want to be alive anymore.  Can someone call me?\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT, form_data(message=message))
    assert response.status_code == 302 and response["Location"] == SENT

    inquiry = Inquiry.objects.get()
    # As every message: spaces at the very end are trimmed by the form, nothing else.
    assert inquiry.message == message.rstrip()
    assert inquiry.urgent is True

    page = client.get(SENT)
    html = page.content.decode()
    main = html[html.index('<main id="main-content"') :]
    card = main.index('<div class="care-card care-card--emergency"')
    assert card < main.index("<h1>")  # before anything else in the page's content
    assert re.search(r"<main[^>]*>\s*<div class=\"wrap\">\s*<div class=\"contact-page\">\s*"
                     r"<div class=\"care-card care-card--emergency\"", html)  # fmt: skip
    for needed in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', "nearest emergency room"):
        assert needed in main[card : main.index("<h1>")]
    assert "no-store" in page["Cache-Control"]

    # Staff: the subject says urgent, and nothing the person wrote is in the e-mail.
    sent_by_the_notifier()  # staff are e-mailed outside the request (notify_inquiries)
    [email] = mail.outbox
    assert "URGENT" in email.subject
    assert "alive" not in email.subject + email.body
    assert "call me" not in email.subject + email.body
    assert "Dana" not in email.subject + email.body


@pytest.mark.django_db
def test_the_message_is_stored_exactly_as_typed(client):
    """The flag is added; the text is not changed in any way (line breaks are stored as
    one character, as the form counts them: a browser sends CR LF)."""
    message = "Line one: I want to END MY LIFE.\r\nLine two — with “quotes”  and  spaces."
    client.post(CONTACT, form_data(message=message))
    inquiry = Inquiry.objects.get()
    assert inquiry.urgent
    assert inquiry.message == message.replace("\r\n", "\n")


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
def test_an_ordinary_message_is_not_urgent_and_the_sent_page_has_no_care_card(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONTACT, form_data(message="I read suicide prevention research. Costs?"))
    assert Inquiry.objects.get().urgent is False
    sent_by_the_notifier()
    assert "URGENT" not in mail.outbox[0].subject
    html = client.get(SENT).content.decode()
    assert "care-card--emergency" not in html
    assert 'href="tel:988"' in html  # the usual reminder is still there


@pytest.mark.django_db
def test_the_care_card_does_not_come_from_the_address(client):
    """Nothing in the URL says "crisis" (it would sit in access logs); a forged or old
    cookie shows no card."""
    response = client.post(CONTACT, form_data(message="I want to die"))
    assert response["Location"] == SENT
    cookie = response.cookies["contact_care"]
    assert cookie["path"] == SENT and cookie["httponly"] and cookie["max-age"] == 3600
    client.cookies["contact_care"] = "1"  # not signed by the site
    assert "care-card--emergency" not in client.get(SENT).content.decode()


@pytest.mark.django_db
def test_the_form_carries_the_same_phrases_for_the_typing_check(client):
    """The script gets the list from inquiries/crisis.py (one list), and a hidden copy of the
    card to show; the form still posts to the same place with the same fields."""
    html = client.get(CONTACT).content.decode()
    data = re.search(r'<script type="application/json" id="crisis-phrases">(.*?)</script>', html)
    assert json.loads(data.group(1))["crisis"] == list(CRISIS_PHRASES)
    assert re.search(
        r'<div class="care-card care-card--emergency" id="care-card-typing"[^>]*hidden', html
    )
    assert re.search(r'<script src="/static/js/crisis-check\.js[^"]*" defer></script>', html)
    assert 'action="/contact/"' in html


def test_the_typing_script_makes_no_network_request_and_changes_nothing_sent():
    """crisis-check.js only shows or hides the card: no fetch/XHR/beacon, no form change."""
    from django.conf import settings

    script = (settings.BASE_DIR / "static" / "js" / "crisis-check.js").read_text()
    for forbidden in ("fetch(", "XMLHttpRequest", "sendBeacon", "preventDefault", ".value =",
                      "submit", "setAttribute"):  # fmt: skip
        assert forbidden not in script
    assert "card.hidden" in script


@pytest.mark.django_db
def test_urgent_inquiries_come_first_in_the_admin_with_a_flag_staff_can_clear(client):
    client.post(CONTACT, form_data(message="Question about costs", name="First Person"))
    client.post(CONTACT, form_data(message="I want to kill myself", name="Second Person"))
    client.post(CONTACT, form_data(message="Another question", name="Third Person"))
    urgent = Inquiry.objects.get(urgent=True)

    staff = staff_with_permissions("desk", "view_inquiry", "change_inquiry")
    client.force_login(staff)
    html = client.get("/admin/inquiries/inquiry/").content.decode()
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    body_rows = [row for row in rows if "Person" in row]
    assert "Second Person" in body_rows[0] and "Urgent" in body_rows[0]
    assert "Urgent" not in body_rows[1] and "Urgent" not in body_rows[2]
    assert "⚠" in body_rows[0]  # a symbol and a word, not colour alone

    change_page = client.get(f"/admin/inquiries/inquiry/{urgent.pk}/change/").content.decode()
    assert "Urgent: the message may be about a crisis" in change_page
    response = client.post(
        "/admin/inquiries/inquiry/",
        {"action": "clear_urgent", "_selected_action": [urgent.pk]},
        follow=True,
    )
    assert "Urgent flag cleared on 1." in response.content.decode()
    urgent.refresh_from_db()
    assert urgent.urgent is False


@pytest.mark.django_db
def test_an_urgent_message_flagged_as_spam_still_shows_in_the_default_list(client):
    """A person in crisis who pasted their message within seconds must not be hidden."""
    from tests.test_inquiry_form import served_token

    client.post(CONTACT, form_data(message="I want to die", served=served_token(0)))
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Inquiry.Status.SPAM and inquiry.urgent
    client.force_login(staff_with_permissions("desk", "view_inquiry"))
    html = client.get("/admin/inquiries/inquiry/").content.decode()
    assert "Dana Quimby" in html and "Urgent" in html


@pytest.mark.django_db
def test_the_cron_retry_of_an_urgent_notification_says_urgent_too(client):
    """Mail server down (or nobody to tell) at the time: notify_inquiries sends it later,
    still marked urgent, still without what the person wrote."""
    from io import StringIO

    from django.core.management import call_command

    with override_settings(INQUIRY_NOTIFY_EMAILS=[]):
        client.post(CONTACT, form_data(message="I have been thinking about suicide"))
    assert mail.outbox == []
    with override_settings(INQUIRY_NOTIFY_EMAILS=STAFF):
        call_command("notify_inquiries", stdout=StringIO())
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")
    assert "suicide" not in email.subject + email.body
