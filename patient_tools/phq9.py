"""The PHQ-9 mood questionnaire: its published wording, its scoring and its bands, once.

The page (templates/patient_tools/check_your_mood.html) prints these; the browser script
(static/js/patient-tools.js) reads the answers' points and the bands back from the page, so
nothing here is written twice.

Wording: the English PHQ-9 form developed by Drs Robert L. Spitzer, Janet B.W. Williams,
Kurt Kroenke and colleagues with an educational grant from Pfizer Inc., which may be
reproduced without permission. Keep it word for word: a validated questionnaire is only
valid as published. Bands: Kroenke, Spitzer and Williams, J Gen Intern Med 2001;16:606-613.
"""

from typing import NamedTuple

INSTRUCTIONS = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)

QUESTIONS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]

# (label, points), in the form's order.
ANSWERS = [
    ("Not at all", 0),
    ("Several days", 1),
    ("More than half the days", 2),
    ("Nearly every day", 3),
]

# The question about thoughts of death or self-harm: any answer but "Not at all" means
# crisis help first, before any score.
SELF_HARM_QUESTION = 9

# The optional tenth question: asked after the nine, never scored.
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to "
    "do your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_ANSWERS = [
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
]

CREDIT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)

MAX_SCORE = 3 * len(QUESTIONS)


class Band(NamedTuple):
    low: int
    high: int
    name: str
    meaning: str  # what the score suggests, in plain words
    next_step: str  # what to do next


BANDS = [
    Band(
        0, 4, "Minimal",
        "Your score is in the lowest range.",
        "If you still feel low, or something else worries you, talk with a doctor. How you "
        "feel matters more than a number.",
    ),
    Band(
        5, 9, "Mild",
        "Your answers suggest mild depression.",
        "Talk with your doctor, above all if these problems last or get worse. You can take "
        "this check again in a few weeks to compare.",
    ),
    Band(
        10, 14, "Moderate",
        "Your answers suggest moderate depression.",
        "Please book a visit with your doctor or a mental health professional soon. Ask about "
        "treatment.",
    ),
    Band(
        15, 19, "Moderately severe",
        "Your answers suggest moderately severe depression.",
        "Please see your doctor or a mental health professional in the next few days. "
        "Treatment can help.",
    ),
    Band(
        20, 27, "Severe",
        "Your answers suggest severe depression.",
        "Please see your doctor or a mental health professional as soon as you can. If you "
        "feel you cannot keep yourself safe, call or text 988, or call 911.",
    ),
]  # fmt: skip
