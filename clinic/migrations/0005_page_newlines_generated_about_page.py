"""Trust pages' text with \\n line endings, and /about-our-content/ generated.

The page "About our content" is now composed from live facts (clinic_site/pages.py): the
hand-written row it replaces is removed so the admin does not offer a page nobody sees.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Page = apps.get_model("clinic", "Page")
    Page.objects.filter(slug="about-our-content").delete()
    for page in Page.objects.all():
        body = (page.body or "").replace("\r\n", "\n").replace("\r", "\n")
        if body != page.body:
            Page.objects.filter(pk=page.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0004_clinician_account_page_markdown")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
