"""Does a message suggest a crisis or thoughts of self-harm?

The one place the phrases live. The contact form's script (static/js/crisis-check.js) gets
the same lists from the page (see `phrases_for_script`) and matches them the same way, so
the care card shown while typing and the one on the sent page always agree.

How matching works, in Python and in the script alike:
- the text is lower-cased, apostrophes (straight or curly) are dropped ("don’t" -> "dont"),
  and every run of other characters that are not letters or digits becomes one space;
- phrases that only talk *about* the subject ("suicide prevention research") are taken out;
- a phrase matches only as whole words: "overdose" matches "an overdose." but not
  "overdosage", and "kill myself" does not match "skill myself".

A false alarm costs little (the person sees 988 and 911, staff see a flag); a missed crisis
costs a lot. To add a phrase, add it below as it would be written (apostrophes and capitals
do not matter) and add a test case for it in tests/test_crisis_inquiries.py.
"""

import re

# A message containing any of these, as whole words, is treated as a possible crisis.
CRISIS_PHRASES = (
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "end it all",
    "take my own life",
    "take my life",
    "don't want to be alive",
    "do not want to be alive",
    "don't want to live",
    "do not want to live",
    "want to die",
    "wanna die",
    "better off dead",
    "no reason to live",
    "hurt myself",
    "hurting myself",
    "harm myself",
    "harming myself",
    "self-harm",
    "self harming",
    "cut myself",
    "cutting myself",
    "overdose",
    "overdosed",
    "overdosing",
)

# Phrases that contain a crisis word but talk about the subject in general. They are taken
# out of the text before matching, so "suicide prevention research" alone does not trigger
# (but "suicide prevention research, and I feel suicidal" still does).
NOT_A_CRISIS = (
    "suicide prevention",
    "suicide research",
    "suicide rates",
    "suicide statistics",
    "suicide awareness",
    "suicide risk research",
    "overdose prevention",
)

APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower case, no apostrophes, one space between words, a space at each end."""
    text = APOSTROPHES.sub("", text.lower())
    return " " + NOT_LETTERS_OR_DIGITS.sub(" ", text).strip() + " "


def suggests_crisis(text: str) -> bool:
    """True when `text` contains a crisis phrase as whole words (see the module's docstring)."""
    normalized = normalize(text)
    for phrase in NOT_A_CRISIS:
        phrase = normalize(phrase)
        while phrase in normalized:  # a loop: "x x" shares the space between its matches
            normalized = normalized.replace(phrase, " | ")
    return any(normalize(phrase) in normalized for phrase in CRISIS_PHRASES)


def phrases_for_script() -> dict[str, list[str]]:
    """The lists as the form's script needs them (it normalises them itself, the same way)."""
    return {"crisis": list(CRISIS_PHRASES), "notCrisis": list(NOT_A_CRISIS)}
