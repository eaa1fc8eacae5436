"""Notifying staff of a new inquiry: never losing one, never leaking what the patient wrote."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from inquiries.models import Inquiry
from tests.contact_form import CONTACT, STAFF, assert_no_patient_data, form_data, run_command

# --- Notifying staff: never losing an inquiry, never leaking it ------------------------


@pytest.mark.django_db
@override_settings(INQUIRY_NOTIFY_EMAILS=STAFF, EMAIL_BACKEND="tests.contact_form.RaisingBackend")
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
