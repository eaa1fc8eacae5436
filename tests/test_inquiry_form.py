"""The contact form: what a visitor sees and sends, and what happens to it afterwards."""

import logging
import re
import time
from html import escape, unescape
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from inquiries.forms import FORM_TOKEN_SALT, form_token
from inquiries.models import Inquiry

CONTACT = "/contact/"
SENT = "/contact/sent/"
STAFF = ["frontdesk@example.com"]


class RaisingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def served_token(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=FORM_TOKEN_SALT)


def input_value(response, name: str) -> str:
    """The value of the form's <input name=...> in the page the visitor got."""
    html = response.content.decode()
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Dana Quimby",
        "email": "dana@example.com",
        "phone": "+1 (201) 555-0199",
        "preferred_contact": "phone",
        "topic": "infusion",
        "message": "Could ketamine help with my treatment-resistant depression?",
        "consent": "on",
        "website": "",
        "served": served_token(),
        "source_page": "/articles/how-ketamine-works/",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def post_committed(client, django_capture_on_commit_callbacks):
    """POST the form and run its on-commit hooks (the staff notification), as a real commit
    would; tests run inside a transaction that is never committed."""

    def post(data: dict[str, str], **extra: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CONTACT, data, **extra)

    return post


# --- The page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_contact_page_has_labelled_accessible_fields(client):
    """Every field has a label, autocomplete and the right keyboard on a phone."""
    response = client.get(CONTACT)
    assert response.status_code == 200
    html = response.content.decode()
    for field_id in ("id_name", "id_email", "id_phone", "id_message", "id_consent"):
        assert f'for="{field_id}"' in html
    assert re.search(r'<input type="email" name="email"[^>]*autocomplete="email"', html)
    assert re.search(r'<input type="tel" name="phone"[^>]*inputmode="tel"', html)
    assert 'autocomplete="name"' in html and 'autocomplete="tel"' in html
    assert 'aria-describedby="id_phone-help"' in html
    assert 'aria-describedby="id_message-help"' in html
    assert "<legend>How should we contact you?</legend>" in html
    assert (
        "Please do not include detailed medical information. This form is not for "
        "emergencies: call or text 988, or call 911."
    ) in html
    assert 'href="/privacy/"' in html
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_honeypot_is_hidden_from_people_and_assistive_technology(client):
    html = client.get(CONTACT).content.decode()
    honeypot = re.search(r'<div class="form-hp" aria-hidden="true">(.*?)</div>', html, re.S)
    assert honeypot, "the honeypot is wrapped in an aria-hidden container"
    assert "Leave this field empty" in honeypot.group(1)
    assert 'tabindex="-1"' in honeypot.group(1) and 'autocomplete="off"' in honeypot.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given,kept",
    [
        ("/articles/how-ketamine-works/", "/articles/how-ketamine-works/"),
        ("//evil.example.com/", ""),
        ("https://evil.example.com/", ""),
        ("/\\evil.example.com", ""),
        ("javascript:alert(1)", ""),
        ("/" + "a" * 300, ""),
    ],
)
def test_source_page_is_only_ever_a_local_path(client, given, kept):
    response = client.get(CONTACT, {"from": given})
    assert input_value(response, "source_page") == kept


@pytest.mark.django_db
def test_consultation_buttons_link_to_the_form_with_the_page_they_are_on(client):
    html = client.get("/faq/").content.decode()
    assert 'href="/contact/?from=/faq/"' in html
    assert '<a href="/contact/">Contact</a>' in html


# --- The happy path -------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF, INQUIRY_MIN_SECONDS=0)
def test_a_visitor_sends_the_form_and_sees_what_happens_next(client, post_committed):
    """GET the form, POST it, land on the sent page: one inquiry, and staff are told."""
    form_page = client.get(CONTACT, {"from": "/faq/"})
    served = input_value(form_page, "served")
    data = form_data(served=served, source_page="/faq/")

    response = post_committed(data)

    assert response.status_code == 302 and response["Location"] == reverse("inquiries:sent")
    inquiry = Inquiry.objects.get()
    assert inquiry.name == "Dana Quimby" and inquiry.email == "dana@example.com"
    assert inquiry.phone == "+12015550199"
    assert inquiry.phone_display == "+1 (201) 555-0199"
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.source_page == "/faq/"
    assert inquiry.consent is True
    # Staff are told outside the request, by the sender the timer runs.
    assert inquiry.notified_at is None and mail.outbox == []
    assert "Sent 1 notifications, 0 failed." in run_command("notify_inquiries")
    inquiry.refresh_from_db()
    assert inquiry.notified_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == STAFF

    sent_page = client.get(response["Location"])
    assert sent_page.status_code == 200
    assert "We usually call back within one business day." in sent_page.content.decode()
    assert 'href="tel:988"' in sent_page.content.decode()


