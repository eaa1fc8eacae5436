"""Crisis-aware inquiries: a message that suggests a crisis is stored exactly as sent,
flagged urgent for staff (and e-mailed whatever else is true of it), and answered with the
emergency care card; the phrases live in content/crisis-phrases.yaml (clinic/crisis.py), and
the form's script matches them exactly as the server does.

This file: the phrases and the script. The contact form's side is
test_crisis_contact_form.py."""

import json
import re
import shutil
import subprocess

import pytest
from django.conf import settings

from clinic.crisis import (
    CrisisPhrasesError,
    check_phrases_file,
    load_phrases,
    normalize,
    parse_phrases,
    phrases_for_script,
    suggests_crisis,
)

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
