"""An editor knows where her changes stand (issue 24): a change sent back shows on her
admin home page with the reviewer's comment and she is e-mailed (outside the reviewer's
request); it stays "Sent back" until she revises it; an unknown citation key is flagged in
the live preview while she types."""

import datetime
import re
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from articles import review
from articles.models import ChangeStatus, PendingChange, SentBackEmail
from clinic.models import Clinician
from tests.fake_smtp import StallingSmtpServer
from tests.reviewing import a_clinician, sign_off
from tests.staff import staff_in_group
from tests.test_admin_editing import change_url, form_data
from tests.test_notifications_outside_request import smtp_settings

COMMENT = "Please do not tell people to stop their medicine.\nAsk them to talk to us first."


@pytest.fixture
def editor(db):
    user = staff_in_group("nora", "Editor")
    user.first_name, user.last_name, user.email = "Nora", "Writer", "nora@example.com"
    user.save()
    return user


@pytest.fixture
def reviewer(db):
    user = staff_in_group("grace", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=user)
    return user


@pytest.fixture
def live_article(make_article):
    article = make_article(
        title="After your treatment",
        slug="after-treatment",
        body="## Rest\n\nRest for the day after treatment.\n",
    )
    return sign_off(article, a_clinician(), datetime.date(2026, 3, 1), datetime.date(2099, 3, 1))


def review_url(change: PendingChange) -> str:
    return reverse("admin:articles_pendingchange_change", args=[change.pk])


def send_back(client, editor, reviewer, article) -> PendingChange:
    """The editor changes the live article; the reviewer sends the change back."""
    client.force_login(editor)
    client.post(change_url(article), form_data(article, body="Stop your pills.\n"))
    change = review.changes_to(article).get(status=ChangeStatus.WAITING)
    client.force_login(reviewer)
    response = client.post(
        review_url(change), {"action": "send_back", "comment": COMMENT}, follow=True
    )
    assert response.redirect_chain and response.status_code == 200
    change.refresh_from_db()
    change.confirmation = " ".join(str(m) for m in response.context["messages"])
    return change


