"""The contact form in Spanish at /es/contact/ (issue 28): every label, help text and error
in plain Spanish, errors next to their field; the inquiry records the language it was sent
in for the front desk; a Spanish crisis message is flagged, never lost, and answered in
Spanish (988 marque 2, AYUDA al 988, 911). The English form stays as it was."""

import html as html_lib
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from inquiries.forms import InquiryForm
from inquiries.models import Inquiry
from tests.contact_form import CONTACT, SENT, STAFF, form_data, sent_by_the_notifier, served_token
from tests.test_crisis_inquiries import SPANISH

CONTACT_ES = "/es/contact/"
SENT_ES = "/es/contact/sent/"

# Words of English interface text that Spanish text does not use.
ENGLISH_WORDS = {
    "the", "you", "your", "please", "we", "our", "and", "with", "what", "how", "this",
    "send", "message", "name", "phone", "call", "or", "to", "of", "for", "if", "back",
    "thank", "email", "address", "optional", "agree", "privacy", "notice", "check",
}  # fmt: skip
SPANISH_FORM = {
    "name": "Su nombre",
    "email": "Correo electrónico",
    "phone": "Número de teléfono (opcional)",
    "preferred_contact": "¿Cómo prefiere que nos comuniquemos con usted?",
    "topic": "¿Sobre qué quiere preguntar?",
    "message": "Su mensaje",
}


