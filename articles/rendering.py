"""An article body to HTML: the site's Markdown rendering with the article's citations
listed under References and the first use of each glossary term linked to its entry.

Used when an article is saved and by the editor's live preview, so the preview shows
the page as visitors will see it.
"""

from clinic_site.markdown import GlossaryLink, Rendered, preview_html, render_markdown

from .citations import SourcesFileError, body_problems, load_sources


def glossary_links() -> list[GlossaryLink]:
    from .models import GlossaryTerm  # the models render with this module

    return [term.link() for term in GlossaryTerm.objects.all()]


def render_article_body(text: str) -> Rendered:
    try:
        sources = load_sources()
    except SourcesFileError:
        # Saving still works; the editor's checks (Article.clean) say what is wrong.
        sources = {}
    return render_markdown(text, sources=sources, glossary=glossary_links())


def markdownify(text: str) -> str:
    """Entry point for django-markdownx's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION).

    Above the preview, what saving would refuse (a citation key not in the list of
    sources, with the key and the closest one; a footnote definition; an unknown kind of
    care card), so the editor sees it while typing, not only when saving."""
    return preview_html(render_article_body(text), warnings=body_problems(text))
