"""Crisis-aware inquiries: a message that suggests a crisis is stored exactly as sent,
flagged urgent for staff (and e-mailed whatever else is true of it), and answered with the
emergency care card; the phrases live in content/crisis-phrases.yaml (clinic/crisis.py), and
the form's script matches them exactly as the server does."""

import json
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from clinic.crisis import (
    CrisisPhrasesError,
    check_phrases_file,
    load_phrases,
    normalize,
    parse_phrases,
    phrases_for_script,
    suggests_crisis,
)
from inquiries.models import Inquiry
from tests.staff import staff_with_permissions
from tests.test_inquiry_form import CONTACT, SENT, STAFF, form_data, served_token


def sent_by_the_notifier() -> None:
    """Run the background step that e-mails staff (never part of the patient's request)."""
    call_command("notify_inquiries", stdout=StringIO())


# --- The phrases ---------------------------------------------------------------------------

# (group of content/crisis-phrases.yaml, message, is it a crisis?). Every group of the file
# has at least one case; "everyday" cases are near-misses no phrase of the file names.
CASES = [
    # Saying it in plain words.
    ("crisis/naming_it", "Some days I think about suicide.", True),
    ("crisis/naming_it", "I have been feeling SUICIDAL since March.", True),
    ("crisis/naming_it", "Sometimes I want to kill myself", True),
    ("crisis/naming_it", "I thought about killing myself last week.", True),
    ("crisis/naming_it", "I want to end my life", True),
    ("crisis/naming_it", "I just want to die", True),
    ("crisis/naming_it", "I wish I was dead", True),
    ("crisis/naming_it", "Honestly i wish i were dead", True),
    (
        "crisis/naming_it",
        "Everyone would be better off dead without me... I mean I'd be better off dead.",
        True,
    ),  # noqa: E501
    ("crisis/naming_it", "I want to take my own life", True),
    # Hurried and online spellings.
    ("crisis/online_and_misspelt", "i wanna die", True),
    ("crisis/online_and_misspelt", "i dont want to live anymore", True),  # no apostrophe
    (
        "crisis/online_and_misspelt",
        "I don’t want to be alive anymore",
        True,
    ),  # curly, as phones type
    ("crisis/online_and_misspelt", "honestly i might kms", True),
    ("crisis/online_and_misspelt", "thinking about how to unalive myself", True),
    ("crisis/online_and_misspelt", "i want to k i l l myself", True),  # spaced out
    ("crisis/online_and_misspelt", "i want to killmyself", True),  # run together
    ("crisis/online_and_misspelt", "wanttodie", True),
    ("crisis/online_and_misspelt", "thinking about su1cide", True),  # a digit for a letter
    ("crisis/online_and_misspelt", "gonna k1ll myself", True),
    ("crisis/online_and_misspelt", "$uicidal again", True),
    ("crisis/online_and_misspelt", "i want 2 die", True),
    ("crisis/online_and_misspelt", "K.I.L.L. MYSELF", True),
    ("crisis/online_and_misspelt", "I think about sucide a lot", True),
    ("crisis/online_and_misspelt", "sewerslide thoughts again", True),
    # Indirect.
    ("crisis/indirect", "I don't want to be here anymore", True),
    ("crisis/indirect", "i dont want to be here any more", True),
    ("crisis/indirect", "I can't go on", True),
    ("crisis/indirect", "I cannot go on like this.", True),
    ("crisis/indirect", "There is no point living", True),
    ("crisis/indirect", "I want to end it all", True),
    ("crisis/indirect", "I just want to disappear", True),
    ("crisis/indirect", "I do not want to wake up tomorrow", True),
    ("crisis/indirect", "Some nights I hope I don't wake up", True),
    ("crisis/indirect", "I do not wish to live", True),
    ("crisis/indirect", "There is no reason to live", True),
    ("crisis/indirect", "Everyone would be better off without me", True),
    ("crisis/indirect", "I can't do this anymore.", True),
    ("crisis/indirect", "I'm so tired of living", True),
    ("crisis/indirect", "I can't go on. Tuesday was the worst day.", True),  # a new sentence
    ("crisis/indirect", "I'm thinking of ending it", True),
    ("crisis/indirect", "i wish i could just not exist", True),
    ("crisis/indirect", "nobody would miss me", True),
    ("crisis/indirect", "I can't keep living like this", True),
    ("crisis/naming_it", "I'd rather be dead", True),
    ("crisis/naming_it", "passive SI most days", True),
    ("crisis/self_harm", "I'm a danger to myself", True),
    # Asking for suicide prevention for oneself.
    ("crisis/asking_for_help", "I need suicide prevention help for myself", True),
    ("crisis/asking_for_help", "What is the suicide prevention hotline number?", True),
    # An overdose, said rather than named.
    ("crisis/overdose_and_pills", "I took an overdose in May.", True),
    ("crisis/overdose_and_pills", "Last year I overdosed on my pills", True),
    ("crisis/overdose_and_pills", "I took all my pills", True),
    ("crisis/overdose_and_pills", "I'm going to take all my pills tonight", True),
    ("crisis/overdose_and_pills", "I swallowed a bottle of Tylenol", True),
    ("crisis/overdose_and_pills", "im gonna od on my meds", True),
    ("crisis/overdose_and_pills", "I have been saving up my pills", True),
    # A method.
    ("crisis/method", "I keep thinking I could hang myself", True),
    ("crisis/method", "I want to jump off a bridge", True),
    # Self-harm.
    ("crisis/self_harm", "I have been cutting", True),
    ("crisis/self_harm", "I've been cutting again.", True),
    ("crisis/self_harm", "I might hurt myself", True),
    ("crisis/self_harm", "History of self-harm, is that a problem?", True),
    ("crisis/self_harm", "I cut myself last night", True),
    # A crisis phrase wins over a near-miss elsewhere in the message.
    (
        "crisis/naming_it",
        "Suicide prevention research says ketamine helps, and honestly I feel suicidal.",
        True,
    ),  # noqa: E501
    ("crisis/naming_it", "My son is suicidal", True),  # someone else, now: still a crisis
    ("crisis/naming_it", "My brother committed suicide and now I want to die too", True),
    # Research, statistics, work.
    (
        "not_a_crisis/research_and_work",
        "I read about suicide prevention research and ketamine.",
        False,
    ),  # noqa: E501
    ("not_a_crisis/research_and_work", "Is there suicide research on esketamine?", False),
    ("not_a_crisis/research_and_work", "I work in suicide prevention at a hospital.", False),
    ("not_a_crisis/research_and_work", "What are the suicide rates in studies of ketamine?", False),  # noqa: E501
    (
        "not_a_crisis/research_and_work",
        "Is there a family history of suicide question on the form?",
        False,
    ),  # noqa: E501
    # Someone else's past.
    ("not_a_crisis/someone_elses_past", "My uncle died by suicide years ago.", False),
    ("not_a_crisis/someone_elses_past", "I lost my dad to suicide in 2019.", False),
    ("not_a_crisis/someone_elses_past", "My mom's suicide was a long time ago.", False),
    ("not_a_crisis/someone_elses_past", "My friend attempted suicide last year.", False),
    # Everyday uses of crisis words.
    ("not_a_crisis/everyday", "I can't go on Tuesday, can we move the call?", False),
    ("not_a_crisis/everyday", "I've been cutting back on coffee before infusions.", False),
    ("not_a_crisis/everyday", "I took a bottle of water to my last infusion.", False),
    ("not_a_crisis/everyday", "I take all my pills in the morning, is that ok?", False),
    ("not_a_crisis/everyday", "I'd rather not wake up early for appointments.", False),
    ("not_a_crisis/everyday", "I hope I don't wake up nauseous after.", False),
    ("not_a_crisis/everyday", "My insurance says there is no way out of paying in full.", False),
    ("not_a_crisis/everyday", "I'm ending things with my old psychiatrist.", False),
    ("not_a_crisis/research_and_work", "I work at a suicide prevention hotline.", False),
    ("crisis/naming_it", "I work at a suicide prevention hotline and I want to die", True),
    ("crisis/overdose_and_pills", "I will take all my pills tonight", True),
    ("everyday", "It might not exist yet.", False),
    ("everyday", "Do I need to stop all my meds before ketamine?", False),
    ("everyday", "The waiting list is killing me", False),
    ("everyday", "I want to end my contract with my old clinic.", False),
    ("everyday", "I'm killing it at work since my last infusion!", False),
    ("everyday", "I'm dying to know if insurance covers it.", False),
    ("everyday", "Could ketamine help with my treatment-resistant depression?", False),
    ("everyday", "What does the overdosage chart say?", False),  # not the whole word
    ("everyday", "My skill myself is low", False),  # "kill myself" only as whole words
    ("everyday", "Is it safe to drive home after an infusion?", False),
    ("everyday", "I would love to get my life back on track.", False),
    ("everyday", "", False),
]