def main_text(response) -> str:
    """The words of the page's main content, without scripts, what the visitor typed, and
    the closed-clinic route's note from the clinic profile, which staff write in English
    ("a nurse answers at night...": clinic data, not this form's interface)."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<script.*?</script>|<textarea.*?</textarea>", " ", main, flags=re.S)
    main = re.sub(r'<p class="closed-route">.*?</p>', " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", main)))


def english_words_in(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if word in ENGLISH_WORDS}


# --- The Spanish form ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_spanish_form_is_all_spanish(client):
    response = client.get(CONTACT_ES)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert f'action="{CONTACT_ES}"' in page
    text = main_text(response)
    assert english_words_in(text) == set(), text
    for label in SPANISH_FORM.values():
        assert label in text
    for choice in ("Llamada telefónica", "Psicoterapia asistida con ketamina", "Otro tema"):
        assert choice in text
    # The message box's help says where to go in a crisis, the Spanish way.
    assert "marque 2 para español" in text and "AYUDA" in text and "911" in text
    assert "Contáctenos" in page[page.index("<title>") : page.index("</title>")]


@pytest.mark.django_db
def test_every_label_help_choice_and_error_of_the_form_has_spanish():
    form = InquiryForm()
    with translation.override("es"):
        for name, field in form.fields.items():
            texts = [field.label, field.help_text, *field.error_messages.values()]
            texts += [label for _value, label in getattr(field, "choices", [])]
            for text in filter(None, texts):
                with translation.override("en"):
                    english = str(text)
                assert str(text) != english, f"{name}: {english!r} has no Spanish"


@pytest.mark.django_db
def test_spanish_errors_are_shown_next_to_their_field(client):
    response = client.post(CONTACT_ES, form_data(name="", email="no-es-un-correo", phone="12",
                                                 consent=None))  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    expected = {
        "name": "Por favor, escriba su nombre.",
        "email": "Por favor, escriba un correo electrónico válido, como nombre@example.com.",
        "phone": "Por favor, escriba un número de teléfono de 7 a 15 dígitos, como (201) 555-0142.",
        "consent": "Por favor, marque la casilla para aceptar que guardemos sus datos y nos "
        "comuniquemos con usted.",
    }
    for name, message in expected.items():
        # The error sits in the field's own box, before its input, which points to it.
        box = re.search(
            rf'<div class="field[^"]*field-has-error">(?:(?!</div>).)*?id="id_{name}-error"'
            rf'.*?</p>\s*(?:<div class="choice">\s*)?<input[^>]*name="{name}"[^>]*>',
            page,
            re.S,
        )
        assert box, name
        error = re.search(rf'id="id_{name}-error">(.*?)</p>', box.group(0), re.S).group(1)
        assert html_lib.unescape(re.sub(r"<[^>]+>", "", error)) == f"Error: {message}"
        assert f"id_{name}-error" in re.search(rf'<input[^>]*name="{name}"[^>]*>', box.group(0))[0]
    assert "Por favor, revise el formulario" in page  # the summary at the top
    assert english_words_in(main_text(response)) == set()
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_message_too_long_gets_the_limit_in_spanish(client):
    response = client.post(CONTACT_ES, form_data(message="x" * 2001))
    assert "Por favor, acorte su mensaje a 2,000 caracteres o menos." in response.content.decode()


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600))
def test_over_the_rate_limit_the_spanish_form_says_so_in_spanish(client):
    assert client.post(CONTACT_ES, form_data()).status_code == 302
    response = client.post(CONTACT_ES, form_data(message="Mi segundo mensaje."))
    assert response.status_code == 429
    text = main_text(response)
    assert "Todavía no pudimos enviar su mensaje" in text and "(201) 555-0142" in text
    assert "Mi segundo mensaje." in response.content.decode()
    assert english_words_in(text) == set()


# --- What is stored, and the sent page -----------------------------------------------------


@pytest.mark.django_db
def test_a_spanish_inquiry_is_stored_in_spanish_and_answered_in_spanish(client):
    response = client.post(CONTACT_ES, form_data(message="¿Cuánto cuesta una sesión?"))
    assert response.status_code == 302 and response["Location"] == SENT_ES
    inquiry = Inquiry.objects.get()
    assert inquiry.language == Inquiry.Language.SPANISH and not inquiry.urgent
    sent = client.get(SENT_ES)
    text = main_text(sent)
    assert "Gracias, recibimos su mensaje" in text
    assert "Normalmente le llamamos en un plazo de un día hábil." in text
    assert "marque 2 para español" in text and "AYUDA" in text  # the crisis reminder
    assert english_words_in(text) == set()


@pytest.mark.django_db
def test_a_callback_time_staff_changed_is_left_out_of_the_spanish_pages(client):
    """Staff write it in English; without a Spanish version, no English under /es/."""
    from clinic.models import ClinicProfile

    profile = ClinicProfile.load()
    profile.callback_time = "We call back the same afternoon."
    profile.save()
    assert "We call back the same afternoon." in client.get(CONTACT).content.decode()
    for path in (CONTACT_ES, SENT_ES):
        page = client.get(path).content.decode()
        assert "same afternoon" not in page, path


@pytest.mark.django_db
def test_the_english_form_is_unchanged_and_its_inquiries_are_english(client):
    page = client.get(CONTACT).content.decode()
    assert '<html lang="en">' in page
    for label in ("Your name", "Email address", "How should we contact you?", "Send"):
        assert label in page
    assert "Su nombre" not in page
    response = client.post(CONTACT, form_data())
    assert response["Location"] == SENT
    assert Inquiry.objects.get().language == Inquiry.Language.ENGLISH
    assert "Thank you, we have your message" in client.get(SENT).content.decode()


# --- A crisis message through the Spanish form ---------------------------------------------


def assert_spanish_crisis_card(response) -> None:
    page = response.content.decode()
    assert '<html lang="es">' in page
    main = page[page.index("<main") :]
    card = re.search(r'<div class="care-card care-card--emergency"(?![^>]*hidden).*?</div>',
                     main, re.S)  # fmt: skip
    assert card, "no care card shown"
    assert card.start() < main.index("<h1>")  # before anything else
    assert english_words_in(html_lib.unescape(re.sub(r"<[^>]+>", " ", card.group(0)))) == set()
    for needed in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', "marque 2", "AYUDA"):
        assert needed in card.group(0), needed
    assert "Gracias, recibimos su mensaje" in page


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF)
@pytest.mark.parametrize("message", SPANISH)
def test_a_spanish_crisis_message_is_stored_urgent_in_spanish_and_answered_in_spanish(
    client, django_capture_on_commit_callbacks, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT_ES, form_data(message=message), follow=True)
    inquiry = Inquiry.objects.get()
    assert inquiry.urgent and inquiry.language == "es" and inquiry.message == message
    assert_spanish_crisis_card(response)
    sent_by_the_notifier()
    [email] = mail.outbox
    assert email.subject.startswith("URGENT")
    assert message.lower() not in (email.subject + email.body).lower()


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMIT=(1, 3600), INQUIRY_NOTIFY_EMAILS=STAFF)
def test_a_spanish_crisis_message_over_the_rate_limit_is_kept_and_answered_in_spanish(client):
    client.post(CONTACT_ES, form_data())
    response = client.post(CONTACT_ES, form_data(message="Ya no quiero vivir más."))
    assert response.status_code == 200
    inquiry = Inquiry.objects.get(urgent=True)
    assert inquiry.over_rate_limit and inquiry.language == Inquiry.Language.SPANISH
    assert_spanish_crisis_card(response)


@pytest.mark.django_db
def test_a_spanish_crisis_message_that_looks_like_spam_is_kept_urgent(client):
    """Pasted within a second (no script, or a hurry): flagged spam and still urgent."""
    response = client.post(
        CONTACT_ES, form_data(message="Quiero morir", served=served_token(seconds_ago=1)),
        follow=True,
    )  # fmt: skip
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Inquiry.Status.SPAM and inquiry.urgent
    assert inquiry.language == Inquiry.Language.SPANISH
    assert_spanish_crisis_card(response)
