"""What the contact-form tests share: the form's addresses, a filled-in form, a mail server
that is down, and ways to read what the visitor and staff got."""

import re
import time
from html import unescape
from io import StringIO

from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from inquiries.forms import FORM_TOKEN_SALT
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


def sent_by_the_notifier() -> None:
    """Run the background step that e-mails staff (never part of the patient's request)."""
    call_command("notify_inquiries", stdout=StringIO())


def care_card_in(html: str) -> str:
    """The shown emergency care card's HTML in the page's main content ("" if there is none;
    the contact form's hidden copy, for its script, does not count)."""
    main = html[html.index('<main id="main-content"') :]
    for match in re.finditer(r'(<div class="care-card care-card--emergency"[^>]*>).*?</ul>',
                             main, re.S):  # fmt: skip
        if " hidden" not in match.group(1):
            return match.group(0)
    return ""


def assert_full_card(card: str) -> None:
    for needed in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', "nearest emergency room"):
        assert needed in card