CRISIS_MESSAGES = [message for _, message, crisis in CASES if crisis]
NOT_CRISIS_MESSAGES = [message for _, message, crisis in CASES if not crisis]
# The indirect ways issue 23 names: each must flag an inquiry and show the card when sent.
INDIRECT = [
    "I don't want to be here anymore", "I can't go on", "There is no point living",
    "I'd be better off dead", "I want to end it all", "I want to disappear",
    "I do not want to wake up", "I wish I was dead", "I do not wish to live",
]  # fmt: skip


@pytest.mark.parametrize(("group", "message", "crisis"), CASES)
def test_each_case_of_the_table(group, message, crisis):
    assert suggests_crisis(message) is crisis, group


def test_every_group_of_the_file_has_a_case():
    groups = load_phrases().groups
    named = {f"{section}/{group}" for section in groups for group in groups[section]}
    covered = {group for group, _, _ in CASES}
    assert named - covered == set(), "add a case for these groups"
    assert covered - named == {"everyday"}, "a case names a group the file does not have"


@pytest.mark.parametrize(
    "phrase", [p for phrases in load_phrases().groups["crisis"].values() for p in phrases]
)
def test_every_crisis_phrase_triggers_on_its_own(phrase):
    assert suggests_crisis(f"Hello. {phrase.upper()}! Thanks")


