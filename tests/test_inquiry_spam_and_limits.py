"""The contact form's spam checks and per-client rate limit: bot-like posts are kept and
flagged, never lost; a visitor over the limit keeps their text and gets our number."""

import time

import pytest
from django.core import mail, signing
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from inquiries.forms import form_token
from inquiries.models import Inquiry
from tests.contact_form import CONTACT, SENT, STAFF, form_data, served_token

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
