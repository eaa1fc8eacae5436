"""One way to render each kind of content: a registry of renderers by model label.

Each content model owns its rendering (e.g. `Article.rendered(text)`, which adds the
References list, glossary links and care cards; `Page.rendered(text)`, plain Markdown)
and registers it here from its app's AppConfig.ready():

    content_rendering.register(
        FAQEntry,
        render=FAQEntry.rendered,
        render_item=FAQEntry.render,
        html_field="answer_html",
        problems=FAQEntry.answer_problems,
    )

Everything that shows the HTML a save stores asks this registry rather than choosing a
renderer itself: the model's save (through its own `render()`), the editor's live preview
(`preview()`, picked by the label of the model being edited; `editor_views.py`), and the
reviewer's preview and comparison of a waiting change (`render_item()` on the item as
approval would save it). So what an editor and a reviewer see is what goes live.

Infrastructure: this module imports no app. Apps register into it, as they do into the
page cache (content_version.invalidate_when_saved).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.db import models

from .markdown import Rendered


def no_problems(text: str) -> list[str]:
    return []


@dataclass(frozen=True)
class ContentRenderer:
    label: str  # the model's label, lower case: "articles.faqentry"
    # The text of the model's Markdown field -> the HTML its save stores.
    render: Callable[[str], Rendered]
    # Puts that HTML on an item (not saved), exactly as its save does.
    render_item: Callable[[models.Model], None]
    # The field that stores it ("answer_html"), for a reviewer's screen to show.
    html_field: str
    # What saving would refuse in the text, in the words of the model's checks: shown
    # above the editor's preview while the editor types.
    problems: Callable[[str], Sequence[str]] = no_problems

    @property
    def permissions(self) -> tuple[str, str]:
        """Who may preview this content: whoever may add or change it."""
        app_label, model_name = self.label.split(".")
        return (f"{app_label}.add_{model_name}", f"{app_label}.change_{model_name}")


_RENDERERS: dict[str, ContentRenderer] = {}


def register(
    model: type[models.Model],
    *,
    render: Callable[[str], Rendered],
    render_item: Callable[[models.Model], None],
    html_field: str,
    problems: Callable[[str], Sequence[str]] = no_problems,
) -> ContentRenderer:
    label = model._meta.label_lower
    _RENDERERS[label] = ContentRenderer(label, render, render_item, html_field, problems)
    return _RENDERERS[label]


def renderer_for(label: str) -> ContentRenderer | None:
    """The renderer registered for this model label ("articles.article"), or None."""
    return _RENDERERS.get(label)


def label_of(model_or_item) -> str:
    return model_or_item._meta.label_lower


def render_item(item: models.Model) -> str | None:
    """Put on `item` the HTML its save would store, and return it (None if its model
    renders no Markdown)."""
    renderer = renderer_for(label_of(item))
    if renderer is None:
        return None
    renderer.render_item(item)
    return getattr(item, renderer.html_field)


def html_of(item: models.Model) -> str | None:
    """The HTML stored on `item` (None if its model renders no Markdown)."""
    renderer = renderer_for(label_of(item))
    return getattr(item, renderer.html_field) if renderer is not None else None


def preview(label: str, text: str) -> str:
    """The editor's live preview of `text` in a field of this model (registered)."""
    renderer = _RENDERERS[label]
    return preview_html(renderer.render(text), warnings=renderer.problems(text))


def preview_html(rendered: Rendered, warnings: Sequence[str] = ()) -> str:
    """The editor's preview: above it, each warning the caller passes (what saving would
    refuse, in the same words), and a message for each image shown as missing, saying
    what to do."""
    notes = "".join(
        f'<p class="editor-warning" role="alert">{escape(warning)}</p>' for warning in warnings
    )
    notes += "".join(
        f'<p class="editor-warning" role="alert">This image cannot be shown: '
        f"{escape(src)} is not an address of an image on this site. Use \u201cAdd an "
        f"image\u201d to upload it, or fix the address (it may not contain ..).</p>"
        for src in rendered.missing_images
    )
    return notes + rendered.html