@pytest.mark.django_db
def test_the_sent_page_only_answers_get(client):
    assert client.post(SENT).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed,stored",
    [
        ("(201) 555-0142", "2015550142"),
        ("201.555.0142", "2015550142"),
        ("+44 20 7946 0958", "+442079460958"),
        ("  555 0142  ", "5550142"),
    ],
)
def test_phone_numbers_are_stored_as_digits(client, typed, stored):
    assert client.post(CONTACT, form_data(phone=typed)).status_code == 302
    assert Inquiry.objects.get().phone == stored


# --- Validation -----------------------------------------------------------------------

TOO_LONG_EMAIL = "a" * 60 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 62 + ".com"  # 255


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"name": ""}, "name", "Please enter your name."),
        ({"name": "   "}, "name", "Please enter your name."),
        ({"name": "n" * 101}, "name", "Please shorten your name to 100 characters or fewer."),
        ({"name": "Dana\x00"}, "name", "Please remove the unusual characters from your name."),
        ({"email": ""}, "email", "Please enter your email address."),
        (
            {"email": "dana@"},
            "email",
            "Please enter a valid email address, like name@example.com.",
        ),
        (
            {"email": "dana example.com"},
            "email",
            "Please enter a valid email address, like name@example.com.",
        ),
        (
            {"email": TOO_LONG_EMAIL},
            "email",
            "Please shorten your email address to 254 characters or fewer.",
        ),
        (
            {"phone": "call me"},
            "phone",
            "Please enter a phone number with 7 to 15 digits, like (201) 555-0142.",
        ),
        (
            {"phone": "555 01"},
            "phone",
            "Please enter a phone number with 7 to 15 digits, like (201) 555-0142.",
        ),
        (
            {"phone": "1234567890123456"},
            "phone",
            "Please enter a phone number with 7 to 15 digits, like (201) 555-0142.",
        ),
        (
            {"phone": "1 " * 16},
            "phone",
            "Please shorten your phone number to 30 characters or fewer.",
        ),
        (
            {"phone": "", "preferred_contact": "phone"},
            "phone",
            "Please enter your phone number, or choose email as the way to reach you.",
        ),
        (
            {"preferred_contact": None},
            "preferred_contact",
            "Please choose how we should contact you.",
        ),
        (
            {"preferred_contact": "fax"},
            "preferred_contact",
            "Please choose how we should contact you.",
        ),
        ({"topic": None}, "topic", "Please choose what you would like to ask about."),
        ({"topic": "surgery"}, "topic", "Please choose what you would like to ask about."),
        ({"message": ""}, "message", "Please write a short message so we know how to help."),
        (
            {"message": "m" * 2001},
            "message",
            "Please shorten your message to 2,000 characters or fewer.",
        ),
        (
            {"consent": None},
            "consent",
            "Please check the box to agree that we may keep your details and contact you.",
        ),
    ],
)
def test_each_mistake_gets_one_polite_sentence_and_keeps_what_was_typed(
    client, overrides, field, message
):
    data = form_data(**overrides)
    response = client.post(CONTACT, data)

    assert response.status_code == 200
    html = response.content.decode()
    # One error on the page, next to the field it concerns.
    assert re.findall(r'<p class="field-error" id="id_(\w+)-error">', html) == [field]
    assert message in html
    # The error next to the field, tied to its input for screen readers ...
    assert f'id="id_{field}-error"' in html
    # ... and in the summary at the top, linking to the field.
    summary = re.search(
        r'<div class="form-alert error-summary" role="alert">(.*?)</div>', html, re.S
    )
    assert summary and message in summary.group(1)
    anchor = f"id_{field}_0" if field in ("preferred_contact", "topic") else f"id_{field}"
    assert f'href="#{anchor}"' in summary.group(1)
    assert f'id="{anchor}"' in html
    if data.get("message"):
        assert f"{escape(data['message'])}</textarea>" in html
    if field != "message":
        assert "Could ketamine help with my treatment-resistant depression?" in html
    if field != "name":
        assert 'value="Dana Quimby"' in html
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_an_invalid_field_is_described_by_its_error(client):
    html = client.post(CONTACT, form_data(email="nope", phone="x")).content.decode()
    assert re.search(r'name="email"[^>]*aria-describedby="id_email-error"', html)
    assert re.search(r'name="email"[^>]*aria-invalid="true"', html)
    assert re.search(r'name="phone"[^>]*aria-describedby="id_phone-help id_phone-error"', html)
    assert "<title>Error: Contact us" in html


