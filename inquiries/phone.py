"""Phone numbers as people type them, stored one way and shown one way.

People write "(201) 555-0142", "201.555.0142" or "+1 201 555 0142". We keep only the
digits (and a leading + for international numbers), so staff can search and dial them,
and format them back for reading.
"""

import re

MIN_DIGITS = 7
MAX_DIGITS = 15  # The longest number E.164 allows.

# Characters people use to group digits; anything else (letters, "ext") is not a number.
_SEPARATORS = re.compile(r"[\s().\-/]")


def normalize_phone(raw: str) -> str | None:
    """The number as digits with an optional leading +, or None if it is not a phone number."""
    compact = _SEPARATORS.sub("", raw.strip())
    plus = compact.startswith("+")
    digits = compact[1:] if plus else compact
    if not digits.isascii() or not digits.isdigit():
        return None
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    return f"+{digits}" if plus else digits


def format_phone(normalized: str) -> str:
    """A stored number in a readable form: US numbers as (201) 555-0142."""
    if re.fullmatch(r"\d{10}", normalized):
        return f"({normalized[:3]}) {normalized[3:6]}-{normalized[6:]}"
    if re.fullmatch(r"\+1\d{10}", normalized):
        return f"+1 ({normalized[2:5]}) {normalized[5:8]}-{normalized[8:]}"
    return normalized
