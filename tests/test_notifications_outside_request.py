"""The mail server is never in the patient's request (issue 16): an inquiry is stored and
answered while the mail server stalls; staff are e-mailed later, exactly once each; a
sender killed while holding a claim leaves it to expire, and the next run sends it."""

import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from inquiries.models import Inquiry

from .contact_form import CONTACT, form_data
from .fake_smtp import StallingSmtpServer
from .servers import PROJECT, manage, production_env
from .test_inquiry_concurrency import fresh_database

STAFF = ["frontdesk@example.com"]


def smtp_settings(server: StallingSmtpServer, **extra):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
        INQUIRY_NOTIFY_EMAILS=STAFF,
        INQUIRY_MIN_SECONDS=0,
        INQUIRY_RATE_LIMIT=None,
        **extra,
    )


def post_and_time(client, marker: str) -> tuple[int, float]:
    started = time.monotonic()
    response = client.post(CONTACT, form_data(message=f"Question {marker}"))
    return response.status_code, time.monotonic() - started


def run_sender() -> str:
    out = StringIO()
    try:
        call_command("notify_inquiries", stdout=out)
    finally:
        connections.close_all()
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_inquiries_are_answered_while_the_mail_server_stalls_and_sent_later_once(client):
    with (
        StallingSmtpServer(stalled=True) as server,
        smtp_settings(server, INQUIRY_NOTIFY_AFTER_RESPONSE=False),
    ):
        status, seconds = post_and_time(client, "first")
        assert status == 302 and seconds < 2, (status, seconds)
        assert server.connections == 0  # the request did not even try the mail server

        # The sender (run by the timer) now talks to the stalled server ...
        sender = threading.Thread(target=run_sender)
        sender.start()
        assert server.connected.wait(10)
        # ... and meanwhile another patient's inquiry is stored and answered at once.
        status, seconds = post_and_time(client, "second")
        assert status == 302 and seconds < 2, (status, seconds)
        assert Inquiry.objects.count() == 2
        assert Inquiry.objects.filter(notified_at__isnull=False).count() == 0

        server.release.set()
        sender.join(30)
        assert not sender.is_alive()
        assert len(server.messages) == 1
        run_sender()  # the next run sends the second one
        run_sender()  # and a run after that sends nothing again
        assert len(server.messages) == 2
        for inquiry in Inquiry.objects.all():
            link = f"/inquiries/inquiry/{inquiry.pk}/change/"
            assert sum(link in message for message in server.messages) == 1
            assert inquiry.notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_in_development_a_thread_sends_after_the_response(client):
    """scripts/run (DJANGO_DEBUG=True) needs no second command: a thread sends it."""
    with (
        StallingSmtpServer(stalled=True) as server,
        smtp_settings(server, INQUIRY_NOTIFY_AFTER_RESPONSE=True),
    ):
        status, seconds = post_and_time(client, "dev")
        assert status == 302 and seconds < 2, (status, seconds)
        assert server.connected.wait(10)  # the thread is talking to the stalled server
        server.release.set()
        deadline = time.monotonic() + 15
        while not server.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(server.messages) == 1
        deadline = time.monotonic() + 5
        while Inquiry.objects.get().notified_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert Inquiry.objects.get().notified_at is not None
        assert "Sent 0 notifications" in run_sender()
        assert len(server.messages) == 1


def read_notification_state(database_url: str) -> tuple:
    query = "SELECT notified_at, notify_claimed_until FROM inquiries_inquiry"
    if database_url.startswith("sqlite:///"):
        import sqlite3

        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return connection.execute(query).fetchone()
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(query).fetchone()


def sender_output(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "notify_inquiries"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return result.stdout


@pytest.mark.slow
def test_a_killed_senders_claim_expires_and_the_notification_is_sent(tmp_path):
    lease = 4
    with StallingSmtpServer(stalled=True) as server, fresh_database(tmp_path) as database_url:
        env = production_env(
            DATABASE_URL=database_url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(server.port),
            EMAIL_USE_TLS="False",
            EMAIL_TIMEOUT="30",
            INQUIRY_NOTIFY_EMAILS=STAFF[0],
            INQUIRY_NOTIFY_LEASE_SECONDS=str(lease),
        )
        manage(env, "migrate", "--noinput")
        manage(
            env, "shell", "-c",
            "from inquiries.services import create_inquiry; create_inquiry(name='A', "
            "email='a@example.com', phone='', preferred_contact='email', topic='other', "
            "message='m', consent=True)",
        )  # fmt: skip

        sender = subprocess.Popen(
            [sys.executable, "manage.py", "notify_inquiries"], cwd=PROJECT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            assert server.connected.wait(60), "the sender never reached the mail server"
        finally:
            os.kill(sender.pid, signal.SIGKILL)
            sender.wait(10)
        claimed_at = time.monotonic()
        notified_at, claimed_until = read_notification_state(database_url)
        assert notified_at is None and claimed_until is not None  # the dead sender's claim

        server.release.set()  # the mail server is fine again
        if time.monotonic() - claimed_at < lease - 1:
            # While the claim holds, nobody else sends it ...
            assert "Sent 0 notifications" in sender_output(env)
        time.sleep(max(0.0, lease + 0.5 - (time.monotonic() - claimed_at)))
        # ... once it has expired, the next run does, once.
        assert "Sent 1 notifications, 0 failed." in sender_output(env)
        assert "Sent 0 notifications" in sender_output(env)
        assert len(server.messages) == 1
        notified_at, claimed_until = read_notification_state(database_url)
        assert notified_at is not None and claimed_until is None