@pytest.mark.django_db
def test_email_only_visitors_need_no_phone_number(client):
    response = client.post(CONTACT, form_data(phone="", preferred_contact="email"))
    assert response.status_code == 302
    assert Inquiry.objects.get().phone == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ["a", "b"], "topic": ["x"]},
        {"served": "garbage", "source_page": "//x", "website": "y" * 5000},
        {"name": "é" * 100, "message": "\u202e" * 2000, "email": "é@é.com"},
    ],
)
def test_odd_posts_never_cause_a_server_error(client, data):
    assert client.post(CONTACT, data).status_code in (200, 302)


# --- CSRF -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(CONTACT, form_data())
    assert response.status_code == 403
    assert "Please send the form again" in response.content.decode()  # polite, in our design
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_post_with_the_csrf_token_from_the_form_is_accepted():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(CONTACT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(CONTACT, {**form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


# --- Spam: stored, flagged, never e-mailed, and the visitor sees the usual answer --------


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
@pytest.mark.parametrize(
    "overrides,reason",
    [
        (lambda: {"website": "http://buy-now.example"}, "honeypot filled"),
        (lambda: {"served": served_token(seconds_ago=1)}, "sent too fast"),
        (lambda: {"served": None}, "missing or forged form token"),
        (lambda: {"served": signing.dumps(time.time() - 60, salt="other")}, "missing or forged form token"),
        (lambda: {"served": "1700000000"}, "missing or forged form token"),
    ],
)  # fmt: skip
def test_bot_like_posts_are_kept_as_spam(post_committed, overrides, reason):
    # Tokens are made when the test runs (not when it is collected), so their age is right.
    response = post_committed(form_data(**overrides()))

    assert response.status_code == 302 and response["Location"] == SENT
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Inquiry.Status.SPAM
    assert inquiry.spam_reason == reason
    assert mail.outbox == []
    call_command("notify_inquiries")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_form_served_just_now_is_too_fast(client):
    client.post(CONTACT, form_data(served=form_token()))
    assert Inquiry.objects.get().spam_reason == "sent too fast"


@pytest.mark.django_db
@override_settings(INQUIRY_MIN_SECONDS=0)
def test_the_time_check_can_be_turned_off(client):
    client.post(CONTACT, form_data(served=form_token()))
    assert Inquiry.objects.get().status == Inquiry.Status.NEW


# --- Rate limit -----------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(2, 3600))
def test_over_the_rate_limit_the_visitor_keeps_their_text_and_gets_our_number(client):
    for _ in range(2):
        assert client.post(CONTACT, form_data()).status_code == 302

    response = client.post(CONTACT, form_data(message="My third message, kept for me."))

    assert response.status_code == 429
    html = response.content.decode()
    assert "My third message, kept for me." in html
    assert 'value="Dana Quimby"' in html
    assert "(201) 555-0142" in html  # the clinic's phone number
    assert 'role="alert"' in html
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600))
def test_posts_with_mistakes_do_not_count_against_the_limit(client):
    for _ in range(3):
        client.post(CONTACT, form_data(email="not-an-address"))
    assert client.post(CONTACT, form_data()).status_code == 302


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600), INQUIRY_CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_proxy_the_address_the_proxy_appended_is_the_client(client):
    """Only the last X-Forwarded-For entry counts: a client cannot dodge the limit by
    sending its own first entries, and two clients behind the proxy are told apart."""
    first = client.post(CONTACT, form_data(), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    spoofed = client.post(CONTACT, form_data(), HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    other = client.post(CONTACT, form_data(), HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert (first.status_code, spoofed.status_code, other.status_code) == (302, 429, 302)


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=None)
def test_the_rate_limit_can_be_turned_off(client):
    for _ in range(8):
        assert client.post(CONTACT, form_data()).status_code == 302


@pytest.mark.parametrize(
    "raw,parsed",
    [("5/h", (5, 3600)), ("10/m", (10, 60)), ("1/s", (1, 1)), ("100/d", (100, 86400)),
     ("0", None), ("0/h", None), ("", (5, 3600))],
)  # fmt: skip
def test_rate_limit_setting_is_parsed(monkeypatch, raw, parsed):
    from clinic_site.settings import env_rate

    monkeypatch.setenv("INQUIRY_RATE_LIMIT", raw)
    assert env_rate("INQUIRY_RATE_LIMIT", "5/h") == parsed


@pytest.mark.parametrize("raw", ["5", "5/hour", "five/h", "-1/h", "5/h/d", "/h"])
def test_a_bad_rate_limit_setting_stops_start_up_naming_the_variable(monkeypatch, raw):
    from clinic_site.settings import env_rate

    monkeypatch.setenv("INQUIRY_RATE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured, match="INQUIRY_RATE_LIMIT"):
        env_rate("INQUIRY_RATE_LIMIT", "5/h")


# --- Notifying staff: never losing an inquiry, never leaking it ------------------------


@pytest.mark.django_db
@override_settings(
    INQUIRY_NOTIFY_EMAILS=STAFF, EMAIL_BACKEND="tests.test_inquiry_form.RaisingBackend"
)
def test_a_mail_server_that_is_down_never_loses_an_inquiry(post_committed, caplog):
    data = form_data()
    with caplog.at_level(logging.DEBUG):
        response = post_committed(data)

    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.notified_at is None

    # The sender, with the mail server down, reports the failure (twice: it is retried) ...
    for _ in range(2):
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(CommandError, match="1 notifications could not be sent"):
                call_command("notify_inquiries", stdout=StringIO())
        inquiry.refresh_from_db()
        assert inquiry.notified_at is None
    failure = [r for r in caplog.records if r.name == "inquiries.services"]
    assert failure and f"inquiry {inquiry.pk}" in failure[0].getMessage()
    assert_no_patient_data(caplog.text, data)

    # ... and once it is back, the inquiry is sent, once.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        first_run, second_run = run_command("notify_inquiries"), run_command("notify_inquiries")
    assert "Sent 1 notifications, 0 failed." in first_run
    assert "Sent 0 notifications, 0 failed." in second_run
    assert len(mail.outbox) == 1
    inquiry.refresh_from_db()
    assert inquiry.notified_at is not None


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF, SITE_URL="https://clinic.example.com")
def test_the_notification_says_nothing_the_patient_wrote(post_committed, caplog):
    data = form_data(
        name="Zebediah Quill",
        email="zq.private@example.org",
        phone="(973) 555-0177",
        topic="esketamine",
        message="Secret medical history: lithium 600mg",
    )
    with caplog.at_level(logging.DEBUG):
        post_committed(data)
        run_command("notify_inquiries")

    inquiry = Inquiry.objects.get()
    [email] = mail.outbox
    link = f"https://clinic.example.com/admin/inquiries/inquiry/{inquiry.pk}/change/"
    assert link in email.body
    assert_no_patient_data(email.subject + "\n" + email.body, data)
    assert_no_patient_data(caplog.text, data)


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=[])
def test_with_nobody_to_notify_inquiries_are_saved_and_wait(post_committed):
    assert post_committed(form_data()).status_code == 302
    assert Inquiry.objects.get().notified_at is None
    assert mail.outbox == []
    assert "1 new inquiries have not been e-mailed" in run_command("notify_inquiries")


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
def test_inquiries_staff_already_answered_are_not_e_mailed_later(client):
    client.post(CONTACT, form_data())
    Inquiry.objects.update(status=Inquiry.Status.CONTACTED)
    assert "Sent 0 notifications" in run_command("notify_inquiries")


def assert_no_patient_data(text: str, data: dict[str, str]) -> None:
    lowered = text.lower()
    topic_label = Inquiry.Topic(data["topic"]).label
    phone_digits = "".join(ch for ch in data["phone"] if ch.isdigit())
    for value in (data["name"], data["email"], data["phone"], phone_digits, data["message"],
                  topic_label, *data["name"].split()):  # fmt: skip
        assert value.lower() not in lowered, f"{value!r} leaked"
    assert data["topic"] not in lowered


def run_command(name: str) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()
