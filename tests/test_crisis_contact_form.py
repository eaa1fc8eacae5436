"""Crisis-aware inquiries at the contact form: a message that suggests a crisis is stored
exactly as sent, flagged urgent for staff (and e-mailed whatever else is true of it), and
answered with the emergency care card; no crisis message is lost to the spam or rate
limits."""

import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from clinic.crisis import phrases_for_script
from inquiries.models import Inquiry
from tests.contact_form import (
    CONTACT,
    SENT,
    STAFF,
    assert_full_card,
    care_card_in,
    form_data,
    sent_by_the_notifier,
    served_token,
)
from tests.staff import staff_with_permissions
from tests.test_crisis_inquiries import INDIRECT, SPANISH

# --- The contact form ----------------------------------------------------------------------


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
    assert_full_card(main[card : main.index("<h1>")])
    assert "no-store" in page["Cache-Control"]

    # Staff: the subject says urgent, and nothing the person wrote is in the e-mail.
    sent_by_the_notifier()  # staff are e-mailed outside the request (notify_inquiries)
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")
    assert "alive" not in email.subject + email.body
    assert "call me" not in email.subject + email.body
    assert "Dana" not in email.subject + email.body


@pytest.mark.django_db
@pytest.mark.parametrize("message", INDIRECT)
def test_each_indirect_phrase_flags_the_inquiry_and_the_sent_page_shows_the_card(client, message):
    response = client.post(CONTACT, form_data(message=message), follow=True)
    assert Inquiry.objects.get().urgent is True
    assert_full_card(care_card_in(response.content.decode()))


@pytest.mark.django_db
@pytest.mark.parametrize("message", SPANISH)
def test_each_spanish_phrase_flags_the_inquiry_and_the_sent_page_shows_the_card(client, message):
    """Issue 28: "quiero morir", "hacerme daño" (or "dano", typed without the tilde)..."""
    response = client.post(CONTACT, form_data(message=message), follow=True)
    inquiry = Inquiry.objects.get()
    assert inquiry.urgent is True and inquiry.message == message
    assert_full_card(care_card_in(response.content.decode()))


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
def test_a_spanish_crisis_message_is_emailed_urgent_without_its_words(
    client, django_capture_on_commit_callbacks
):
    message = "Ya no aguanto mas. No se si quiero seguir viviendo. ¿Me pueden llamar?"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONTACT, form_data(message=message))
    assert Inquiry.objects.get().urgent is True
    sent_by_the_notifier()
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")
    for private in ("aguanto", "viviendo", "llamar"):
        assert private not in email.subject + email.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "message",
    [
        "I want to end my contract", "Suicide prevention research?", "dying to know",
        "¿Cuánto cuesta una sesión?", "Investigación sobre la prevención del suicidio",
        "Me duele la cabeza después de la sesión.",
    ],
)  # fmt: skip
def test_a_near_miss_is_not_urgent_and_gets_no_card(client, message):
    response = client.post(CONTACT, form_data(message=message), follow=True)
    assert Inquiry.objects.get().urgent is False
    assert care_card_in(response.content.decode()) == ""


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
    """The script gets the patterns from clinic/crisis.py (one list), and a hidden copy of
    the card to show; the form still posts to the same place with the same fields."""
    html = client.get(CONTACT).content.decode()
    data = re.search(r'<script type="application/json" id="crisis-phrases">(.*?)</script>', html)
    assert json.loads(data.group(1)) == phrases_for_script()
    assert re.search(
        r'<div class="care-card care-card--emergency" id="care-card-typing"[^>]*hidden', html
    )
    assert re.search(r'<script src="/static/js/crisis-check\.js[^"]*" defer></script>', html)
    assert 'action="/contact/"' in html


def test_the_typing_script_makes_no_network_request_and_changes_nothing_sent():
    """crisis-check.js only shows or hides the card: no fetch/XHR/beacon, no form change."""
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