def test_a_near_miss_quiets_only_what_lies_inside_it():
    assert not suggests_crisis("suicide prevention")
    assert suggests_crisis("suicide prevention. suicide")  # the second is on its own
    assert not suggests_crisis("He died by suicide")
    assert suggests_crisis("I almost died by suicide")  # "I" is not someone else


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("Don’t  STOP!", " dont stop ¶ "),
        ("k i l l", " kill "),
        ("k.i.l.l myself", " kill myself "),
        ("su1cide 988", " suicide 988 "),
        ("wanna", " want to "),
        ("I do not", " i dont "),
        ("I'm", " i am "),
        ("end.\nit", " end ¶ ¶ it "),  # two marks: harmless
        ("e-mail_address", " e mail address "),
    ],
)
def test_normalizing(typed, normalized):
    assert normalize(typed) == normalized


def run_script_under_node(messages: list[str]) -> list[dict]:
    """static/js/crisis-check.js's matcher, under node, given what the page gives it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = settings.BASE_DIR / "static" / "js" / "crisis-check.js"
    program = (
        "const fs = require('fs');"
        f"const {{ makeMatcher }} = require({json.dumps(str(script))});"
        "const input = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "const m = makeMatcher(input.lists);"
        "process.stdout.write(JSON.stringify(input.messages.map("
        "t => ({ normalized: m.normalize(t), crisis: m.suggestsCrisis(t) }))));"
    )
    result = subprocess.run(
        [node, "-e", program],
        input=json.dumps({"lists": phrases_for_script(), "messages": messages}),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_the_script_normalizes_and_matches_exactly_as_the_server():
    phrases = load_phrases().groups
    messages = [message for _, message, _ in CASES] + [
        f"x {phrase} y" for section in phrases.values() for group in section.values()
        for phrase in group
    ] + ["ÉCOLE Ölçü straße — 𝒜𝒷 ①② İi", "a b c d e", "k 1 l l", "tab\there;\tnext", "½ ¹"]  # fmt: skip
    answers = run_script_under_node(messages)
    for message, answer in zip(messages, answers, strict=True):
        assert answer == {"normalized": normalize(message), "crisis": suggests_crisis(message)}, (
            message
        )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "expected crisis:"),
        ({"crisis": {"a": ["x"]}, "not_a_crisis": {"b": ["y"]}, "extra": 1}, "unknown section"),
        ({"crisis": {}, "not_a_crisis": {"b": ["y"]}}, "crisis: needs groups"),
        ({"crisis": {"a": []}, "not_a_crisis": {"b": ["y"]}}, "'a' has no phrases"),
        ({"crisis": {"a": ["!!!"]}, "not_a_crisis": {"b": ["y"]}}, "must be words"),
        ({"crisis": {"a": ["{who} x"]}, "not_a_crisis": {"b": ["y"]}}, "{who}, not listed"),
    ],
)
def test_a_malformed_file_is_refused_in_plain_words(data, problem):
    with pytest.raises(CrisisPhrasesError, match=re.escape(problem)):
        parse_phrases(data)


def test_the_file_is_checked_at_start_up(monkeypatch, tmp_path):
    assert check_phrases_file() == []
    broken = tmp_path / "content" / "crisis-phrases.yaml"
    broken.parent.mkdir()
    broken.write_text("crisis: [unclosed\n")
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path)
    [error] = check_phrases_file()
    assert error.id == "clinic.E101" and "not valid YAML" in error.msg


# --- The contact form ----------------------------------------------------------------------


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
@pytest.mark.parametrize(
    "message", ["I want to end my contract", "Suicide prevention research?", "dying to know"]
)
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