def panel(html: str) -> str:
    """The "Sent back to you" panel on the admin home page, or ""."""
    match = re.search(r'<div class="module admin-notice sent-back-notice">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def notice(html: str) -> str:
    """The words of the panel."""
    return " ".join(re.sub(r"<[^>]+>", " ", panel(html)).split())


def run_sender() -> str:
    out = StringIO()
    call_command("notify_editors", stdout=out)
    return out.getvalue()


# --- The admin home page and the change's status -----------------------------------------


def test_a_sent_back_change_shows_on_the_editors_home_until_she_revises_it(
    client, editor, reviewer, live_article
):
    change = send_back(client, editor, reviewer, live_article)
    assert change.status == ChangeStatus.SENT_BACK

    client.force_login(editor)
    home = client.get("/admin/").content.decode()
    words = notice(home)
    assert words.startswith("Sent back to you")
    assert "After your treatment Dr Grace Reviewer sent it back on" in words
    assert "with this comment: Please do not" in words
    assert "Please do not tell people to stop their medicine. Ask them to talk to us first." in (
        words
    )
    assert panel(home).count(f'href="{change_url(live_article)}"') == 2  # title and "Revise"
    assert "Revise “After your treatment”" in words

    # Only hers: the reviewer and another editor do not see it as theirs.
    client.force_login(reviewer)
    assert notice(client.get("/admin/").content.decode()) == ""
    client.force_login(staff_in_group("other", "Editor"))
    assert notice(client.get("/admin/").content.decode()) == ""

    # Opening it and looking changes nothing: it stays "Sent back". The article's page
    # shows the comment and leads to her changes side by side with the live text.
    client.force_login(editor)
    form = client.get(change_url(live_article)).content.decode()
    assert "Please do not tell people to stop their medicine." in form
    assert f'<a class="button" href="{review_url(change)}">See your changes side by side</a>' in (
        form
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.SENT_BACK
    assert change.get_status_display() == "Sent back to the editor"

    # She revises and saves: the revised version waits; the sent-back one is on record
    # as sent back and then revised (not "Withdrawn"), and leaves her home page.
    client.post(change_url(live_article), form_data(live_article, body="Ask us first.\n"))
    change.refresh_from_db()
    assert change.status == ChangeStatus.REVISED
    assert change.get_status_display() == "Sent back, then revised"
    assert change.comment == COMMENT
    assert PendingChange.objects.get(status=ChangeStatus.WAITING).values["body"] == (
        "Ask us first."
    )
    assert not PendingChange.objects.filter(status=ChangeStatus.WITHDRAWN).exists()
    assert notice(client.get("/admin/").content.decode()) == ""
    listing = client.get("/admin/articles/pendingchange/?status=all").content.decode()
    rows = listing.split("<tbody>")[1].split("</tbody>")[0]
    assert "Sent back, then revised" in rows and "Withdrawn" not in rows


def test_a_withdrawn_sent_back_change_leaves_the_home_page(client, editor, reviewer, live_article):
    change = send_back(client, editor, reviewer, live_article)
    client.force_login(editor)
    client.post(reverse("admin:articles_article_discard_change", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    assert notice(client.get("/admin/").content.decode()) == ""


# --- The e-mail -----------------------------------------------------------------------------


def test_the_editor_is_emailed_by_the_sender_not_by_the_reviewers_request(
    client, editor, reviewer, live_article, settings
):
    settings.INQUIRY_NOTIFY_AFTER_RESPONSE = False  # as in production: the timer sends
    change = send_back(client, editor, reviewer, live_article)
    assert (
        "Sent back. Nora Writer sees your comment on their admin home page and on the "
        "article, and is e-mailed about it."
    ) in change.confirmation
    assert mail.outbox == []  # the reviewer's request sent nothing
    assert SentBackEmail.objects.get().sent_at is None

    assert "Sent 1 e-mails about changes sent back, 0 failed." in run_sender()
    (message,) = mail.outbox
    assert message.to == ["nora@example.com"]
    assert message.subject == "Your change to “After your treatment” was sent back"
    link = settings.SITE_URL + change_url(live_article)
    assert message.body == (
        "Dr Grace Reviewer sent back your change to the article “After your treatment”, with "
        "this comment:\n\n"
        "    Please do not tell people to stop their medicine.\n"
        "    Ask them to talk to us first.\n\n"
        "Open the article to revise your change and send it for review again (staff sign-in "
        f"required):\n{link}\n\n"
        "Until a clinical reviewer approves a change, visitors see the approved text.\n"
    )
    assert "Stop your pills" not in message.body  # not the changed text itself

    assert "Sent 0 e-mails" in run_sender()  # once only
    assert len(mail.outbox) == 1


def test_no_email_once_she_has_revised_it_and_a_missing_address_is_reported(
    client, editor, reviewer, live_article, settings, make_article
):
    settings.INQUIRY_NOTIFY_AFTER_RESPONSE = False
    send_back(client, editor, reviewer, live_article)
    client.force_login(editor)
    client.post(change_url(live_article), form_data(live_article, body="Ask us first.\n"))
    assert "Sent 0 e-mails" in run_sender() and mail.outbox == []

    editor.email = ""
    editor.save()
    other = sign_off(make_article(title="Other", slug="other"))
    change = send_back(client, editor, reviewer, other)
    assert change.confirmation.endswith(
        "Their account has no e-mail address, so they are not e-mailed: please let them know."
    )
    output = run_sender()
    assert "1 editor(s) could not be told by e-mail: their staff account has no e-mail" in output
    assert mail.outbox == []
    client.force_login(editor)
    assert "Other" in notice(client.get("/admin/").content.decode())  # she still sees it


@pytest.mark.django_db(transaction=True)
def test_a_stalled_mail_server_never_holds_up_the_reviewer(client, make_article):
    """Production: the request only stores the e-mail; the timer's sender sends it. In
    development a thread started after the commit sends it."""
    editor = staff_in_group("nora", "Editor")
    editor.email = "nora@example.com"
    editor.save()
    reviewer = staff_in_group("grace", "Clinical reviewer")
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=reviewer)
    article = sign_off(make_article(title="After your treatment", slug="after-treatment"))
    try:
        for after_response in (False, True):
            with (
                StallingSmtpServer(stalled=True) as server,
                smtp_settings(server, INQUIRY_NOTIFY_AFTER_RESPONSE=after_response),
            ):
                started = time.monotonic()
                send_back(client, editor, reviewer, article)
                assert time.monotonic() - started < 3
                if not after_response:
                    assert server.connections == 0
                    server.release.set()
                    assert "Sent 1 e-mails" in run_sender()
                else:
                    assert server.connected.wait(10)  # a thread talks to the server
                    server.release.set()
                    deadline = time.monotonic() + 15
                    while not server.messages and time.monotonic() < deadline:
                        time.sleep(0.05)
                assert len(server.messages) == 1
                assert "sent back your change" in server.messages[0]
            # The next round starts from a new change by the editor.
            client.force_login(editor)
            client.post(change_url(article), form_data(article, body="Revised.\n"))
            PendingChange.objects.filter(status=ChangeStatus.WAITING).update(
                status=ChangeStatus.WITHDRAWN
            )
        deadline = time.monotonic() + 5
        while SentBackEmail.objects.filter(sent_at=None).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not SentBackEmail.objects.filter(sent_at=None).exists()
    finally:
        connections.close_all()


# --- Unknown citation keys in the live preview --------------------------------------------


def test_the_live_preview_names_an_unknown_citation_key(client, editor):
    client.force_login(editor)
    html = client.post(
        "/editor/markdownify/?model=articles.article",
        {"content": "Rest for the day.[^berman200]\n"},
    ).content.decode()
    assert (
        '<p class="editor-warning" role="alert">[^berman200] is not in the list of sources '
        "(content/references.yaml). Did you mean [^berman2000]? Check the spelling, or ask "
        "for the source to be added to the list.</p>"
    ) in html
    assert html.index("editor-warning") < html.index("Rest for the day.")  # above the text

    known = client.post(
        "/editor/markdownify/?model=articles.article", {"content": "Rest.[^berman2000]\n"}
    )
    assert "editor-warning" not in known.content.decode()


def test_the_preview_stylesheet_makes_the_warning_stand_out(client, editor):
    client.force_login(editor)
    css = client.get("/editor/preview.css").content.decode()
    assert ".editor-warning {" in css