# --- No crisis message lost ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_urgent_message_flagged_as_spam_still_shows_in_the_default_list(client):
    """A person in crisis who pasted their message within seconds must not be hidden."""
    client.post(CONTACT, form_data(message="I want to die", served=served_token(0)))
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Inquiry.Status.SPAM and inquiry.urgent
    client.force_login(staff_with_permissions("desk", "view_inquiry"))
    html = client.get("/admin/inquiries/inquiry/").content.decode()
    assert "Dana Quimby" in html and "Urgent" in html


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
def test_an_urgent_message_flagged_as_spam_is_emailed_to_staff(client):
    """Pasted and sent within seconds (spam-like): still e-mailed, URGENT, no patient text;
    plain spam is still not e-mailed."""
    client.post(CONTACT, form_data(message="I can't go on", served=served_token(0)))
    client.post(CONTACT, form_data(message="Cheap watches", served=served_token(0)))
    assert list(Inquiry.objects.values_list("status", "urgent").order_by("pk")) == [
        (Inquiry.Status.SPAM, True),
        (Inquiry.Status.SPAM, False),
    ]
    sent_by_the_notifier()
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")
    urgent = Inquiry.objects.get(urgent=True)
    assert f"/admin/inquiries/inquiry/{urgent.pk}/change/" in email.body
    assert "might be automated" in email.body
    for private in ("go on", "Dana", "dana@example.com", "555"):
        assert private not in email.subject + email.body
    urgent.refresh_from_db()
    assert urgent.notified_at is not None
    sent_by_the_notifier()  # never twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF, INQUIRY_NOTIFY_AFTER_RESPONSE=True)
def test_in_development_an_urgent_spam_is_sent_straight_after_the_response(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    """The development path (a thread after commit) sends it too, not only the timer."""
    from inquiries import services

    monkeypatch.setattr(services, "notify_in_background", services.notify_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONTACT, form_data(message="I want to die", served=served_token(0)))
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600), INQUIRY_NOTIFY_EMAILS=STAFF)
def test_a_crisis_message_over_the_rate_limit_is_stored_urgent_and_answered_with_the_card(client):
    """No JavaScript here (the test client runs none): the answer's own HTML has the card."""
    assert client.post(CONTACT, form_data()).status_code == 302
    message = "I dont want to be here anymore. Please call."
    response = client.post(CONTACT, form_data(message=message, name="Second Message"))

    assert response.status_code == 200
    html = response.content.decode()
    card = care_card_in(html)
    assert_full_card(card)
    main = html[html.index('<main id="main-content"') :]
    assert main.index("care-card--emergency") < main.index("<h1>")
    assert "Thank you, we have your message" in html
    assert "no-store" in response["Cache-Control"]

    inquiry = Inquiry.objects.get(name="Second Message")
    assert inquiry.message == message
    assert inquiry.urgent and inquiry.over_rate_limit
    assert inquiry.status == Inquiry.Status.NEW

    sent_by_the_notifier()
    urgent = [email for email in mail.outbox if email.subject.startswith("URGENT")]
    assert len(urgent) == 1
    assert "most messages the form accepts" in urgent[0].body
    assert "here anymore" not in urgent[0].body

    client.force_login(staff_with_permissions("desk", "view_inquiry"))
    page = client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").content.decode()
    assert "Sent over the rate limit" in page


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600))
def test_an_ordinary_message_over_the_rate_limit_still_gets_429_and_is_not_stored(client):
    client.post(CONTACT, form_data())
    response = client.post(CONTACT, form_data(message="Another question about costs"))
    assert response.status_code == 429
    assert Inquiry.objects.count() == 1
    assert care_card_in(response.content.decode()) == ""


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600))
def test_a_spam_like_crisis_message_over_the_rate_limit_is_kept_too(client):
    client.post(CONTACT, form_data())
    response = client.post(CONTACT, form_data(message="kms", served=served_token(0)))
    assert response.status_code == 200
    inquiry = Inquiry.objects.get(message="kms")
    assert inquiry.urgent and inquiry.over_rate_limit and inquiry.status == Inquiry.Status.SPAM


@pytest.mark.django_db
def test_the_cron_retry_of_an_urgent_notification_says_urgent_too(client):
    """Mail server down (or nobody to tell) at the time: notify_inquiries sends it later,
    still marked urgent, still without what the person wrote."""
    with override_settings(INQUIRY_NOTIFY_EMAILS=[]):
        client.post(CONTACT, form_data(message="I have been thinking about suicide"))
    assert mail.outbox == []
    with override_settings(INQUIRY_NOTIFY_EMAILS=STAFF):
        sent_by_the_notifier()
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")
    assert "suicide" not in email.subject + email.body


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
def test_the_notifier_sends_urgent_ones_first(client):
    with override_settings(INQUIRY_NOTIFY_EMAILS=[]):
        client.post(CONTACT, form_data(message="A question about costs"))
        client.post(CONTACT, form_data(message="no point living"))
    sent_by_the_notifier()
    assert [email.subject.startswith("URGENT") for email in mail.outbox] == [True, False]
