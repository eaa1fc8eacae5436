"""What every Markdown editor in the admin shares (articles, FAQ answers, trust pages):
its stylesheet and script, and the formatting help shown beside it.

Infrastructure: imports no app, so `clinic` and `articles` can both use it.
"""

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

EDITOR_CSS = ["editor/editor.css"]
EDITOR_JS = ["editor/editor.js"]


def editor_help(symptoms: Sequence[tuple[str, str, str]] = ()) -> SafeString:
    """The "Formatting help" panel (admin/editor_help.html), for a fieldset description.

    `symptoms`: (key, where it sends a patient, text) for each symptom a care card may
    list, passed in by an editor whose text can hold care cards (articles, FAQ answers)."""
    return mark_safe(render_to_string("admin/editor_help.html", {"symptoms": symptoms}))
