"""Small charts drawn on the server as inline SVG: no chart library, no script, nothing
loaded from anywhere. Each chart has a text alternative (its <title> and aria-label) and
the numbers it shows are also in the table next to it, so nothing depends on seeing it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def bar_chart(
    values: list[int], *, label: str, width: int = 120, height: int = 28, gap: float = 1
) -> SafeString:
    """A bar per day, scaled to the highest day; an empty day is a thin baseline mark."""
    count = max(len(values), 1)
    top = max(values, default=0) or 1
    bar_width = max((width - gap * (count - 1)) / count, 0.5)
    bars = []
    for index, value in enumerate(values):
        bar_height = max(value / top * (height - 2), 1 if value else 0.5)
        bars.append(
            (
                round(index * (bar_width + gap), 2),
                round(height - bar_height, 2),
                round(bar_width, 2),
                round(bar_height, 2),
            )
        )
    rects = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}"/>', bars)
    return format_html(
        '<svg class="insights-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}" focusable="false">'
        '<title>{}</title><g fill="currentColor">{}</g></svg>',
        width,
        height,
        width,
        height,
        label,
        label,
        rects,
    )
