"""The fingerprint of an item's content/ state: import_content compares it with the one
stored at the last import to tell whether someone has edited the item in the admin since."""

import hashlib
import json

# Left out of a content/ state's fingerprint: added to the files later, so articles
# imported before they existed still count as unedited (the review fingerprint follows
# from the text and the review, which are in it).
ADDED_LATER = ("updated", "review_fingerprint")


def fingerprint(state: dict) -> str:
    """Of a content/ state, without the fields ADDED_LATER."""
    state = {name: value for name, value in state.items() if name not in ADDED_LATER}
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
