import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def jsonld(data: dict) -> str:
    """Structured data for a <script type="application/ld+json"> block.

    Escapes <, > and & the way Django's json_script does, so text from the database
    can never close the script element.
    """
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(text)
