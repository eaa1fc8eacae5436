"""Article translations (issue 28): records of their own, with their translator, the
English text they translate and their own clinical review. Editors and clinical reviewers
write them as they write articles; only a clinical reviewer records a review (checked in
articles/translation_admin.py)."""

import django.db.models.deletion
import markdownx.models
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

PERMISSIONS = ["add_articletranslation", "change_articletranslation", "view_articletranslation"]


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS)
    for group in Group.objects.filter(name__in=["Editor", "Clinical reviewer"]):
        group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_search_models_move_to_search_app"),
        ("clinic", "0006_after_hours_line"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(choices=[("es", "Spanish")], default="es", max_length=10),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "summary",
                    models.CharField(
                        help_text="One plain sentence of at most 160 characters.", max_length=160
                    ),
                ),
                (
                    "body",
                    markdownx.models.MarkdownxField(
                        help_text="The translated article in Markdown, with the English article's citations [^key], care cards (the same symptom keys) and images, in the same order."
                    ),
                ),
                ("body_html", models.TextField(default="", editable=False)),
                ("headings", models.JSONField(default=list, editable=False)),
                (
                    "translator",
                    models.CharField(
                        help_text="Who translated this text, named honestly.", max_length=300
                    ),
                ),
                ("translated_on", models.DateField(blank=True, null=True)),
                (
                    "english_fingerprint",
                    models.CharField(blank=True, editable=False, max_length=64),
                ),
                (
                    "english_text_translated",
                    models.JSONField(blank=True, default=dict, editable=False),
                ),
                ("english_sha256", models.CharField(blank=True, editable=False, max_length=64)),
                (
                    "reviewed_on",
                    models.DateField(
                        blank=True,
                        help_text="The date a clinician last checked this translation.",
                        null=True,
                    ),
                ),
                (
                    "next_review_due",
                    models.DateField(
                        blank=True,
                        help_text="Left empty, it is set to one year after the review date.",
                        null=True,
                    ),
                ),
                ("reviewed_hash", models.CharField(blank=True, editable=False, max_length=64)),
                ("source_file", models.CharField(blank=True, editable=False, max_length=300)),
                ("translation_of", models.CharField(blank=True, editable=False, max_length=300)),
                ("source_hash", models.CharField(blank=True, editable=False, max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="articles.article",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="translations_reviewed",
                        to="clinic.clinician",
                        verbose_name="medical reviewer",
                    ),
                ),
            ],
            options={
                "ordering": ["article__order", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "language"), name="one_translation_per_language"
                    )
                ],
            },
        ),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
