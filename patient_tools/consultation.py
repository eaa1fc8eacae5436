"""Questions to bring to a first consultation, grouped the way a patient thinks about it.

Drawn from the articles (Is ketamine therapy right for me?, Choosing a ketamine clinic,
Your first visit) and the content guide's "what a careful clinic does": a full assessment
before the first dose, monitoring and emergency equipment, a plan with your own doctors,
approved vs off-label vs compounded, and what happens if it does not help.
"""

from typing import NamedTuple


class Group(NamedTuple):
    slug: str  # for the ids on the page
    title: str
    questions: list[str]


GROUPS = [
    Group("right-for-me", "Is it right for me?", [
        "Why do you think ketamine could help me?",
        "What would make ketamine unsafe for me, with my health and my medicines?",
        "Will you check my mental and physical health in full before the first dose?",
        "Is the treatment you suggest FDA-approved for my condition, off-label, or a "
        "compounded product that the FDA has not approved?",
        "What other treatments could I try first, or instead?",
    ]),
    Group("safety", "Safety and side effects", [
        "Which side effects are common, and which are rare but serious?",
        "Who watches me during and after each dose? How often do you check my blood "
        "pressure, heart rate and oxygen?",
        "Are staff trained to help if my breathing or heart needs support? Is emergency "
        "equipment in the room?",
        "Which of my medicines could change how ketamine works? Should I change any of them?",
        "What should I do if my mood drops between sessions?",
    ]),
    Group("the-day", "What happens on the day", [
        "How should I get ready? Can I eat or drink before a session?",
        "How long will the whole visit take, with the rest time after the dose?",
        "Can someone come with me? Who can drive me home?",
        "Can the dose be slowed or stopped if I feel scared or sick?",
        "When can I drive, work or care for others again?",
    ]),
    Group("cost", "Cost and insurance", [
        "What does each visit cost, and what is included?",
        "Will my insurance pay for any of it? Can you help me ask my plan for approval?",
        "Do I have to pay for many sessions up front? What happens if I stop early?",
    ]),
    Group("after", "After the course", [
        "How many sessions do you suggest at first? How will we know if it is working?",
        "What happens if it does not help, or stops helping?",
        "How will you decide if I need booster sessions, and how often?",
        "Do you offer therapy to help me make sense of the sessions, or work with my "
        "therapist?",
    ]),
    Group("clinic", "About the clinic", [
        "Who will assess me and who gives the treatment? What training do they have?",
        "Will you make a plan with my own doctor and therapist, and keep them informed?",
        "How do I reach someone after hours? What should I do when you are closed?",
        "If you offer esketamine nasal spray (Spravato), is the clinic certified for it?",
    ]),
]  # fmt: skip
