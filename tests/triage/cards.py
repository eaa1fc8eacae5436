"""What the triage tests share: the real triage file, a card that names symptoms, the
after-hours line, and ways to read the cards on a page."""

from pathlib import Path

from django.conf import settings

from tests.html_tree import parse

TRIAGE_FILE = Path(settings.BASE_DIR) / "content" / "triage.yaml"
CARD = """\
## After a dose

!!! when-to-get-help "After a dose, get help if you notice:"
    - painful-peeing
    - slow-breathing
    - suicidal-thoughts
    - vomiting-will-not-stop
    - stroke-signs
"""
AFTER_HOURS = "(201) 555-0199"
FALLBACK = "When the clinic is closed, go to an urgent care center or call your own doctor."


def cards(html: str) -> dict[str, object]:
    """Each care card on the page by its level (the class care-card--<level>)."""
    found = {}
    for card in parse(html).find_all("div", "care-card"):
        level = next(c.removeprefix("care-card--") for c in card.classes if "--" in c)
        found[level] = card
    return found


def items(card) -> list[str]:
    return [li.text() for li in card.find_all("li")]
