"""Render every article's stored HTML again, so images already in articles get their
width, height, lazy loading and WebP copies (articles/markdown.py). Rendering is the same
function the site uses on every save; only the derived body_html and headings change."""

from django.db import migrations


def rerender(apps, schema_editor):
    from foundation.markdown import render_markdown

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.all():
        rendered = render_markdown(article.body)
        if rendered.html != article.body_html:
            Article.objects.filter(pk=article.pk).update(
                body_html=rendered.html, headings=rendered.headings
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_editor_roles")]
    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
