"""The contact form: what a visitor sees and sends, and how it is checked."""

import re
from html import escape

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from inquiries.models import Inquiry
from tests.contact_form import CONTACT, SENT, STAFF, form_data, input_value, run_command

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
