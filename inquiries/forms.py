import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    EMAIL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    SOURCE_PAGE_MAX_LENGTH,
    Inquiry,
)
from .phone import MAX_DIGITS, MIN_DIGITS, normalize_phone

FORM_TOKEN_SALT = "inquiries.form-served-at"

# A path on this site: one leading slash (not "//host"), no spaces, no backslashes.
LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\\]*")


def too_long(message: str, limit: int) -> str:
    """`message` (translatable, with {limit}) once the page's language is known: each field
    has a whole sentence of its own, as other languages do not build it from "your name"."""
    return format_lazy(message, limit=f"{limit:,}")


def form_token() -> str:
    """A signed 'form served at' time: a bot that posts at once, or forges it, is spotted."""
    return signing.dumps(time.time(), salt=FORM_TOKEN_SALT)


def seconds_since_served(token: str) -> float | None:
    """Seconds since the form with this token was served; None if the token is not ours."""
    try:
        served_at = signing.loads(token, salt=FORM_TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(served_at, (int, float)):
        return None
    return time.time() - served_at


def local_path_or_empty(value: str | None) -> str:
    """The page the visitor came from, if it is a path on this site; else nothing."""
    value = (value or "").strip()
    if len(value) <= SOURCE_PAGE_MAX_LENGTH and LOCAL_PATH.fullmatch(value):
        return value
    return ""


class MultilineField(forms.CharField):
    """Text from a <textarea>: browsers send each line break as CR LF, two characters, but
    count it as one against the box's maxlength. Line breaks become LF before the length is
    checked, so a message that fit in the box is never refused as too long."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class InquiryForm(forms.Form):
    """The contact form. Every message is one polite sentence shown next to its field."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your name."),
            "max_length": too_long(
                _("Please shorten your name to {limit} characters or fewer."), NAME_MAX_LENGTH
            ),
            "null_characters_not_allowed": _(
                "Please remove the unusual characters from your name."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
            "max_length": too_long(
                _("Please shorten your email address to {limit} characters or fewer."),
                EMAIL_MAX_LENGTH,
            ),
            "null_characters_not_allowed": _(
                "Please remove the unusual characters from your email address."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        help_text=_("Needed only if you would like us to call you."),
        required=False,
        max_length=PHONE_MAX_LENGTH,
        error_messages={
            "max_length": too_long(
                _("Please shorten your phone number to {limit} characters or fewer."),
                PHONE_MAX_LENGTH,
            ),
            "null_characters_not_allowed": _(
                "Please remove the unusual characters from your phone number."
            ),
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_contact = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=Inquiry.PreferredContact.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how we should contact you."),
            "invalid_choice": _("Please choose how we should contact you."),
        },
    )
    topic = forms.ChoiceField(
        label=_("What would you like to ask about?"),
        choices=Inquiry.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose what you would like to ask about."),
            "invalid_choice": _("Please choose what you would like to ask about."),
        },
    )
    message = MultilineField(
        label=_("Your message"),
        help_text=_(
            "Please do not include detailed medical information. This form is not for "
            "emergencies: call or text 988, or call 911."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={
            "required": _("Please write a short message so we know how to help."),
            "max_length": too_long(
                _("Please shorten your message to {limit} characters or fewer."),
                MESSAGE_MAX_LENGTH,
            ),
            "null_characters_not_allowed": _(
                "Please remove the unusual characters from your message."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the clinic may keep what I send and contact me about it."),
        error_messages={
            "required": _(
                "Please check the box to agree that we may keep your details and contact you."
            ),
        },
    )

    # Not for people: a field only bots fill in, the time the form was served, and the
    # page the visitor came from.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    served = forms.CharField(required=False, widget=forms.HiddenInput)
    source_page = forms.CharField(required=False, widget=forms.HiddenInput)

    HUMAN_FIELDS = ["name", "email", "phone", "preferred_contact", "topic", "message", "consent"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.described_fields():
            field.field.widget.attrs["aria-describedby"] = f"{field.auto_id}-help"

    def full_clean(self) -> None:
        super().full_clean()
        # Screen readers announce an invalid field's error with its label and help text.
        for field in self.described_fields(with_errors_only=True):
            ids = [f"{field.auto_id}-help"] if field.help_text else []
            ids.append(f"{field.auto_id}-error")
            field.field.widget.attrs["aria-describedby"] = " ".join(ids)
            field.field.widget.attrs["aria-invalid"] = "true"

    def described_fields(self, with_errors_only: bool = False) -> list[forms.BoundField]:
        """Single-input fields with help text (or, after validation, with an error).

        The radio groups are described on their fieldset, in the template.
        """
        fields = [self[name] for name in ("name", "email", "phone", "message", "consent")]
        if with_errors_only:
            return [field for field in fields if field.errors]
        return [field for field in fields if field.help_text]

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        if not raw:
            return ""
        normalized = normalize_phone(raw)
        if normalized is None:
            raise forms.ValidationError(
                format_lazy(
                    _(
                        "Please enter a phone number with {min} to {max} digits, "
                        "like (201) 555-0142."
                    ),
                    min=MIN_DIGITS,
                    max=MAX_DIGITS,
                ),
                code="invalid",
            )
        return normalized

    def clean_source_page(self) -> str:
        return local_path_or_empty(self.cleaned_data["source_page"])

    def clean(self) -> dict:
        cleaned = super().clean()
        wants_call = cleaned.get("preferred_contact") == Inquiry.PreferredContact.PHONE
        if wants_call and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("Please enter your phone number, or choose email as the way to reach you."),
                    code="required",
                ),
            )
        return cleaned

    def spam_reason(self) -> str:
        """Why this (valid) post looks automated, or "" if it looks like a person's."""
        if self.cleaned_data.get("website"):
            return "honeypot filled"
        age = seconds_since_served(self.cleaned_data.get("served", ""))
        if age is None:
            return "missing or forged form token"
        if age < settings.INQUIRY_MIN_SECONDS:
            return "sent too fast"
        return ""

    def inquiry_fields(self) -> dict:
        """What create_inquiry() needs, from a valid form."""
        fields = {name: self.cleaned_data[name] for name in self.HUMAN_FIELDS}
        fields["source_page"] = self.cleaned_data["source_page"]
        # The form's language, which the page's address set: staff answer in it.
        fields["language"] = Inquiry.language_now()
        return fields

    def human_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.HUMAN_FIELDS]
